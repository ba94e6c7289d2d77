//! Turning the `toml` crate's errors into diagnostics that say how to fix the file.
//!
//! One error type carries two kinds of fault: TOML syntax (an unquoted string, a duplicate key) and
//! shape faults found by serde (an unknown field, a wrong type). Both arrive worded for Rust
//! programmers (`expected struct RawPricing`, `a sequence`, `invalid string\nexpected ...`); a
//! person editing a file needs TOML words, the field, the allowed values and the closest valid name.

use crate::diag::{did_you_mean, Diagnostic};
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
        syntax_advice(raw)
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

/// A syntax fault: the parser's first line, its expectations, and the usual fix.
fn syntax_advice(raw: &str) -> (String, Option<String>) {
    let mut lines = raw.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or("invalid TOML").to_string();
    let rest: Vec<&str> = lines.collect();
    if let Some(dup) = rest
        .iter()
        .chain(std::iter::once(&first.as_str()))
        .find(|l| l.starts_with("duplicate key"))
    {
        return (
            dup.to_string(),
            Some("a key may appear only once in a table; remove or rename one (each [[...]] header, such as [[workload]] or [[model]], starts a new table)".into()),
        );
    }
    let detail = if rest.is_empty() {
        String::new()
    } else {
        format!(": {}", rest.join("; "))
    };
    let message = format!("TOML syntax error: {first}{detail}");
    let help = if first.starts_with("invalid string") {
        "text values need quotes, such as name = \"chat\""
    } else if first.contains("string") {
        "close the string with the same quote it opened with, on the same line; use \"\"\" for text over several lines"
    } else if first.contains("table header") {
        "a table header is [name] or [[name]] on a line of its own"
    } else if first.contains("inline table") {
        "an inline table is { key = value, other = value } on one line"
    } else if first.contains("array") {
        "an array is [a, b, c]; text inside it needs quotes"
    } else if first.contains("integer")
        || first.contains("floating-point")
        || first.contains("number")
    {
        "write numbers plainly (1500, 0.25), or as quoted decimals (\"0.000001\") when very large or precise"
    } else if first.contains("key") || first.starts_with("expected") {
        "each line holds one `key = value`; keys are bare words (letters, digits, _ and -) or quoted"
    } else {
        "see https://toml.io/en/v1.0.0 for TOML syntax"
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
        // A type's own refusal (a number's, for instance), already in words for a person.
        Some(Shape::Other(message)) => {
            let help = message
                .contains("is not a decimal number")
                .then(|| "write the number alone, without units or currency symbols".to_string());
            match key {
                Some(k) => (format!("`{k}`: {message}"), help),
                None => (message.clone(), help),
            }
        }
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
            Shape::Other("`abc` is not a decimal number".into()),
            Some("input"),
            "`input`: `abc` is not a decimal number",
            Some("write the number alone"),
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
    fn syntax_errors_get_a_fix() {
        let (m, h) = syntax_advice("invalid string\nexpected `\"`, `'`");
        assert_eq!(m, "TOML syntax error: invalid string: expected `\"`, `'`");
        assert!(h.unwrap().starts_with("text values need quotes"));
        let (m, h) = syntax_advice("invalid table header\nduplicate key `a` in document root");
        assert_eq!(m, "duplicate key `a` in document root");
        assert!(h.unwrap().starts_with("a key may appear only once"));
    }
}
