//! How numbers are written in JSON output. Amounts and other exact decimals are strings, so that
//! no reader parses them into a float; each kind has its own type, with its own rounding and a
//! schema that says what the text looks like.

use crate::money::{money_string, Currency};
use rust_decimal::Decimal;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::Serialize;
use std::borrow::Cow;

use crate::num::DECIMAL_TEXT_PATTERN;

fn decimal_schema(description: &str) -> Schema {
    json_schema!({
        "type": "string",
        "pattern": DECIMAL_TEXT_PATTERN,
        "description": description,
    })
}

/// An amount of money, rounded to the machine precision of [`money_string`] (no currency sign).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Money(String);

impl Money {
    /// The amount as JSON writes it.
    pub fn of(amount: Decimal) -> Money {
        Money(money_string(amount))
    }
}

impl JsonSchema for Money {
    fn schema_name() -> Cow<'static, str> {
        "Money".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        decimal_schema("An amount in the report's currency, as a decimal string.")
    }
}

/// An exact decimal (a share, a rate, a count of tokens), with trailing zeros dropped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Exact(String);

impl Exact {
    /// The value with trailing zeros dropped.
    pub fn of(v: Decimal) -> Exact {
        Exact(v.normalize().to_string())
    }

    /// The value as written, trailing zeros kept.
    pub fn as_written(v: Decimal) -> Exact {
        Exact(v.to_string())
    }
}

impl JsonSchema for Exact {
    fn schema_name() -> Cow<'static, str> {
        "Decimal".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        decimal_schema("An exact decimal, as a string.")
    }
}

/// A score (fit, balanced, a normalised benchmark value): four decimals at most.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Score(String);

impl Score {
    /// The score rounded to four decimals.
    pub fn of(v: Decimal) -> Score {
        Score(v.round_dp(4).normalize().to_string())
    }
}

impl JsonSchema for Score {
    fn schema_name() -> Cow<'static, str> {
        "Score".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        decimal_schema("A score on 0–100 (or a fraction 0–1), at most four decimals, as a string.")
    }
}

/// An estimate computed in floating point (GB, tokens a second, milliseconds), printed with a
/// fixed number of decimals and trailing zeros dropped.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Approx(String);

impl Approx {
    /// `x` with `dp` decimals, as [`crate::selfhost::report::num`] writes it.
    pub fn of(x: f64, dp: usize) -> Approx {
        Approx(crate::selfhost::report::num(x, dp))
    }
}

impl JsonSchema for Approx {
    fn schema_name() -> Cow<'static, str> {
        "Approx".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "description": "An estimate computed in floating point, as a decimal string.",
        })
    }
}

impl JsonSchema for Currency {
    fn schema_name() -> Cow<'static, str> {
        "Currency".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "type": "string",
            "pattern": "^[A-Z]{3}$",
            "description": "An ISO 4217 currency code.",
        })
    }
}
