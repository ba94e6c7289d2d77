//! Uncertain inputs: a number, or a range of what it might be.
//!
//! A scenario field that takes a range accepts three spellings:
//!
//! - a number, as everywhere else (`monthly_growth = 0.05`);
//! - three points, `{ p10 = 0.02, p50 = 0.05, p90 = 0.10 }`: 10%, 50% and 90% quantiles,
//!   sampled from the two-piece normal through them (`forecast::sample`);
//! - a uniform range, `{ low = 0.02, high = 0.10 }`.
//!
//! Every deterministic figure (the `monthly_cost` and `horizon_cost` columns, the ranking's order)
//! takes a range at its [`Range::point`]: the median, p50, or the middle of a uniform range. So a
//! degenerate range (p10 = p50 = p90, or low = high) is the number it repeats.

use crate::diag::KeyPath;
use crate::num::Num;
use crate::validate::Checker;
use rust_decimal::Decimal;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;

/// A field as written: a number or a range table. A range is kept behind a pointer, so that the
/// plain number most fields hold takes 24 bytes, not the 104 of five optional points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Uncertain {
    /// A plain number.
    Fixed(Num),
    /// A `{ p10, p50, p90 }` or `{ low, high }` table.
    Range(Box<RawRange>),
}

/// A range table as written, before its shape is checked.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(deny_unknown_fields)]
pub struct RawRange {
    /// The 10% quantile: a 1-in-10 chance of a lower value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p10: Option<Num>,
    /// The median.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p50: Option<Num>,
    /// The 90% quantile: a 1-in-10 chance of a higher value.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p90: Option<Num>,
    /// The bottom of a uniform range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low: Option<Num>,
    /// The top of a uniform range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<Num>,
}

impl From<Num> for Uncertain {
    fn from(n: Num) -> Uncertain {
        Uncertain::Fixed(n)
    }
}

impl Serialize for Uncertain {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Uncertain::Fixed(n) => n.serialize(s),
            Uncertain::Range(r) => r.serialize(s),
        }
    }
}

/// The newtype name a range field is read under, so a reader can tell a range field's plain number
/// from any other value (the second reading of a faulty file checks it as a number).
pub const NAME: &str = "llmplan::Uncertain";

/// What a range field takes, as its reader describes itself in a wrong-type message.
pub const EXPECTING: &str = "a number, a decimal string such as \"0.25\", or a range such as { p10 = 1, p50 = 2, p90 = 4 } or { low = 1, high = 3 }";

struct UncertainVisitor;

impl<'de> Visitor<'de> for UncertainVisitor {
    type Value = Uncertain;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(EXPECTING)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Uncertain, E> {
        Num::deserialize(de::value::I64Deserializer::new(v)).map(Uncertain::Fixed)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Uncertain, E> {
        Num::deserialize(de::value::U64Deserializer::new(v)).map(Uncertain::Fixed)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Uncertain, E> {
        Num::deserialize(de::value::F64Deserializer::new(v)).map(Uncertain::Fixed)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Uncertain, E> {
        Num::deserialize(de::value::StrDeserializer::new(v)).map(Uncertain::Fixed)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Uncertain, A::Error> {
        RawRange::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(|r| Uncertain::Range(Box::new(r)))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Uncertain, D::Error> {
        d.deserialize_any(UncertainVisitor)
    }
}

impl<'de> Deserialize<'de> for Uncertain {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Uncertain, D::Error> {
        d.deserialize_newtype_struct(NAME, UncertainVisitor)
    }
}

impl schemars::JsonSchema for Uncertain {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Uncertain".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let num = g.subschema_for::<Num>();
        let range = g.subschema_for::<RawRange>();
        schemars::json_schema!({
            "description": "A number, or a range: { p10, p50, p90 } (10%, 50% and 90% quantiles) or { low, high } (uniform).",
            "anyOf": [num, range]
        })
    }
}

/// A checked range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Range {
    /// Quantiles p10 ≤ p50 ≤ p90.
    Quantiles {
        /// 10% quantile.
        p10: Decimal,
        /// Median.
        p50: Decimal,
        /// 90% quantile.
        p90: Decimal,
    },
    /// Uniform on low ≤ high.
    Uniform {
        /// Bottom.
        low: Decimal,
        /// Top.
        high: Decimal,
    },
}

impl Range {
    /// The value deterministic figures use: the median (the middle of a uniform range).
    pub fn point(&self) -> Decimal {
        match *self {
            Range::Quantiles { p50, .. } => p50,
            Range::Uniform { low, high } => (low + high) / Decimal::TWO,
        }
    }

    /// Whether every draw is the same number.
    pub fn is_degenerate(&self) -> bool {
        match *self {
            Range::Quantiles { p10, p50, p90 } => p10 == p50 && p50 == p90,
            Range::Uniform { low, high } => low == high,
        }
    }

    /// The smallest and largest points written.
    pub fn bounds(&self) -> (Decimal, Decimal) {
        match *self {
            Range::Quantiles { p10, p90, .. } => (p10, p90),
            Range::Uniform { low, high } => (low, high),
        }
    }

    /// The most decimal places among the points written: samples are rounded to at least this.
    pub fn scale(&self) -> u32 {
        match *self {
            Range::Quantiles { p10, p50, p90 } => p10.scale().max(p50.scale()).max(p90.scale()),
            Range::Uniform { low, high } => low.scale().max(high.scale()),
        }
    }
}

impl Uncertain {
    /// Checks the shape and order of a range at `path`; `None` (with a located fault) when it is
    /// neither a number nor a well-formed range.
    pub fn check(&self, ck: &mut Checker, path: &KeyPath) -> Option<Checked> {
        match self {
            Uncertain::Fixed(n) => Some(Checked::Fixed(*n)),
            Uncertain::Range(r) => check_range(ck, path, **r).map(Checked::Range),
        }
    }
}

/// A field after its range was checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    /// A number, still to be checked by the field's own rule.
    Fixed(Num),
    /// A range in order.
    Range(Range),
}

impl Checked {
    /// The number deterministic figures use.
    pub fn point(&self) -> Num {
        match self {
            Checked::Fixed(n) => *n,
            Checked::Range(r) => Num(r.point()),
        }
    }

    /// The range, if one was written.
    pub fn range(&self) -> Option<Range> {
        match self {
            Checked::Fixed(_) => None,
            Checked::Range(r) => Some(*r),
        }
    }
}

fn check_range(ck: &mut Checker, path: &KeyPath, r: RawRange) -> Option<Range> {
    let field = crate::validate::last_key(path);
    let form = "write { p10 = …, p50 = …, p90 = … } or { low = …, high = … }";
    match r {
        RawRange {
            p10: Some(a),
            p50: Some(b),
            p90: Some(c),
            low: None,
            high: None,
        } => {
            let (p10, p50, p90) = (a.get(), b.get(), c.get());
            if p10 > p50 || p50 > p90 {
                let (key, msg) = if p10 > p50 {
                    (
                        "p10",
                        format!("the range of `{field}` has p10 = {p10} above p50 = {p50}"),
                    )
                } else {
                    (
                        "p90",
                        format!("the range of `{field}` has p90 = {p90} below p50 = {p50}"),
                    )
                };
                ck.err(
                    &path.key(key),
                    msg,
                    "quantiles must be in order, p10 ≤ p50 ≤ p90 (a 1-in-10 low, the median, a 1-in-10 high)",
                );
                return None;
            }
            Some(Range::Quantiles { p10, p50, p90 })
        }
        RawRange {
            p10: None,
            p50: None,
            p90: None,
            low: Some(a),
            high: Some(b),
        } => {
            let (low, high) = (a.get(), b.get());
            if low > high {
                ck.err(
                    &path.key("low"),
                    format!("the range of `{field}` has low = {low} above high = {high}"),
                    "swap them: low is the bottom of the uniform range",
                );
                return None;
            }
            Some(Range::Uniform { low, high })
        }
        _ => {
            let mixed = (r.p10.is_some() || r.p50.is_some() || r.p90.is_some())
                && (r.low.is_some() || r.high.is_some());
            let msg = if mixed {
                format!("the range of `{field}` mixes quantiles (p10, p50, p90) with a uniform range (low, high)")
            } else {
                format!("the range of `{field}` is incomplete")
            };
            ck.err(path, msg, form);
            None
        }
    }
}

impl Uncertain {
    /// The number as written, or a range's point, unchecked: for reading a field once
    /// [`Uncertain::check`] has reported any fault in it.
    pub fn point(&self) -> Num {
        match self {
            Uncertain::Fixed(n) => *n,
            Uncertain::Range(r) => match (r.p50, r.low, r.high) {
                (Some(m), _, _) => m,
                (None, Some(l), Some(h)) => Num((l.get() + h.get()) / Decimal::TWO),
                _ => Num(r
                    .p10
                    .or(r.p90)
                    .or(r.low)
                    .or(r.high)
                    .unwrap_or_default()
                    .get()),
            },
        }
    }
}
