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

struct NumVisitor;

impl<'de> Visitor<'de> for NumVisitor {
    type Value = Num;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(EXPECTING)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
        Ok(Num(Decimal::from(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
        Ok(Num(Decimal::from(v)))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
        if !v.is_finite() {
            return Err(E::custom("expected a finite number, found inf or nan"));
        }
        // `{}` prints the shortest representation that reads back as the same float.
        let text = format!("{v}");
        Decimal::from_str(&text)
            .or_else(|_| Decimal::from_scientific(&text))
            .map(Num)
            .map_err(|_| {
                E::custom(format!(
                    "the number {text} is too large or too precise; write it as a quoted decimal"
                ))
            })
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
        parse_decimal(v).map(Num).map_err(E::custom)
    }
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        d.deserialize_any(NumVisitor)
    }
}

/// Parses a decimal written by a person: `"0.25"`, `"1_000"`, `"1e-6"`.
pub fn parse_decimal(text: &str) -> Result<Decimal, String> {
    let cleaned: String = text.trim().chars().filter(|c| *c != '_').collect();
    if cleaned.is_empty() {
        return Err("expected a decimal number such as \"0.25\", found an empty string".into());
    }
    Decimal::from_str(&cleaned)
        .or_else(|_| Decimal::from_scientific(&cleaned))
        .map_err(|_| {
            format!("`{text}` is not a decimal number; write it like \"0.25\" or \"1500\"")
        })
}

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
    fn garbage_is_refused() {
        assert!(toml::from_str::<Doc>("a = \"ten\"").is_err());
        assert!(toml::from_str::<Doc>("a = nan").is_err());
        assert!(toml::from_str::<Doc>("a = true").is_err());
    }
}
