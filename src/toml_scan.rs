//! Finding a TOML file's table headers without building its document.
//!
//! The `toml` crate reads a file into a document tree before deserializing it, and for a generated
//! scenario that tree takes kilobytes a table: 100,000 `[[workload]]` tables took over 2 GB. A
//! scan for the header lines lets a caller cut the file into small pieces and parse one at a time
//! ([`crate::scenario`] reads workloads this way), or learn its top-level keys without parsing it.
//!
//! The scan is a lexer, not a parser: it follows strings (all four kinds), comments and arrays
//! that span lines, so that a `[` at the start of a line inside a multi-line string or array is
//! not taken for a header. Whatever it cannot read with certainty, it refuses (`None`), and the
//! caller parses the whole file as before: the scan only ever saves memory, it never decides what
//! a file means. An invalid file may scan fine; its pieces then fail to parse, and the caller's
//! whole-file parse reports the fault at its place.

use std::ops::Range;

/// A table header line: `[a.b]` or `[[a]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// Byte offset of the start of its line.
    pub start: usize,
    /// Its key path, quotes removed.
    pub path: Vec<String>,
    /// `[[…]]`: an element of an array of tables.
    pub array: bool,
}

/// Every table header of `text`, in order; `None` when the text cannot be scanned with certainty.
pub fn headers(text: &str) -> Option<Vec<Header>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    // Open brackets and braces of a value that spans lines.
    let mut depth = 0usize;
    while i < b.len() {
        // At the start of a line.
        let line = i;
        while i < b.len() && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        if depth == 0 && b.get(i) == Some(&b'[') {
            let (h, end) = header(b, line, i)?;
            out.push(h);
            i = end;
            continue;
        }
        i = rest_of_line(b, i, &mut depth)?;
    }
    (depth == 0).then_some(out)
}

/// The regions of `text` the headers cut it into: what comes before the first, then each header
/// up to the next.
pub fn regions(text: &str, headers: &[Header]) -> (Range<usize>, Vec<Range<usize>>) {
    let first = headers.first().map_or(text.len(), |h| h.start);
    let each = headers
        .iter()
        .enumerate()
        .map(|(k, h)| h.start..headers.get(k + 1).map_or(text.len(), |n| n.start))
        .collect();
    (0..first, each)
}

/// The file's top-level keys: those set before the first header, and the first key of every
/// header. `None` when the scan or the part before the first header cannot be read.
pub fn top_keys(text: &str) -> Option<std::collections::BTreeSet<String>> {
    let hs = headers(text)?;
    let (head, _) = regions(text, &hs);
    let mut keys: std::collections::BTreeSet<String> = toml::from_str::<toml::Table>(&text[head])
        .ok()?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    keys.extend(hs.into_iter().filter_map(|h| h.path.into_iter().next()));
    Some(keys)
}

/// Reads the header whose `[` is at `at`, on the line starting at `line`; returns it and the
/// offset of the next line.
fn header(b: &[u8], line: usize, at: usize) -> Option<(Header, usize)> {
    let array = b.get(at + 1) == Some(&b'[');
    let mut i = at + 1 + usize::from(array);
    let mut path = Vec::new();
    loop {
        i = skip_blank(b, i);
        let (key, end) = key(b, i)?;
        path.push(key);
        i = skip_blank(b, end);
        match b.get(i)? {
            b'.' => i += 1,
            b']' => break,
            _ => return None,
        }
    }
    i += 1;
    if array {
        if b.get(i) != Some(&b']') {
            return None;
        }
        i += 1;
    }
    i = skip_blank(b, i);
    match b.get(i) {
        None => {}
        Some(b'#') => i = comment(b, i),
        Some(b'\r') if b.get(i + 1) == Some(&b'\n') => i += 2,
        Some(b'\n') => i += 1,
        Some(_) => return None,
    }
    Some((
        Header {
            start: line,
            path,
            array,
        },
        i,
    ))
}

/// One key of a header: bare, or quoted without escapes.
fn key(b: &[u8], i: usize) -> Option<(String, usize)> {
    match b.get(i)? {
        q @ (b'"' | b'\'') => {
            let close = i + 1 + b[i + 1..].iter().position(|c| c == q)?;
            let inner = &b[i + 1..close];
            if inner.iter().any(|c| matches!(c, b'\\' | b'\n' | b'\r')) {
                return None;
            }
            Some((String::from_utf8(inner.to_vec()).ok()?, close + 1))
        }
        _ => {
            let len = b[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-'))
                .count();
            (len > 0).then(|| {
                (
                    String::from_utf8_lossy(&b[i..i + len]).into_owned(),
                    i + len,
                )
            })
        }
    }
}

fn skip_blank(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// The offset of the next line after a comment starting at `i`.
fn comment(b: &[u8], i: usize) -> usize {
    b[i..]
        .iter()
        .position(|c| *c == b'\n')
        .map_or(b.len(), |p| i + p + 1)
}

/// Lexes from `i` to the start of the next line that is not inside a string, tracking open
/// brackets in `depth`.
fn rest_of_line(b: &[u8], mut i: usize, depth: &mut usize) -> Option<usize> {
    while i < b.len() {
        match b[i] {
            b'\n' => return Some(i + 1),
            b'#' => return Some(comment(b, i)),
            q @ (b'"' | b'\'') if b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) => {
                i = multi_line(b, i + 3, q)?;
            }
            q @ (b'"' | b'\'') => i = single_line(b, i + 1, q)?,
            b'[' | b'{' => {
                *depth += 1;
                i += 1;
            }
            b']' | b'}' => {
                *depth = depth.checked_sub(1)?;
                i += 1;
            }
            _ => i += 1,
        }
    }
    Some(i)
}

/// The offset after a one-line string whose body starts at `i`.
fn single_line(b: &[u8], mut i: usize, q: u8) -> Option<usize> {
    while i < b.len() {
        match b[i] {
            b'\n' => return None,
            b'\\' if q == b'"' => i += 2,
            c if c == q => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The offset after a multi-line string whose body starts at `i`: it ends at the last three of a
/// run of three to five quotes.
fn multi_line(b: &[u8], mut i: usize, q: u8) -> Option<usize> {
    while i < b.len() {
        match b[i] {
            b'\\' if q == b'"' => i += 2,
            c if c == q => {
                let run = b[i..].iter().take_while(|c| **c == q).count();
                if run >= 3 {
                    return (run <= 5).then_some(i + run);
                }
                i += run;
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(text: &str) -> Option<Vec<(String, bool)>> {
        headers(text).map(|hs| {
            hs.into_iter()
                .map(|h| (h.path.join("."), h.array))
                .collect()
        })
    }

    #[test]
    fn finds_headers_and_their_lines() {
        let text = "name = \"x\"\n[[workload]]\nname = \"a\"\n  [workload.cache]\nprefix_tokens = 1\n[ \"rank\" ] # ordering\nobjective = \"cheapest\"\n";
        let hs = headers(text).expect("scans");
        let got: Vec<_> = hs
            .iter()
            .map(|h| (h.start, h.path.join("."), h.array))
            .collect();
        // Line starts: "name…" is 11 bytes, "[[workload]]\n" 13, "name = \"a\"\n" 11.
        assert_eq!(
            got,
            [
                (11, "workload".to_string(), true),
                (35, "workload.cache".to_string(), false),
                (72, "rank".to_string(), false),
            ]
        );
        let (head, each) = regions(text, &hs);
        assert_eq!(&text[head], "name = \"x\"\n");
        assert_eq!(&text[each[0].clone()], "[[workload]]\nname = \"a\"\n");
        assert!(text[each[2].clone()].ends_with("\"cheapest\"\n"));
    }

    #[test]
    fn brackets_inside_strings_and_arrays_are_not_headers() {
        let text = concat!(
            "description = \"\"\"\n[not] a header\n\"\"\"\"\n",
            "note = '''\n[[nor]] this'''\n",
            "input_tokens = { buckets = [\n[100, 0.5],\n  [200, 0.5], # [x]\n] }\n",
            "s = \"a [b\" # [c\n",
            "[real]\n",
        );
        assert_eq!(paths(text), Some(vec![("real".to_string(), false)]));
    }

    #[test]
    fn top_keys_come_from_before_the_first_header_and_from_every_header() {
        let text = "name = \"x\"\nvendor.id = \"v\"\n[[workload]]\nmodel = 1\n['rank']\n";
        let keys: Vec<String> = top_keys(text).expect("scans").into_iter().collect();
        assert_eq!(keys, ["name", "rank", "vendor", "workload"]);
    }

    #[test]
    fn top_keys_are_the_parsed_top_level_keys_of_every_toml_file_in_the_repository() {
        let mut dirs = vec![std::path::PathBuf::from(".")];
        let mut scanned = 0;
        while let Some(d) = dirs.pop() {
            for e in std::fs::read_dir(&d).expect("folder").flatten() {
                let p = e.path();
                let name = e.file_name();
                if p.is_dir() && !matches!(name.to_str(), Some("target" | ".git")) {
                    dirs.push(p);
                } else if p.extension().is_some_and(|x| x == "toml") {
                    let Ok(text) = std::fs::read_to_string(&p) else {
                        continue;
                    };
                    // A file the whole parse refuses may scan either way; one it reads must scan
                    // to the same keys, or not at all.
                    let Ok(table) = toml::from_str::<toml::Table>(&text) else {
                        continue;
                    };
                    if let Some(keys) = top_keys(&text) {
                        let want: std::collections::BTreeSet<String> =
                            table.keys().cloned().collect();
                        assert_eq!(keys, want, "{}", p.display());
                        scanned += 1;
                    }
                }
            }
        }
        assert!(scanned >= 100, "only {scanned} files scanned");
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        // An unterminated string, an escape in a header key, an unbalanced bracket, text after a
        // header, and a space inside `[[`.
        for bad in [
            "a = \"open\n[x]\n",
            "[\"a\\u0062\"]\n",
            "a = [1, 2\n",
            "a = ]\n",
            "[x] y = 1\n",
            "[ [x]]\n",
        ] {
            assert_eq!(paths(bad), None, "{bad:?}");
        }
    }
}
