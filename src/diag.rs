//! Diagnostics that point at the line.
//!
//! Every input fault becomes a [`Diagnostic`]: the file, the line and column, what is wrong, and how
//! to fix it, with a source excerpt and a caret. Faults found after parsing carry a [`KeyPath`]
//! (`workload[1].requests_per_day`) that is resolved to a position by re-reading the file with
//! `toml_edit`, which keeps spans, so the typed parse stays free of span bookkeeping.

use std::fmt;
use std::ops::Range;

/// One step into a TOML document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// A path to a value in a TOML document.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<Seg>);

impl KeyPath {
    /// The empty path: the document itself.
    pub fn root() -> KeyPath {
        KeyPath(Vec::new())
    }

    /// This path extended by a key.
    pub fn key(&self, k: &str) -> KeyPath {
        let mut v = self.0.clone();
        v.push(Seg::Key(k.to_string()));
        KeyPath(v)
    }

    /// This path extended by an index.
    pub fn index(&self, i: usize) -> KeyPath {
        let mut v = self.0.clone();
        v.push(Seg::Index(i));
        KeyPath(v)
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for seg in &self.0 {
            match seg {
                Seg::Key(k) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    if k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    {
                        f.write_str(k)?;
                    } else {
                        write!(f, "\"{k}\"")?;
                    }
                }
                Seg::Index(i) => write!(f, "[{}]", i + 1)?,
            }
            first = false;
        }
        Ok(())
    }
}

/// A source line with a caret under the fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The text of the line.
    pub text: String,
    /// The 1-based column the caret starts at.
    pub column: usize,
    /// How many characters the caret spans.
    pub width: usize,
}

/// An input fault, with where it is and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file, as the user named it, or `<embedded>/x.toml` for the built-in catalogue.
    pub file: String,
    /// 1-based line, where the fault has a place.
    pub line: Option<usize>,
    /// 1-based column, where the fault has a place.
    pub column: Option<usize>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The offending line.
    pub snippet: Option<Snippet>,
}

impl Diagnostic {
    /// A fault with no position: a missing file, an empty file.
    pub fn file_level(file: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            file: file.to_string(),
            line: None,
            column: None,
            message: message.into(),
            help: None,
            snippet: None,
        }
    }

    /// A fault at a byte range of `source`.
    pub fn at_span(
        file: &str,
        source: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Diagnostic {
        // A span from another parser (JSON columns count bytes) may end inside a character: the
        // caret then starts at the character it falls in.
        let start = floor_char(source, span.start);
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i);
        let line = source[..start].matches('\n').count() + 1;
        let text = source[line_start..line_end]
            .trim_end_matches('\r')
            .to_string();
        let column = source[line_start..start].chars().count() + 1;
        let end = floor_char(source, span.end.clamp(start, line_end));
        let width = source[start..end].chars().count().max(1);
        Diagnostic {
            file: file.to_string(),
            line: Some(line),
            column: Some(column),
            message: message.into(),
            help: None,
            snippet: Some(Snippet {
                text,
                column,
                width,
            }),
        }
    }

    /// A fault at a key path of a TOML document, located as closely as the document allows.
    pub fn at_path(
        file: &str,
        source: &str,
        path: &KeyPath,
        message: impl Into<String>,
    ) -> Diagnostic {
        match locate(source, path) {
            Some(span) => Diagnostic::at_span(file, source, span, message),
            None => Diagnostic::file_level(file, message),
        }
    }

    /// Adds a hint on how to fix the fault.
    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(l), Some(c)) => write!(f, "{}:{l}:{c}: {}", self.file, self.message)?,
            (Some(l), None) => write!(f, "{}:{l}: {}", self.file, self.message)?,
            _ => write!(f, "{}: {}", self.file, self.message)?,
        }
        if let (Some(snippet), Some(line)) = (&self.snippet, self.line) {
            let gutter = line.to_string().len();
            let pad = " ".repeat(gutter);
            let indent: String = snippet
                .text
                .chars()
                .take(snippet.column - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(
                f,
                "\n{pad} |\n{line} | {}\n{pad} | {indent}{}",
                snippet.text,
                "^".repeat(snippet.width.min(80))
            )?;
        }
        if let Some(help) = &self.help {
            let pad = " ".repeat(self.line.map_or(1, |l| l.to_string().len()));
            write!(f, "\n{pad} = help: {help}")?;
        }
        Ok(())
    }
}

/// The largest character boundary of `s` at or before byte `i`.
fn floor_char(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The byte range of the value at `path`, or of the nearest enclosing item that has a position.
pub fn locate(source: &str, path: &KeyPath) -> Option<Range<usize>> {
    let doc = toml_edit::ImDocument::parse(source).ok()?;
    locate_in(&doc, path)
}

/// [`locate`] in a document already parsed, for callers that locate many faults in one file.
pub fn locate_in<S>(doc: &toml_edit::ImDocument<S>, path: &KeyPath) -> Option<Range<usize>> {
    let mut best: Option<Range<usize>> = None;
    let mut node = Node::Table(doc.as_table());
    for seg in &path.0 {
        let next = match (&node, seg) {
            (Node::Table(t), Seg::Key(k)) => {
                if let Some(span) = t.key(k).and_then(|key| key.span()) {
                    best = Some(span);
                }
                t.get(k).map(Node::Item)
            }
            (Node::Item(item), Seg::Key(k)) => match item {
                toml_edit::Item::Table(t) => {
                    if let Some(span) = t.key(k).and_then(|key| key.span()) {
                        best = Some(span);
                    }
                    t.get(k).map(Node::Item)
                }
                toml_edit::Item::Value(toml_edit::Value::InlineTable(t)) => {
                    if let Some(span) = t.key(k).and_then(|key| key.span()) {
                        best = Some(span);
                    }
                    t.get(k).map(Node::Value)
                }
                _ => None,
            },
            (Node::Value(toml_edit::Value::InlineTable(t)), Seg::Key(k)) => {
                if let Some(span) = t.key(k).and_then(|key| key.span()) {
                    best = Some(span);
                }
                t.get(k).map(Node::Value)
            }
            (Node::Item(toml_edit::Item::ArrayOfTables(a)), Seg::Index(i)) => {
                a.get(*i).map(Node::Table)
            }
            (Node::Item(toml_edit::Item::Value(toml_edit::Value::Array(a))), Seg::Index(i))
            | (Node::Value(toml_edit::Value::Array(a)), Seg::Index(i)) => {
                a.get(*i).map(Node::Value)
            }
            _ => None,
        };
        match next {
            Some(n) => {
                if let Some(span) = n.span() {
                    best = Some(span);
                }
                node = n;
            }
            None => break,
        }
    }
    best
}

enum Node<'a> {
    Table(&'a toml_edit::Table),
    Item(&'a toml_edit::Item),
    Value(&'a toml_edit::Value),
}

impl Node<'_> {
    fn span(&self) -> Option<Range<usize>> {
        match self {
            Node::Table(t) => t.span(),
            Node::Item(toml_edit::Item::Value(v)) => v.span(),
            Node::Value(v) => v.span(),
            Node::Item(toml_edit::Item::Table(t)) => t.span(),
            Node::Item(i) => i.span(),
        }
    }
}

/// The closest candidate to a mistyped word, if one is close enough to be a plausible typo.
///
/// Close means, in order of preference: a few edits away (about one in three characters); or
/// the start of a candidate, for a word of three or more letters (`cheap` for `cheapest`); or
/// sharing a long start with it, five letters and at least half the word (`context_size` for
/// `context_window`).
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let word_l = word.to_lowercase();
    let candidates: Vec<&str> = candidates.into_iter().collect();
    let by_edits = candidates
        .iter()
        .map(|c| (strsim::damerau_levenshtein(&word_l, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_string());
    let len = word_l.chars().count();
    let by_prefix = || {
        candidates
            .iter()
            .filter(|c| len >= 3 && c.to_lowercase().starts_with(&word_l))
            .min_by_key(|c| c.len())
            .map(|c| c.to_string())
    };
    let by_shared_start = || {
        let shared = |c: &str| {
            c.to_lowercase()
                .chars()
                .zip(word_l.chars())
                .take_while(|(a, b)| a == b)
                .count()
        };
        candidates
            .iter()
            .map(|c| (shared(c), c))
            .filter(|(n, _)| *n >= 5 && 2 * n >= len)
            .max_by_key(|(n, c)| (*n, std::cmp::Reverse(c.len())))
            .map(|(_, c)| c.to_string())
    };
    by_edits.or_else(by_prefix).or_else(by_shared_start)
}

/// Help for a name that is not one of `known`: the closest valid name, if any, then all of them
/// under the heading `noun` ("vendors: anthropic, google, ...").
pub fn suggest<'a, I>(word: &str, noun: &str, known: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    let known: Vec<&str> = known.into_iter().collect();
    let list = known.join(", ");
    match did_you_mean(word, known) {
        Some(s) => format!("did you mean `{s}`? {noun}: {list}"),
        None => format!("{noun}: {list}"),
    }
}

pub use crate::toml_error::from_toml_error;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_closest_name() {
        let fields = ["requests_per_day", "requests_per_month", "input_tokens"];
        assert_eq!(
            did_you_mean("request_per_day", fields).as_deref(),
            Some("requests_per_day")
        );
        assert_eq!(
            did_you_mean("input_token", fields).as_deref(),
            Some("input_tokens")
        );
        assert_eq!(did_you_mean("colour", fields), None);
        let objectives = ["cheapest", "best_fit", "balanced"];
        assert_eq!(
            did_you_mean("cheap", objectives).as_deref(),
            Some("cheapest")
        );
        assert_eq!(did_you_mean("be", objectives), None);
        let model = ["context_window", "max_output_tokens", "capabilities"];
        assert_eq!(
            did_you_mean("context_size", model).as_deref(),
            Some("context_window")
        );
        // Four shared letters are not enough: mmlu_pro is another benchmark, not a typo of mmlu.
        assert_eq!(did_you_mean("mmlu_pro", ["mmlu", "mmmu"]), None);
    }

    #[test]
    fn locates_nested_values() {
        let src = "name = \"x\"\n\n[[workload]]\nname = \"a\"\n\n[[workload]]\nname = \"b\"\nrequests_per_day = -5\n";
        let path = KeyPath::root()
            .key("workload")
            .index(1)
            .key("requests_per_day");
        let d = Diagnostic::at_path("s.toml", src, &path, "must be positive");
        assert_eq!((d.line, d.column), (Some(8), Some(20)));
        assert!(d.to_string().contains("8 | requests_per_day = -5"));
        let inline = "[pricing]\ndiscounts = { anthropic = 1.5 }\n";
        let path = KeyPath::root()
            .key("pricing")
            .key("discounts")
            .key("anthropic");
        let d = Diagnostic::at_path("s.toml", inline, &path, "x");
        assert_eq!((d.line, d.column), (Some(2), Some(27)));
    }

    #[test]
    fn spans_inside_a_character_land_on_its_start() {
        // A byte order mark is three bytes; a JSON parser's column 2 is byte 1, inside it.
        let src = "\u{feff}{\"a\": \u{e9}}";
        for span in [1..2, 0..1, 1..9, 7..8, 8..100, 100..200] {
            let d = Diagnostic::at_span("x.json", src, span.clone(), "bad");
            assert_eq!(d.line, Some(1), "{span:?}");
            let _ = d.to_string();
        }
        let d = Diagnostic::at_span("x.json", src, 9..10, "bad");
        // Bytes 0..3 are the mark, 3..9 `{"a": `, then é: column 8, one character wide.
        assert_eq!((d.column, d.snippet.map(|s| s.width)), (Some(8), Some(1)));
    }

    #[test]
    fn key_paths_print_one_based() {
        assert_eq!(
            KeyPath::root()
                .key("workload")
                .index(0)
                .key("x")
                .to_string(),
            "workload[1].x"
        );
    }
}
