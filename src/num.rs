//! Exact numbers read from TOML.
//!
//! TOML has no decimal type: `0.1` arrives as a binary float. Prices and shares must stay exact, so
//! every numeric field is read through [`Num`], which accepts a decimal string (`"0.1"`), an integer,
//! or a float. A float is turned back into the shortest decimal that reads as the same float, which
//! is exactly what was written for any literal of up to 15 significant digits. Longer literals must
//! be quoted; this is documented in the README.

use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A number as written in a TOML file, held exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Num(pub Decimal);

impl Num {
    /// The exact value.
    pub fn get(self) -> Decimal {
        self.0
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0.normalize().to_string())
    }
}

/// Editors see what the reader accepts: a TOML number, or a string holding a decimal.
impl schemars::JsonSchema for Num {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Num".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "An exact number: a TOML number, or a decimal string such as \"0.25\" (quote numbers with more than 15 significant digits).",
            "anyOf": [
                { "type": "number" },
                { "type": "string", "pattern": DECIMAL_PATTERN }
            ]
        })
    }
}

/// The strings [`parse_decimal`] accepts, as a regular expression for JSON Schema: optional sign,
/// digits with optional `_` separators and a decimal point, optional exponent.
pub const DECIMAL_PATTERN: &str = r"^\s*[-+]?[0-9_]*\.?[0-9_]+([eE][-+]?[0-9]+)?\s*$";

/// What a number field takes, as its reader describes itself in a wrong-type message.
pub const EXPECTING: &str = "a number or a decimal string such as \"0.25\"";

/// The name [`Num`] gives its reader, so a reader that classifies faults (`toml_shape`) knows a
/// number was asked for and can ask [`parse_decimal`] and [`from_float`] why one was refused.
pub const NAME: &str = "llmplan::Num";

/// Why a number was refused. Its `Display` is the message a person reads; a caller that adds
/// advice chooses it by the kind, never by the words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A string with nothing in it.
    Empty,
    /// Text that is not a decimal numeral, as written (`"$3"`, `"ten"`).
    NotDecimal(String),
    /// A numeral, as written, that a decimal cannot hold exactly, and why.
    Inexact(String, Imprecise),
    /// A float that is infinite or not a number.
    NotFinite,
    /// A float too large or too precise for a decimal, as printed.
    FloatTooLarge(String),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Empty => {
                f.write_str("expected a decimal number such as \"0.25\", found an empty string")
            }
            Refusal::NotDecimal(text) => write!(
                f,
                "`{text}` is not a decimal number; write it like \"0.25\" or \"1500\""
            ),
            Refusal::Inexact(text, why) => write!(f, "`{text}` {why}"),
            Refusal::NotFinite => f.write_str("expected a finite number, found inf or nan"),
            Refusal::FloatTooLarge(text) => write!(
                f,
                "the number {text} is too large or too precise; write it as a quoted decimal"
            ),
        }
    }
}

/// Why a numeral cannot be held exactly by a `Decimal`; its `Display` follows the number in a
/// message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imprecise {
    /// More significant digits than [`MAX_DIGITS`]: how many.
    Digits(usize),
    /// More decimal places than a decimal has: what it would become.
    Places(Decimal),
}

impl fmt::Display for Imprecise {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Imprecise::Digits(n) => write!(
                f,
                "has {n} significant digits, and at most {MAX_DIGITS} are held exactly; it would be rounded, so round it yourself"
            ),
            Imprecise::Places(becomes) => write!(
                f,
                "cannot be held exactly (a decimal has at most {MAX_DIGITS} places); it would become {becomes}"
            ),
        }
    }
}

struct NumVisitor;

impl<'de> Visitor<'de> for NumVisitor {
    type Value = Num;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(EXPECTING)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Num, D::Error> {
        d.deserialize_any(NumVisitor)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
        Ok(Num(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
        Ok(Num(Decimal::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
        from_float(v).map(Num).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
        parse_decimal(v).map(Num).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        d.deserialize_newtype_struct(NAME, NumVisitor)
    }
}

/// The decimal a TOML float was written as: `{}` prints the shortest representation that reads
/// back as the same float.
pub fn from_float(v: f64) -> Result<Decimal, Refusal> {
    if !v.is_finite() {
        return Err(Refusal::NotFinite);
    }
    let text = format!("{v}");
    Decimal::from_str(&text)
        .or_else(|_| Decimal::from_scientific(&text))
        .map_err(|_| Refusal::FloatTooLarge(text))
}

/// Parses a decimal written by a person: `"0.25"`, `"1_000"`, `"1e-6"`.
pub fn parse_decimal(text: &str) -> Result<Decimal, Refusal> {
    let cleaned: String = text.trim().chars().filter(|c| *c != '_').collect();
    if cleaned.is_empty() {
        return Err(Refusal::Empty);
    }
    let d = Decimal::from_str(&cleaned)
        .or_else(|_| Decimal::from_scientific(&cleaned))
        .map_err(|_| Refusal::NotDecimal(text.to_string()))?;
    exact(&cleaned, d).map_err(|why| Refusal::Inexact(text.to_string(), why))
}

/// The first unquoted TOML number in `text` that a binary float cannot hold as written: TOML reads
/// it as a float before anyone sees its digits, so `1.00000000000000000000000000001` would become
/// 1 without a word. Returns its byte range, the literal, and what it would be read as.
pub fn inexact_float(text: &str) -> Option<(std::ops::Range<usize>, String, String)> {
    // Only a run of 16 or more digits can fail to survive the float; most files have none.
    let mut run = 0;
    let long = text.bytes().any(|b| {
        match b {
            b'0'..=b'9' => run += 1,
            b'.' | b'_' => {}
            _ => run = 0,
        }
        run >= 16
    });
    if !long {
        return None;
    }
    let doc = toml_edit::ImDocument::parse(text).ok()?;
    find_float_table(text, doc.as_table())
}

type Inexact = (std::ops::Range<usize>, String, String);

fn find_float_table(text: &str, t: &toml_edit::Table) -> Option<Inexact> {
    t.iter().find_map(|(_, item)| find_float_item(text, item))
}

fn find_float_item(text: &str, item: &toml_edit::Item) -> Option<Inexact> {
    match item {
        toml_edit::Item::Value(v) => find_float_value(text, v),
        toml_edit::Item::Table(t) => find_float_table(text, t),
        toml_edit::Item::ArrayOfTables(a) => a.iter().find_map(|t| find_float_table(text, t)),
        toml_edit::Item::None => None,
    }
}

fn find_float_value(text: &str, v: &toml_edit::Value) -> Option<Inexact> {
    match v {
        toml_edit::Value::Float(f) => {
            let raw = text.get(f.span()?)?.trim().replace('_', "");
            let read = format!("{}", f.value());
            let same = match (written(&raw), written(&read)) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            };
            (!same).then(|| (f.span().unwrap_or(0..0), raw, read))
        }
        toml_edit::Value::Array(a) => a.iter().find_map(|v| find_float_value(text, v)),
        toml_edit::Value::InlineTable(t) => t.iter().find_map(|(_, v)| find_float_value(text, v)),
        _ => None,
    }
}

/// The most significant digits a `Decimal` holds exactly.
pub const MAX_DIGITS: usize = 28;

/// `d`, parsed from `text`, if it is exactly the number `text` writes: `Decimal`'s parser rounds
/// a number with more than 28 significant digits, or one that needs more than 28 decimal places,
/// without a word. The error says why, to follow the number in a message.
pub fn exact(text: &str, d: Decimal) -> Result<Decimal, Imprecise> {
    let Some((digits, exp)) = written(text) else {
        return Ok(d);
    };
    if digits.len() > MAX_DIGITS {
        return Err(Imprecise::Digits(digits.len()));
    }
    let n = d.normalize();
    let held = n.mantissa().unsigned_abs().to_string();
    let held = if n.is_zero() { String::new() } else { held };
    let held_exp = -(n.scale() as i64);
    let (held, held_exp) = {
        let t = held.trim_end_matches('0');
        (t.to_string(), held_exp + (held.len() - t.len()) as i64)
    };
    if held != digits || (!digits.is_empty() && held_exp != exp) {
        return Err(Imprecise::Places(n));
    }
    Ok(d)
}

/// The significant digits of a decimal numeral, without leading or trailing zeros, and the power
/// of ten of the last of them; `None` if it is not a plain numeral.
fn written(text: &str) -> Option<(String, i64)> {
    let t = text.trim().trim_start_matches(['+', '-']);
    let (mantissa, e) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], t[i + 1..].parse::<i64>().ok()?),
        None => (t, 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let all = format!("{int}{frac}");
    let lead = all.trim_start_matches('0');
    let sig = lead.trim_end_matches('0');
    let exp = e - frac.len() as i64 + (lead.len() - sig.len()) as i64;
    Some((sig.to_string(), exp))
}

/// How a `Decimal` field of a validated type is written in JSON output (`models`, `show`): a
/// decimal string, for the output schemas. It exists only as a schema; see
/// [`crate::report::value`] for the output's own number types.
pub struct DecimalText;

impl schemars::JsonSchema for DecimalText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DecimalText".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": DECIMAL_TEXT_PATTERN,
            "description": "An exact decimal, as a string.",
        })
    }
}

/// A decimal as output prints it: an optional minus, digits, and optionally a point and more digits.
pub const DECIMAL_TEXT_PATTERN: &str = r"^-?[0-9]+(\.[0-9]+)?$";

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Doc {
        a: Num,
    }

    #[track_caller]
    fn case(toml_value: &str, expected: &str) {
        let doc: Doc = toml::from_str(&format!("a = {toml_value}")).unwrap();
        assert_eq!(
            doc.a.get(),
            Decimal::from_str(expected).unwrap(),
            "{toml_value}"
        );
        assert_eq!(doc.a.get().to_string(), expected, "{toml_value}");
    }

    #[test]
    fn toml_numbers_and_strings_are_exact() {
        case("0.1", "0.1");
        case("\"0.1\"", "0.1");
        case("0.25", "0.25");
        case("1.25", "1.25");
        case("15", "15");
        case("\"1_000\"", "1000");
        case("0.000015", "0.000015");
        case("123456789.123456", "123456789.123456");
        case("\"0.0000000001\"", "0.0000000001");
    }

    #[test]
    fn more_digits_than_a_decimal_holds_are_refused_not_rounded() {
        // 29 significant digits: Decimal would round this to exactly 1 (then ×30 requests).
        let long = "1.0000000000000000000000000001";
        assert_eq!(
            parse_decimal(long).unwrap_err().to_string(),
            format!("`{long}` has 29 significant digits, and at most 28 are held exactly; it would be rounded, so round it yourself")
        );
        assert!(toml::from_str::<Doc>(&format!("a = \"{long}\"")).is_err());
        // 28 are fine, and so are zeros that carry no digit.
        case(
            "\"1.000000000000000000000000001\"",
            "1.000000000000000000000000001",
        );
        case(
            "\"1.0000000000000000000000000000000\"",
            "1.0000000000000000000000000000",
        );
        case("\"12e26\"", "1200000000000000000000000000");
        // Below 10^-28 there is no place for the digit.
        assert_eq!(
            parse_decimal("0.00000000000000000000000000001").unwrap_err(),
            Refusal::Inexact(
                "0.00000000000000000000000000001".into(),
                Imprecise::Places(Decimal::ZERO)
            )
        );
        assert!(parse_decimal("1e-29").is_err());
        assert_eq!(parse_decimal("1e-28").unwrap(), Decimal::new(1, 28));
    }

    #[test]
    fn unquoted_numbers_a_float_cannot_hold_are_found() {
        let (span, raw, read) =
            inexact_float("a = 1\nb = 1.00000000000000000000000000001\n").expect("found");
        assert_eq!(
            (span, raw.as_str(), read.as_str()),
            (10..41, "1.00000000000000000000000000001", "1")
        );
        // Fifteen digits survive the float exactly; so does a long quoted decimal.
        assert_eq!(
            inexact_float("a = 123456789.123456\nb = \"1.0000000000000000000001\"\n"),
            None
        );
        assert!(inexact_float("x = { y = [0.12345678901234567890] }").is_some());
    }

    #[test]
    fn garbage_is_refused() {
        assert!(toml::from_str::<Doc>("a = \"ten\"").is_err());
        assert!(toml::from_str::<Doc>("a = nan").is_err());
        assert!(toml::from_str::<Doc>("a = true").is_err());
    }
}
