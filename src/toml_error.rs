//! Turning the `toml` crate's errors into diagnostics that say how to fix the file.
//!
//! One error type carries two kinds of fault: TOML syntax (an unquoted string, a duplicate key) and
//! shape faults found by serde (an unknown field, a wrong type). Both arrive worded for Rust
//! programmers (`expected struct RawPricing`, `a sequence`, `invalid string\nexpected ...`); a
//! person editing a file needs TOML words, the field, the allowed values and the closest valid name.

use crate::diag::{did_you_mean, Diagnostic};

/// Turns a `toml` parse error into a diagnostic, rewording it into advice.
pub fn from_toml_error(file: &str, source: &str, err: &toml::de::Error) -> Diagnostic {
    let raw = err.message().trim();
    let key = err.span().and_then(|s| key_before(source, s.start));
    // Only a document that toml_edit cannot read at all has a syntax fault; everything else is a
    // shape fault in a well-formed document.
    let syntax = toml_edit::ImDocument::parse(source).is_err();
    let (message, help) = if syntax {
        syntax_advice(raw)
    } else {
        reword(raw, key.as_deref())
    };
    // A TOML date reaches serde as a table; say what was written.
    let is_date = err
        .span()
        .and_then(|s| source.get(s))
        .is_some_and(|t| t.trim().parse::<toml::value::Datetime>().is_ok());
    let message = if is_date {
        message.replace("found a table", "found a date")
    } else {
        message
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

/// A shape fault: serde's message in TOML words, with the field named and the closest valid name.
fn reword(raw: &str, key: Option<&str>) -> (String, Option<String>) {
    let for_key = key.map(|k| format!(" for `{k}`")).unwrap_or_default();
    for kind in ["field", "variant"] {
        let prefix = format!("unknown {kind} `");
        if let Some(rest) = raw.strip_prefix(&prefix) {
            let Some((word, tail)) = rest.split_once('`') else {
                break;
            };
            let allowed: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
            let message = if kind == "field" {
                format!("unknown field `{word}`")
            } else {
                format!("unknown value `{word}`{for_key}")
            };
            let list = allowed
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let elsewhere = if kind == "field" {
                crate::field_tables::tables_taking(word, &allowed)
            } else {
                Vec::new()
            };
            if !elsewhere.is_empty() {
                let home = elsewhere.join(" or ");
                let help = format!(
                    "`{word}` belongs {home}: every key after a table header belongs to that table, so move it there"
                );
                return (message, Some(help));
            }
            let help = match did_you_mean(word, allowed.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? allowed: {list}"),
                None if allowed.is_empty() => {
                    format!("remove `{word}`; nothing else is allowed here")
                }
                None => format!("allowed: {list}"),
            };
            return (message, Some(help));
        }
    }
    if let Some(rest) = raw.strip_prefix("missing field `") {
        if let Some((word, _)) = rest.split_once('`') {
            return (
                format!("missing field `{word}`"),
                Some(format!("add `{word} = ...` to this table")),
            );
        }
    }
    if let Some(rest) = raw.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "something else"));
        let message = format!(
            "wrong type{for_key}: found {}, expected {}",
            toml_words(found),
            toml_words(expected)
        );
        let help = if expected.contains("boolean") {
            Some("write true or false, without quotes".to_string())
        } else if expected.contains("string") && !expected.contains("decimal") {
            Some("put text in double quotes".to_string())
        } else if expected.contains("sequence") {
            Some(format!(
                "write a list in square brackets, such as {} = [\"...\"]",
                key.unwrap_or("key")
            ))
        } else if expected.contains("number") {
            Some(
                "write a number such as 1500 or 0.25, or a quoted decimal such as \"0.25\""
                    .to_string(),
            )
        } else if expected.starts_with("struct ") || expected.contains("map") {
            Some(format!(
                "write it as a table: a [{}] header with `key = value` lines under it",
                key.unwrap_or("name")
            ))
        } else {
            None
        };
        return (message, help);
    }
    // An enum (status, modality, objective...) given something other than a string.
    if raw.starts_with("wanted string or table") {
        return (
            format!("wrong type{for_key}: expected a name in double quotes"),
            Some("write the value as a quoted name, such as \"ga\"".into()),
        );
    }
    let help = if raw.contains("is not a decimal number") {
        Some("write the number alone, without units or currency symbols".to_string())
    } else if raw.contains("significant digits") || raw.contains("cannot be held exactly") {
        Some("round it to at most 28 significant digits and 28 decimal places".to_string())
    } else {
        None
    };
    match key {
        Some(k) => (format!("`{k}`: {raw}"), help),
        None => (raw.to_string(), help),
    }
}

/// Serde's words for shapes, in TOML's.
fn toml_words(s: &str) -> String {
    if s.starts_with("struct ") || s == "a map" || s == "map" {
        return "a table".into();
    }
    s.replace("a sequence", "an array")
        .replace("sequence", "an array")
        .replace("map", "table")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(raw: &str, key: Option<&str>, message: &str, help: Option<&str>) {
        let (m, h) = reword(raw, key);
        assert_eq!(m, message);
        match help {
            Some(prefix) => assert!(
                h.as_deref().unwrap_or_default().starts_with(prefix),
                "{h:?}"
            ),
            None => assert_eq!(h, None),
        }
    }

    #[test]
    fn rewords_serde_messages() {
        case(
            "unknown field `request_per_day`, expected one of `name`, `requests_per_day`",
            None,
            "unknown field `request_per_day`",
            Some("did you mean `requests_per_day`?"),
        );
        case(
            "unknown variant `cheap`, expected one of `cheapest`, `best_fit`, `balanced`",
            Some("objective"),
            "unknown value `cheap` for `objective`",
            Some("did you mean `cheapest`?"),
        );
        case(
            "invalid type: string \"openai\", expected a sequence",
            Some("vendors"),
            "wrong type for `vendors`: found string \"openai\", expected an array",
            Some("write a list"),
        );
        case(
            "invalid type: integer `5`, expected struct RawPricing",
            Some("pricing"),
            "wrong type for `pricing`: found integer `5`, expected a table",
            Some("write it as a table: a [pricing] header"),
        );
        case(
            "invalid type: string \"yes\", expected a boolean",
            Some("open_weights"),
            "wrong type for `open_weights`: found string \"yes\", expected a boolean",
            Some("write true or false"),
        );
        case(
            "wanted string or table",
            Some("objective"),
            "wrong type for `objective`: expected a name in double quotes",
            Some("write the value"),
        );
        case(
            "`abc` is not a decimal number",
            Some("input"),
            "`input`: `abc` is not a decimal number",
            Some("write the number alone"),
        );
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
