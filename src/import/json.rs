//! Reading JSON without losing what the file says: numbers keep their exact text, so
//! `1.63e-07` becomes the decimal 0.000000163 and never passes through a binary float, and
//! object members keep their file order, so "the first entry wins" means what it says.

use rust_decimal::Decimal;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;
use std::str::FromStr;

/// A JSON object's members in file order, values unparsed.
#[derive(Debug, Default)]
pub struct Members(pub Vec<(String, Box<RawValue>)>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Members, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Box<RawValue>>()? {
                    out.push((k, v));
                }
                Ok(Members(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl Members {
    /// Parses the text of a JSON object.
    pub fn parse(text: &str) -> serde_json::Result<Members> {
        serde_json::from_str(text)
    }

    /// The value of the last member with this name, as JSON parsers do.
    pub fn get(&self, key: &str) -> Option<&RawValue> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }
}

/// What kind of JSON value a raw value is, by its first character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A number.
    Number,
    /// A string.
    String,
    /// `true` or `false`.
    Bool,
    /// `null`.
    Null,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// The kind of a raw value.
pub fn kind(v: &RawValue) -> Kind {
    match v.get().trim_start().as_bytes().first() {
        Some(b'"') => Kind::String,
        Some(b't' | b'f') => Kind::Bool,
        Some(b'n') => Kind::Null,
        Some(b'[') => Kind::Array,
        Some(b'{') => Kind::Object,
        _ => Kind::Number,
    }
}

/// A JSON number read exactly from its text, or `None` if it is not a number or has more digits
/// than a `Decimal` holds (28 significant digits).
pub fn decimal(v: &RawValue) -> Option<Decimal> {
    if kind(v) != Kind::Number {
        return None;
    }
    let text = v.get().trim();
    let d = if text.contains(['e', 'E']) {
        Decimal::from_scientific(text).ok()
    } else {
        Decimal::from_str(text).ok()
    }?;
    // A number with more digits than a Decimal holds is refused, never rounded.
    crate::num::exact(text, d).ok()
}

/// The first member name that appears twice in one object, anywhere inside `v`: JSON parsers
/// keep one of the two values, and which one differs between them, so such a file says two things.
pub fn duplicate_key(v: &RawValue) -> Option<String> {
    match kind(v) {
        Kind::Object => {
            let m = Members::parse(v.get()).ok()?;
            let mut seen = std::collections::HashSet::new();
            for (k, _) in &m.0 {
                if !seen.insert(k.as_str()) {
                    return Some(k.clone());
                }
            }
            m.0.iter().find_map(|(_, v)| duplicate_key(v))
        }
        Kind::Array => {
            let items: Vec<Box<RawValue>> = serde_json::from_str(v.get()).ok()?;
            items.iter().find_map(|v| duplicate_key(v))
        }
        _ => None,
    }
}

/// A JSON string's value.
pub fn string(v: &RawValue) -> Option<String> {
    if kind(v) != Kind::String {
        return None;
    }
    serde_json::from_str(v.get()).ok()
}

/// A JSON boolean's value.
pub fn boolean(v: &RawValue) -> Option<bool> {
    match v.get().trim() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn case(json: &str, expected: &str) {
        let v: Box<RawValue> = serde_json::from_str(json).unwrap();
        assert_eq!(
            decimal(&v),
            Some(Decimal::from_str(expected).unwrap()),
            "{json}"
        );
    }

    #[test]
    fn numbers_are_read_from_their_text() {
        case("1.63e-07", "0.000000163");
        case("3e-05", "0.00003");
        case("0.0000025", "0.0000025");
        case("0.000010", "0.00001");
        case("1E-7", "0.0000001");
        case("8192", "8192");
        case("256000.0", "256000");
        case("-2.5e-6", "-0.0000025");
        // A float would give 1.6299999999999999e-07 here; the text gives the price as written.
        let v: Box<RawValue> = serde_json::from_str("1.63e-07").unwrap();
        assert_eq!(
            decimal(&v).unwrap() * Decimal::from(1_000_000),
            Decimal::from_str("0.163").unwrap()
        );
    }

    #[test]
    fn other_kinds_are_not_numbers() {
        for json in ["\"0.1\"", "true", "null", "[1]", "{\"a\": 1}"] {
            let v: Box<RawValue> = serde_json::from_str(json).unwrap();
            assert_eq!(decimal(&v), None, "{json}");
        }
    }

    #[test]
    fn numbers_too_precise_to_hold_are_refused() {
        for json in ["1.00000000000000000000000000001", "1e-29"] {
            let v: Box<RawValue> = serde_json::from_str(json).unwrap();
            assert_eq!(decimal(&v), None, "{json}");
        }
    }

    #[test]
    fn duplicate_keys_are_found_at_any_depth() {
        let find = |json: &str| {
            let v: Box<RawValue> = serde_json::from_str(json).unwrap();
            duplicate_key(&v)
        };
        assert_eq!(find(r#"{"a": 1, "b": {"c": [1, {"d": 2}]}}"#), None);
        assert_eq!(find(r#"{"a": 1, "a": 2}"#).as_deref(), Some("a"));
        assert_eq!(
            find(r#"{"a": {"t": [{"x": 1, "x": 1}]}}"#).as_deref(),
            Some("x")
        );
    }

    #[test]
    fn members_keep_file_order() {
        let m = Members::parse(r#"{"b": 1, "a": {"x": "y"}, "c": "s"}"#).unwrap();
        let keys: Vec<&str> = m.0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["b", "a", "c"]);
        assert_eq!(kind(m.get("a").unwrap()), Kind::Object);
        assert_eq!(string(m.get("c").unwrap()).as_deref(), Some("s"));
    }
}
