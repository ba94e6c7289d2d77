//! Text that reaches a terminal: what may never be in an id or a name, and how everything else is
//! made harmless.
//!
//! A name is printed in tables, messages and file names. Control characters (an ESC sequence can
//! clear the screen or retitle the window), bidirectional overrides (which make text display in
//! an order other than the one it is read in) and zero-width characters (which make `chat` and
//! `ch\u{200b}at` two names that look the same) are refused in ids and names ([`hidden_char`]).
//! Any other text from a file, such as a description or the line a diagnostic quotes, is printed
//! with those characters escaped ([`escape`]).

use crate::render::{Cell, Doc, Section};
use std::borrow::Cow;

/// Whether `c` is refused in ids and names: a control character, a bidirectional control, a
/// zero-width or otherwise invisible formatting character, or a line or paragraph separator.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'                  // soft hyphen
            | '\u{061C}'                // Arabic letter mark
            | '\u{115F}' | '\u{1160}'   // Hangul fillers
            | '\u{180E}'                // Mongolian vowel separator
            | '\u{200B}'..='\u{200F}'   // zero-width space, non-joiner, joiner; LRM, RLM
            | '\u{2028}'..='\u{202E}'   // line and paragraph separators; embeddings and overrides
            | '\u{2060}'..='\u{206F}'   // word joiner, invisible operators, isolates
            | '\u{3164}'                // Hangul filler
            | '\u{FEFF}'                // zero-width no-break space (byte order mark)
            | '\u{FFF9}'..='\u{FFFB}' // interlinear annotation
        )
}

/// The first refused character of `s`, with its 1-based position in characters.
pub fn hidden_char(s: &str) -> Option<(usize, char)> {
    s.chars()
        .enumerate()
        .find(|(_, c)| is_hidden(*c))
        .map(|(i, c)| (i + 1, c))
}

/// A refused character as people can read it: `U+200B (zero-width space)`.
pub fn describe(c: char) -> String {
    let what = match c {
        '\u{1B}' => "escape, which starts terminal control sequences",
        '\t' => "tab",
        '\n' | '\r' => "line break",
        c if c.is_control() => "control character",
        '\u{200B}' => "zero-width space",
        '\u{200C}' => "zero-width non-joiner",
        '\u{200D}' => "zero-width joiner",
        '\u{FEFF}' => "zero-width no-break space",
        '\u{2060}' => "word joiner",
        '\u{200E}' | '\u{200F}' | '\u{061C}' => "bidirectional mark",
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => "bidirectional override",
        '\u{2028}' | '\u{2029}' => "line separator",
        _ => "invisible character",
    };
    format!("U+{:04X} ({what})", c as u32)
}

/// `s` with every refused character but line breaks and tabs written as `\u{...}`, so it prints
/// as the characters it holds rather than acting on the terminal.
pub fn escape(s: &str) -> Cow<'_, str> {
    let keep = |c: char| c == '\n' || c == '\t' || !is_hidden(c);
    if s.chars().all(keep) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if keep(c) {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        }
    }
    Cow::Owned(out)
}

/// A report with its text escaped, for a terminal. The JSON is left alone: JSON escapes control
/// characters itself.
pub fn escape_doc(doc: &Doc) -> Doc {
    let e = |s: &String| escape(s).into_owned();
    Doc {
        json: doc.json.clone(),
        sections: doc
            .sections
            .iter()
            .map(|s| Section {
                title: s.title.as_ref().map(e),
                headers: s.headers.iter().map(e).collect(),
                right: s.right.clone(),
                keys: s.keys.clone(),
                hidden: s.hidden.clone(),
                drop_order: s.drop_order.clone(),
                lazy: s.lazy.clone().map(|rows| {
                    crate::render::LazyRows::new(move |sink| {
                        rows.each(&mut |r| sink(r.iter().map(escape_cell).collect()))
                    })
                }),
                rows: s
                    .rows
                    .iter()
                    .map(|r| r.iter().map(escape_cell).collect())
                    .collect(),
            })
            .collect(),
        notes: doc.notes.iter().map(e).collect(),
    }
}

fn escape_cell(c: &Cell) -> Cell {
    Cell {
        text: escape(&c.text).into_owned(),
        raw: escape(&c.raw).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_controlling_characters_are_found_and_escaped() {
        assert_eq!(hidden_char("chat"), None);
        assert_eq!(hidden_char("ch\u{200b}at"), Some((3, '\u{200b}')));
        assert_eq!(hidden_char("\u{1b}[2Jx"), Some((1, '\u{1b}')));
        assert_eq!(hidden_char("abc\u{202e}cba"), Some((4, '\u{202e}')));
        // Ordinary text in any script passes.
        assert_eq!(hidden_char("通义千问 Qwen-72B (café)"), None);
        assert_eq!(escape("plain\tline\n"), "plain\tline\n");
        assert_eq!(escape("a\u{1b}[31mb\u{202e}c"), "a\\u{1b}[31mb\\u{202e}c");
        assert_eq!(
            describe('\u{200b}'),
            "U+200B (zero-width space)".to_string()
        );
    }
}
