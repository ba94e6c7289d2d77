//! Turning the `toml` crate's errors into diagnostics that say how to fix the file.
//!
//! One error type carries two kinds of fault: TOML syntax (an unquoted string, a duplicate key) and
//! shape faults found by serde (an unknown field, a wrong type). Both arrive worded for Rust
//! programmers (`expected struct RawPricing`, `a sequence`, `invalid string\nexpected ...`); a
//! person editing a file needs TOML words, the field, the allowed values and the closest valid name.
//!
//! Which advice fits is never read from the crate's wording. A shape fault is named by the serde
//! call that raised it, found by reading the document a second time (`toml_shape`); a syntax fault
//! by what the file holds where the parser stopped (`classify`). The parser's own words are still
//! shown for a syntax fault, as the message, since they say what it expected.

use crate::diag::{did_you_mean, Diagnostic};
use crate::num::Refusal;
use crate::toml_shape::{self, Shape, Wanted};
use serde::de::DeserializeOwned;

/// Turns the `toml` crate's error in reading `source` as a `T` into a diagnostic with advice.
pub fn from_toml_error<T: DeserializeOwned>(
    file: &str,
    source: &str,
    err: &toml::de::Error,
) -> Diagnostic {
    let raw = err.message().trim();
    let key = err.span().and_then(|s| key_before(source, s.start));
    // Only a document that toml_edit cannot read at all has a syntax fault; everything else is a
    // shape fault in a well-formed document, which a second reading names as serde raised it.
    let syntax = toml_edit::ImDocument::parse(source).is_err();
    let (message, help) = if syntax {
        syntax_advice(raw, source, err.span().map(|s| s.start))
    } else {
        reword(toml_shape::fault::<T>(source).as_ref(), raw, key.as_deref())
    };
    let mut diag = match err.span() {
        Some(span) => Diagnostic::at_span(file, source, span, message),
        None => Diagnostic::file_level(file, message),
    };
    diag.help = help;
    diag
}

/// The key whose value starts at byte `at`, read from the text before it on the same line:
/// `vendors = ["a", 1]` and `weights = { mmlu = [1] }` both name the nearest key left of the value.
fn key_before(source: &str, at: usize) -> Option<String> {
    let at = (0..=at.min(source.len()))
        .rev()
        .find(|i| source.is_char_boundary(*i))?;
    let line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    let before = &source[line_start..at];
    let (lhs, _) = before.rsplit_once('=')?;
    let lhs = lhs.trim_end();
    // A quoted key may hold spaces and dots: take it whole, between its quotes.
    for q in ['"', '\''] {
        if let Some(inner) = lhs.strip_suffix(q) {
            let key = inner.rsplit_once(q).map_or(inner, |(_, k)| k);
            return (!key.is_empty()).then(|| key.to_string());
        }
    }
    let key = lhs.rsplit(['{', ',', ' ', '\t']).find(|k| !k.is_empty())?;
    let key = key
        .rsplit('.')
        .next()
        .unwrap_or(key)
        .trim_matches(['"', '\'']);
    (!key.is_empty()).then(|| key.to_string())
}

/// What the text holds where the parser stopped: the class of a syntax fault, read from the
/// file itself rather than from the parser's wording.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Syntax {
    /// A key or a table header written a second time: the key and the table it is in.
    Duplicate { key: String, table: Option<String> },
    /// A value that starts with a letter: text without quotes.
    UnquotedText,
    /// A quote opened on this line and not closed.
    OpenString,
    /// A `[table]` or `[[array]]` header line.
    Header,
    /// Inside `{ ... }`.
    InlineTable,
    /// Inside `[ ... ]` after `=`.
    Array,
    /// A value that starts like a number.
    Number,
    /// Before any `=` on the line: the key.
    Key,
    /// None of these.
    Other,
}

/// The class of the syntax fault at byte `at` of `source`.
fn classify(source: &str, at: usize) -> Syntax {
    let at = (0..=at.min(source.len()))
        .rev()
        .find(|i| source.is_char_boundary(*i))
        .unwrap_or(0);
    let mut line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    if source[line_start..at].trim().is_empty() && line_start > 0 {
        // At the start of a line: an array, table or string left open above ends here, so the
        // line that opened it is the one to read.
        let above = source[..line_start - 1].trim_end();
        if above.lines().last().is_some_and(|l| l.contains('=')) && !above.is_empty() {
            let from = above.rfind('\n').map_or(0, |i| i + 1);
            let open = &above[from..];
            let value = open.split_once('=').map_or("", |(_, v)| v);
            let unbalanced = value.matches('[').count() > value.matches(']').count()
                || value.matches('{').count() > value.matches('}').count()
                || value.matches('"').count() % 2 == 1;
            if unbalanced {
                return classify(source, above.len());
            }
        }
        line_start = source[..at].rfind('\n').map_or(0, |i| i + 1);
    }
    let line_end = source[at..].find('\n').map_or(source.len(), |i| at + i);
    let line = source[line_start..line_end].trim_end_matches('\r');
    let before = &source[line_start..at];
    let here = source[at..line_end].chars().next();
    let trimmed = line.trim();
    // Everything before this line, as `key = value` keys and headers, for a second occurrence.
    let earlier: Vec<&str> = source[..line_start].lines().map(str::trim).collect();
    let header_of = |l: &str| {
        l.strip_prefix("[[")
            .and_then(|h| h.strip_suffix("]]"))
            .or_else(|| l.strip_prefix('[').and_then(|h| h.strip_suffix(']')))
            .map(|h| h.trim().to_string())
    };
    if let Some(name) = header_of(trimmed) {
        if !trimmed.starts_with("[[") && earlier.contains(&trimmed) {
            let (table, key) = match name.rsplit_once('.') {
                Some((t, k)) => (Some(t.to_string()), k.to_string()),
                None => (None, name),
            };
            return Syntax::Duplicate { key, table };
        }
        return Syntax::Header;
    }
    if trimmed.starts_with('[') && !before.contains('=') {
        return Syntax::Header;
    }
    let key_of = |l: &str| {
        l.split_once('=')
            .map(|(k, _)| k.trim().to_string())
            .filter(|k| !k.is_empty() && !k.starts_with('#'))
    };
    if before.trim().is_empty() {
        if let Some(key) = key_of(trimmed) {
            // The keys of this line's table: from the last header above it.
            let from = earlier
                .iter()
                .rposition(|l| header_of(l).is_some())
                .map_or(0, |i| i + 1);
            if earlier[from..]
                .iter()
                .any(|l| key_of(l).as_deref() == Some(&key))
            {
                let table = from.checked_sub(1).and_then(|i| header_of(earlier[i]));
                return Syntax::Duplicate { key, table };
            }
        }
    }
    let Some((_, value)) = before.split_once('=') else {
        return Syntax::Key;
    };
    let opened = |c: char| value.matches(c).count() % 2 == 1;
    if opened('"') || opened('\'') || (here.is_none() && value.trim_end().ends_with(['"', '\''])) {
        return Syntax::OpenString;
    }
    if value.matches('[').count() > value.matches(']').count() {
        return Syntax::Array;
    }
    if value.matches('{').count() > value.matches('}').count() {
        return Syntax::InlineTable;
    }
    let word = &source[at..line_end];
    if here.is_some_and(char::is_alphabetic)
        && !["true", "false", "inf", "nan"]
            .iter()
            .any(|w| word.starts_with(w))
    {
        return Syntax::UnquotedText;
    }
    // A whole value, then a space, then more: a second value where a line ends.
    if !value.trim().is_empty() && value.ends_with([' ', '\t']) {
        return Syntax::Key;
    }
    // The token the parser stopped in, from the start of the value.
    let token = value.trim_start().to_string() + word.split_whitespace().next().unwrap_or("");
    let b = token.as_bytes();
    let date = b.len() > 4 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-';
    if !date && token.starts_with(|c: char| c.is_ascii_digit() || c == '+' || c == '-' || c == '.')
    {
        Syntax::Number
    } else {
        Syntax::Other
    }
}

/// A syntax fault: the parser's own words, and the usual fix for what the file holds there.
fn syntax_advice(raw: &str, source: &str, at: Option<usize>) -> (String, Option<String>) {
    let class = at.map_or(Syntax::Other, |at| classify(source, at));
    if let Syntax::Duplicate { key, table } = &class {
        let table = table
            .as_ref()
            .map_or("document root".to_string(), |t| format!("table `{t}`"));
        return (
            format!("duplicate key `{key}` in {table}"),
            Some("a key may appear only once in a table; remove or rename one (each [[...]] header, such as [[workload]] or [[model]], starts a new table)".into()),
        );
    }
    let mut lines = raw.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("invalid TOML").to_string();
    let rest: Vec<&str> = lines.collect();
    let detail = if rest.is_empty() {
        String::new()
    } else {
        format!(": {}", rest.join("; "))
    };
    let message = format!("TOML syntax error: {first}{detail}");
    let help = match class {
        Syntax::UnquotedText => "text values need quotes, such as name = \"chat\"",
        Syntax::OpenString => "close the string with the same quote it opened with, on the same line; use \"\"\" for text over several lines",
        Syntax::Header => "a table header is [name] or [[name]] on a line of its own",
        Syntax::InlineTable => "an inline table is { key = value, other = value } on one line",
        Syntax::Array => "an array is [a, b, c]; text inside it needs quotes",
        Syntax::Number => "write numbers plainly (1500, 0.25), or as quoted decimals (\"0.000001\") when very large or precise",
        Syntax::Key => "each line holds one `key = value`; keys are bare words (letters, digits, _ and -) or quoted",
        Syntax::Duplicate { .. } | Syntax::Other => "see https://toml.io/en/v1.0.0 for TOML syntax",
    };
    (message, Some(help.to_string()))
}

/// A shape fault in TOML words, with the field named and the closest valid name. `raw` is the
/// `toml` crate's message, shown as it is only for a fault the second reading does not classify.
fn reword(shape: Option<&Shape>, raw: &str, key: Option<&str>) -> (String, Option<String>) {
    let for_key = key.map(|k| format!(" for `{k}`")).unwrap_or_default();
    match shape {
        Some(Shape::UnknownField { field, allowed }) => {
            let elsewhere = crate::field_tables::tables_taking(field, allowed);
            if !elsewhere.is_empty() {
                let home = elsewhere.join(" or ");
                let help = format!(
                    "`{field}` belongs {home}: every key after a table header belongs to that table, so move it there"
                );
                return (format!("unknown field `{field}`"), Some(help));
            }
            (
                format!("unknown field `{field}`"),
                Some(choose(field, allowed)),
            )
        }
        Some(Shape::UnknownVariant { variant, allowed }) => (
            format!("unknown value `{variant}`{for_key}"),
            Some(choose(variant, allowed)),
        ),
        Some(Shape::MissingField(field)) => (
            format!("missing field `{field}`"),
            Some(format!("add `{field} = ...` to this table")),
        ),
        Some(Shape::WrongType { found, wanted }) => {
            let (expected, help) = match wanted {
                Wanted::Boolean => (
                    "a boolean",
                    Some("write true or false, without quotes".to_string()),
                ),
                Wanted::String => ("a string", Some("put text in double quotes".to_string())),
                Wanted::Array => (
                    "an array",
                    Some(format!(
                        "write a list in square brackets, such as {} = [\"...\"]",
                        key.unwrap_or("key")
                    )),
                ),
                Wanted::Table => (
                    "a table",
                    Some(format!(
                        "write it as a table: a [{}] header with `key = value` lines under it",
                        key.unwrap_or("name")
                    )),
                ),
                // The simple form of caching has no range; the billed form's hit rate does.
                Wanted::Number if key == Some("cached_input_share") && found == "a table" => (
                    crate::num::EXPECTING,
                    Some("cached_input_share takes a number; for a range, bill the cache by [workload.cache] with prefix_tokens and hit_rate = { p10 = …, p50 = …, p90 = … } (docs/forecast.md)".to_string()),
                ),
                Wanted::Number => (
                    crate::num::EXPECTING,
                    Some(
                        "write a number such as 1500 or 0.25, or a quoted decimal such as \"0.25\""
                            .to_string(),
                    ),
                ),
                Wanted::Described(what) => (what.as_str(), None),
            };
            (
                format!("wrong type{for_key}: found {found}, expected {expected}"),
                help,
            )
        }
        // An enum (status, modality, objective...) given something other than a string.
        Some(Shape::NotAName) => (
            format!("wrong type{for_key}: expected a name in double quotes"),
            Some("write the value as a quoted name, such as \"ga\"".into()),
        ),
        // A number's refusal, already in words for a person; the advice follows its kind.
        Some(Shape::Number(why)) => {
            let help = match why {
                Refusal::NotDecimal(_) => {
                    Some("write the number alone, without units or currency symbols".to_string())
                }
                Refusal::Inexact(..) => Some(
                    "round it to at most 28 significant digits and 28 decimal places".to_string(),
                ),
                Refusal::Empty | Refusal::NotFinite | Refusal::FloatTooLarge(_) => None,
            };
            match key {
                Some(k) => (format!("`{k}`: {why}"), help),
                None => (why.to_string(), help),
            }
        }
        // Any other type's own refusal, already in words for a person.
        Some(Shape::Other(message)) => match key {
            Some(k) => (format!("`{k}`: {message}"), None),
            None => (message.clone(), None),
        },
        None => match key {
            Some(k) => (format!("`{k}`: {raw}"), None),
            None => (raw.to_string(), None),
        },
    }
}

/// Help for a word that is not one of `allowed`: the closest, or the list.
fn choose(word: &str, allowed: &[&str]) -> String {
    let list = allowed
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match did_you_mean(word, allowed.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? allowed: {list}"),
        None if allowed.is_empty() => format!("remove `{word}`; nothing else is allowed here"),
        None => format!("allowed: {list}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    #[track_caller]
    fn case(shape: Shape, key: Option<&str>, message: &str, help: Option<&str>) {
        let (m, h) = reword(Some(&shape), "(unused)", key);
        assert_eq!(m, message);
        match help {
            Some(prefix) => assert!(
                h.as_deref().unwrap_or_default().starts_with(prefix),
                "{h:?}"
            ),
            None => assert_eq!(h, None),
        }
    }

    /// The shape fault `text` holds for a `T`, read the second way.
    fn shape_of<T: DeserializeOwned>(text: &str) -> Shape {
        toml_shape::fault::<T>(text).expect("a shape fault")
    }

    #[test]
    fn words_each_kind_of_shape_fault() {
        case(
            Shape::UnknownField {
                field: "request_per_day".into(),
                allowed: &["name", "requests_per_day"],
            },
            None,
            "unknown field `request_per_day`",
            Some("did you mean `requests_per_day`?"),
        );
        case(
            Shape::UnknownVariant {
                variant: "cheap".into(),
                allowed: &["cheapest", "best_fit", "balanced"],
            },
            Some("objective"),
            "unknown value `cheap` for `objective`",
            Some("did you mean `cheapest`?"),
        );
        case(
            Shape::WrongType {
                found: "string \"openai\"".into(),
                wanted: Wanted::Array,
            },
            Some("vendors"),
            "wrong type for `vendors`: found string \"openai\", expected an array",
            Some("write a list"),
        );
        case(
            Shape::WrongType {
                found: "integer `5`".into(),
                wanted: Wanted::Table,
            },
            Some("pricing"),
            "wrong type for `pricing`: found integer `5`, expected a table",
            Some("write it as a table: a [pricing] header"),
        );
        case(
            Shape::WrongType {
                found: "string \"yes\"".into(),
                wanted: Wanted::Boolean,
            },
            Some("open_weights"),
            "wrong type for `open_weights`: found string \"yes\", expected a boolean",
            Some("write true or false"),
        );
        case(
            Shape::NotAName,
            Some("objective"),
            "wrong type for `objective`: expected a name in double quotes",
            Some("write the value"),
        );
        case(
            Shape::Number(Refusal::NotDecimal("abc".into())),
            Some("input"),
            "`input`: `abc` is not a decimal number; write it like \"0.25\" or \"1500\"",
            Some("write the number alone"),
        );
        case(
            Shape::Number(Refusal::Inexact(
                "1e-29".into(),
                crate::num::Imprecise::Places(Decimal::ZERO),
            )),
            Some("input"),
            "`input`: `1e-29` cannot be held exactly (a decimal has at most 28 places); it would become 0",
            Some("round it to at most 28"),
        );
        case(
            Shape::Number(Refusal::NotFinite),
            None,
            "expected a finite number, found inf or nan",
            None,
        );
        case(
            Shape::Other("`abc` is not a decimal number".into()),
            Some("input"),
            "`input`: `abc` is not a decimal number",
            None,
        );
        // A fault the second reading does not classify keeps the toml crate's words.
        let (m, h) = reword(None, "something new", Some("k"));
        assert_eq!((m.as_str(), h), ("`k`: something new", None));
    }

    /// The second reading names each fault by the serde call that raised it.
    #[test]
    fn the_second_reading_classifies_by_structure() {
        use crate::catalogue::raw::{RawFx, RawPrice};
        use crate::catalogue::vocab::Status;
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Doc {
            status: Option<Status>,
            flag: Option<bool>,
            list: Option<Vec<String>>,
            price: Option<RawPrice>,
        }
        assert_eq!(
            shape_of::<RawFx>("as_of = \"d\"\nsource = \"s\"\nrate = 1\n"),
            Shape::UnknownField {
                field: "rate".into(),
                allowed: &["as_of", "source", "rates", "note"]
            }
        );
        assert_eq!(
            shape_of::<RawFx>("as_of = \"d\"\n"),
            Shape::MissingField("source")
        );
        assert!(matches!(
            shape_of::<Doc>("status = \"gaa\""),
            Shape::UnknownVariant { variant, .. } if variant == "gaa"
        ));
        assert_eq!(shape_of::<Doc>("status = 1"), Shape::NotAName);
        let wrong = |found: &str, wanted: Wanted| Shape::WrongType {
            found: found.into(),
            wanted,
        };
        assert_eq!(
            shape_of::<Doc>("flag = \"no\""),
            wrong("string \"no\"", Wanted::Boolean)
        );
        assert_eq!(
            shape_of::<Doc>("list = \"a\""),
            wrong("string \"a\"", Wanted::Array)
        );
        assert_eq!(
            shape_of::<Doc>("list = [1]"),
            wrong("integer `1`", Wanted::String)
        );
        assert_eq!(
            shape_of::<Doc>("price = 5"),
            wrong("integer `5`", Wanted::Table)
        );
        assert_eq!(
            shape_of::<Doc>("[price]\ninput = true"),
            wrong("boolean `true`", Wanted::Number)
        );
        assert_eq!(
            shape_of::<Doc>("[price]\ninput = [1]"),
            wrong("an array", Wanted::Number)
        );
        // A document that reads has no shape fault.
        assert_eq!(toml_shape::fault::<Doc>("flag = true"), None);
    }

    #[test]
    fn names_the_key_left_of_the_value() {
        let src =
            "a = 1\nvendors = [\"x\", 1]\nweights = { mmlu = [1] }\n\"quoted key\" = 2\n[t]\n";
        let at = |needle: &str| src.find(needle).unwrap();
        assert_eq!(key_before(src, at("1]")).as_deref(), Some("vendors"));
        assert_eq!(key_before(src, at("[1] }")).as_deref(), Some("mmlu"));
        assert_eq!(key_before(src, at("2\n")).as_deref(), Some("quoted key"));
        assert_eq!(key_before(src, at("[t]")), None);
    }

    #[test]
    fn syntax_errors_get_a_fix_for_what_the_file_holds() {
        let advice = |src: &str, at: &str| {
            let (m, h) = syntax_advice("the parser's words", src, Some(src.find(at).unwrap()));
            (m, h.unwrap())
        };
        let (m, h) = advice("a = 1\nname = Support bot\n", "Support");
        assert_eq!(m, "TOML syntax error: the parser's words");
        assert!(h.starts_with("text values need quotes"), "{h}");
        assert!(advice("name = \"Acme\n", "\n")
            .1
            .starts_with("close the string"));
        assert!(advice("[[workload]\n", "\n")
            .1
            .starts_with("a table header is"));
        assert!(advice("x = { a = 1\n", "\n")
            .1
            .starts_with("an inline table is"));
        assert!(advice("x = [1, 2\n", "\n").1.starts_with("an array is"));
        assert!(advice("x = 1.2.3\n", "1.2.3")
            .1
            .starts_with("write numbers plainly"));
        assert!(advice("bad key = 1\n", "key")
            .1
            .starts_with("each line holds one"));
        let dup = "[[workload]]\ninput_tokens = 1\nname = \"a\"\ninput_tokens = 2\n";
        let (m, h) = advice(dup, "input_tokens = 2");
        assert_eq!(m, "duplicate key `input_tokens` in table `workload`");
        assert!(h.starts_with("a key may appear only once"));
        // The same key under another header is no duplicate.
        let other = "[a]\nx = 1\n[b]\nx = 2 3\n";
        assert!(!advice(other, "x = 2").0.starts_with("duplicate"));
        // A table header written twice, at the second one.
        let twice = |src: &str| syntax_advice("", src, src.rfind('[')).0;
        assert_eq!(
            twice("[a]\nx = 1\n[a]\n"),
            "duplicate key `a` in document root"
        );
        assert_eq!(twice("[a.b]\n[a.b]\n"), "duplicate key `b` in table `a`");
    }

    proptest::proptest! {
        /// Reading the text where the parser stopped never fails, whatever the text and offset.
        #[test]
        fn classifying_any_text_at_any_offset_never_panics(src in "[a-z0-9 =\\[\\]{}\"'.,#é\n-]{0,60}", at in 0usize..80) {
            let _ = classify(&src, at);
        }
    }
}
