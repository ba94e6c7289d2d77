//! The values one `--vary PATH=VALUES` axis takes: a list, a linear range or a log range.
//!
//! Forms (STEPS counts the points and includes both ends):
//! - `a,b,c`: exactly these values;
//! - `START..END/STEPS`: START + (END − START) × i ÷ (STEPS − 1), computed exactly in `Decimal`;
//! - `START..END/STEPS:log`: START × (END ÷ START)^(i ÷ (STEPS − 1)); the ends are exact and the
//!   points between are rounded to 6 significant digits, or to the nearest whole number for a whole
//!   field (token counts, days, months): a log range cannot be exact, so its rounding is part of
//!   its definition.
//!
//! A whole field refuses a fractional list value or a linear range whose step is not whole, so a
//! grid never silently rounds what the user typed. Long axes are computed on demand rather than
//! stored, so memory does not grow with the grid.

use crate::num::parse_decimal;
use rust_decimal::{Decimal, MathematicalOps, RoundingStrategy};

/// Axes with at most this many points keep their values and labels in memory.
const CACHE_LIMIT: u64 = 1 << 16;

/// Significant digits kept for the inner points of a log range.
pub const LOG_DIGITS: u32 = 6;

/// How the values of an axis are generated.
#[derive(Debug, Clone, PartialEq)]
pub enum Spec {
    /// Exactly these values.
    List(Vec<Decimal>),
    /// Evenly spaced from `start` to `end`.
    Linear {
        /// First value.
        start: Decimal,
        /// Last value.
        end: Decimal,
        /// Number of points, at least 2.
        steps: u64,
    },
    /// Geometrically spaced from `start` to `end`.
    Log {
        /// First value, above zero.
        start: Decimal,
        /// Last value, above zero.
        end: Decimal,
        /// Number of points, at least 2.
        steps: u64,
        /// Round inner points to whole numbers.
        whole: bool,
    },
}

/// The values of one axis, with a cache for short axes.
#[derive(Debug, Clone)]
pub struct Values {
    /// How they are generated.
    pub spec: Spec,
    cache: Option<Vec<(Decimal, String)>>,
}

impl Values {
    /// Parses VALUES for a field; `whole` says whether the field holds whole numbers.
    pub fn parse(text: &str, whole: bool) -> Result<Values, String> {
        let spec = parse_spec(text.trim(), whole)?;
        let mut v = Values { spec, cache: None };
        if v.len() <= CACHE_LIMIT {
            let cache: Result<Vec<_>, String> = (0..v.len())
                .map(|i| v.compute(i).map(|d| (d, label(d))))
                .collect();
            v.cache = Some(cache?);
        } else if let Spec::Linear { start, end, steps } = v.spec {
            if whole {
                check_whole_linear(start, end, steps)?;
            }
            v.compute(v.len() - 1)?;
        }
        Ok(v)
    }

    /// Number of points.
    pub fn len(&self) -> u64 {
        match &self.spec {
            Spec::List(v) => v.len() as u64,
            Spec::Linear { steps, .. } | Spec::Log { steps, .. } => *steps,
        }
    }

    /// Whether the axis is empty (never, once parsed).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The value at index `i`.
    pub fn get(&self, i: u64) -> Decimal {
        match &self.cache {
            Some(c) => c[i as usize].0,
            // Checked when parsed: the ends compute, so every point between does.
            None => self.compute(i).unwrap_or_default(),
        }
    }

    /// The value at index `i` as written in output: a plain decimal, trailing zeros removed.
    pub fn label(&self, i: u64) -> std::borrow::Cow<'_, str> {
        match &self.cache {
            Some(c) => std::borrow::Cow::Borrowed(c[i as usize].1.as_str()),
            None => std::borrow::Cow::Owned(label(self.get(i))),
        }
    }

    fn compute(&self, i: u64) -> Result<Decimal, String> {
        let overflow = || "the range is too large to compute exactly".to_string();
        match &self.spec {
            Spec::List(v) => Ok(v[i as usize]),
            Spec::Linear { start, end, steps } => {
                if i + 1 == *steps {
                    return Ok(*end);
                }
                let span = end.checked_sub(*start).ok_or_else(overflow)?;
                let part = span
                    .checked_mul(Decimal::from(i))
                    .and_then(|x| x.checked_div(Decimal::from(steps - 1)))
                    .ok_or_else(overflow)?;
                start.checked_add(part).ok_or_else(overflow)
            }
            Spec::Log {
                start,
                end,
                steps,
                whole,
            } => {
                if i == 0 {
                    return Ok(*start);
                }
                if i + 1 == *steps {
                    return Ok(*end);
                }
                let ratio = end.checked_div(*start).ok_or_else(overflow)?;
                let exp = Decimal::from(i) / Decimal::from(steps - 1);
                let v = ratio
                    .checked_powd(exp)
                    .and_then(|r| r.checked_mul(*start))
                    .ok_or_else(overflow)?;
                Ok(if *whole {
                    v.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                } else {
                    v.round_sf(LOG_DIGITS).unwrap_or(v).normalize()
                })
            }
        }
    }
}

/// A value as written in CSV and JSON: `31600`, `0.25`.
pub fn label(d: Decimal) -> String {
    d.normalize().to_string()
}

fn parse_spec(text: &str, whole: bool) -> Result<Spec, String> {
    let Some((range, steps)) = text.split_once("..") else {
        let mut out = Vec::new();
        for part in text.split(',') {
            let v = parse_decimal(part)?;
            if whole && !v.fract().is_zero() {
                return Err(format!(
                    "{} is not a whole number, and this field holds whole numbers; round it",
                    v.normalize()
                ));
            }
            out.push(v);
        }
        return Ok(Spec::List(out));
    };
    let start = parse_decimal(range)?;
    let (end_text, steps_text) = steps
        .split_once('/')
        .ok_or_else(|| format!("`{text}`: a range needs a step count, as START..END/STEPS (for example 1000..50000/50)"))?;
    let end = parse_decimal(end_text)?;
    let (steps_text, log) = match steps_text.split_once(':') {
        Some((s, "log")) => (s, true),
        Some((_, other)) => {
            return Err(format!(
                "`:{other}` is not a range kind; the only one is `:log`"
            ))
        }
        None => (steps_text, false),
    };
    let steps: u64 = steps_text.trim().parse().map_err(|_| {
        format!("`{steps_text}` is not a step count; STEPS is a whole number of points, at least 2")
    })?;
    if steps < 2 {
        return Err(format!("STEPS must be at least 2 (it counts both ends), found {steps}; for one value write just the value"));
    }
    if whole && (!start.fract().is_zero() || !end.fract().is_zero()) {
        return Err("this field holds whole numbers; START and END must be whole".into());
    }
    if log {
        if start <= Decimal::ZERO || end <= Decimal::ZERO {
            return Err("a log range needs START and END above 0".into());
        }
        return Ok(Spec::Log {
            start,
            end,
            steps,
            whole,
        });
    }
    if whole && steps <= CACHE_LIMIT {
        check_whole_linear(start, end, steps)?;
    }
    Ok(Spec::Linear { start, end, steps })
}

fn check_whole_linear(start: Decimal, end: Decimal, steps: u64) -> Result<(), String> {
    let span = end - start;
    let gaps = Decimal::from(steps - 1);
    if !(span % gaps).is_zero() {
        let step = (span / gaps).round_dp(4).normalize();
        return Err(format!(
            "{start}..{end}/{steps} steps by {step}, which is not whole, and this field holds whole numbers; \
             choose STEPS so that (END − START) ÷ (STEPS − 1) is whole, or use :log, which rounds to whole numbers"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[track_caller]
    fn case(text: &str, whole: bool, expected: &[&str]) {
        let v = Values::parse(text, whole).unwrap();
        let got: Vec<String> = (0..v.len()).map(|i| v.label(i).into_owned()).collect();
        assert_eq!(got, expected, "{text}");
    }

    #[test]
    fn lists_and_ranges() {
        case("1000,2000,5000", true, &["1000", "2000", "5000"]);
        case("0.1", false, &["0.1"]);
        // 0..1 in 5 points: steps of 1/4.
        case("0..1/5", false, &["0", "0.25", "0.5", "0.75", "1"]);
        case(
            "1000..5000/5",
            true,
            &["1000", "2000", "3000", "4000", "5000"],
        );
        // 10^(3 + 3i/3): exact decades at the ends and in between after 6-digit rounding.
        case(
            "1000..1000000/4:log",
            true,
            &["1000", "10000", "100000", "1000000"],
        );
        // 1000 × 10^(1/2) = 3162.2776… → 3162 for a whole field, 3162.28 otherwise.
        case("1000..10000/3:log", true, &["1000", "3162", "10000"]);
        case("1000..10000/3:log", false, &["1000", "3162.28", "10000"]);
    }

    #[test]
    fn whole_fields_refuse_fractions() {
        assert!(Values::parse("1.5", true)
            .unwrap_err()
            .contains("not a whole number"));
        // (10 − 1) ÷ 3 = 3 is whole; (10 − 1) ÷ 4 = 2.25 is not.
        assert!(Values::parse("1..10/4", true).is_ok());
        assert!(Values::parse("1..10/5", true).unwrap_err().contains("2.25"));
        assert!(Values::parse("1..10/5", false).is_ok());
    }

    #[test]
    fn bad_forms_say_how() {
        assert!(Values::parse("1..10", false)
            .unwrap_err()
            .contains("START..END/STEPS"));
        assert!(Values::parse("1..10/1", false)
            .unwrap_err()
            .contains("at least 2"));
        assert!(Values::parse("0..10/3:log", false)
            .unwrap_err()
            .contains("above 0"));
        assert!(Values::parse("1..10/3:ln", false)
            .unwrap_err()
            .contains(":log"));
        assert!(Values::parse("ten", false).is_err());
    }

    #[test]
    fn long_axes_compute_on_demand() {
        let v = Values::parse("0..1000000/1000001", true).unwrap();
        assert_eq!(v.len(), 1_000_001);
        assert_eq!(v.get(123_456), Decimal::from_str("123456").unwrap());
        assert_eq!(v.label(1_000_000), "1000000");
    }
}
