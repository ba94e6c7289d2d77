//! The values one `--vary PATH=VALUES` axis takes: a list, a linear range or a log range.
//!
//! Forms (STEPS counts the points and includes both ends):
//! - `a,b,c`: exactly these values;
//! - `START..END/STEPS`: START + i × step, step = (END − START) ÷ (STEPS − 1). Points are exact
//!   when the step ends at or before its sixth significant digit (`1000..100000/100` steps by
//!   1000, `0..1/5` by 0.25). Otherwise (`1000..100000/1000` steps by 99.0990…) the inner points
//!   are rounded, half to even, to the decimal place of the step's sixth significant digit (here
//!   4 places: 1099.0991), which moves a point by at most 0.0005% of a step; the sweep's summary
//!   says so. Without that rounding such a point has 28 digits, which no exact engine can price
//!   quickly.
//! - `START..END/STEPS:log`: START × (END ÷ START)^(i ÷ (STEPS − 1)); the ends are exact and the
//!   points between are rounded to 6 significant digits, or to the nearest whole number for a whole
//!   field (token counts, days, months): a log range cannot be exact, so its rounding is part of
//!   its definition.
//!
//! A whole field refuses a fractional list value or a linear range whose step is not whole, so a
//! grid never silently rounds what the user typed. Linear points are computed in integers (one
//! multiplication and one division each), so long axes are computed on demand rather than stored,
//! and memory does not grow with the grid.

use crate::num::parse_decimal;
use rust_decimal::{Decimal, MathematicalOps, RoundingStrategy};
use std::borrow::Cow;

/// Axes with at most this many points keep their values and labels in memory.
const CACHE_LIMIT: u64 = 1 << 16;

/// Significant digits kept for the inner points of a log range.
pub const LOG_DIGITS: u32 = 6;

/// Significant digits of the step a linear range keeps when its step does not end sooner.
pub const STEP_DIGITS: i32 = 6;

/// The most decimal places a value can have (`Decimal`'s limit).
const MAX_DP: u32 = 28;

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

/// A linear range in integers: point i is (a + i × b) ÷ c, rounded half to even, in units of
/// 10^−dp. c is STEPS − 1, so b ÷ c is the step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Lin {
    a: i128,
    b: i128,
    c: i128,
    dp: u32,
    /// Whether every point is exact (b is a multiple of c).
    exact: bool,
}

/// The values of one axis, with a cache for short axes.
#[derive(Debug, Clone)]
pub struct Values {
    /// How they are generated.
    pub spec: Spec,
    lin: Option<Lin>,
    cache: Option<Vec<(Decimal, String)>>,
}

impl Values {
    /// Parses VALUES for a field; `whole` says whether the field holds whole numbers.
    pub fn parse(text: &str, whole: bool) -> Result<Values, String> {
        let spec = parse_spec(text.trim(), whole)?;
        let lin = match spec {
            Spec::Linear { start, end, steps } => Some(Lin::new(start, end, steps)?),
            _ => None,
        };
        let mut v = Values {
            spec,
            lin,
            cache: None,
        };
        if v.len() <= CACHE_LIMIT {
            let cache: Result<Vec<_>, String> = (0..v.len())
                .map(|i| v.compute(i).map(|d| (d.normalize(), label(d))))
                .collect();
            v.cache = Some(cache?);
        } else if let Spec::Linear { start, end, steps } = v.spec {
            if whole {
                check_whole_linear(start, end, steps)?;
            }
        } else {
            v.compute(1)?;
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
    pub fn label(&self, i: u64) -> Cow<'_, str> {
        match &self.cache {
            Some(c) => Cow::Borrowed(c[i as usize].1.as_str()),
            None => {
                let mut out = Vec::new();
                self.push_label(i, &mut out);
                Cow::Owned(String::from_utf8(out).unwrap_or_default())
            }
        }
    }

    /// Appends [`Values::label`] to `out` without allocating (the hot path of long axes).
    pub fn push_label(&self, i: u64, out: &mut Vec<u8>) {
        match (&self.cache, &self.lin) {
            (Some(c), _) => out.extend_from_slice(c[i as usize].1.as_bytes()),
            (None, Some(l)) => push_fixed(out, l.point(i).unwrap_or_default(), l.dp),
            (None, None) => out.extend_from_slice(label(self.get(i)).as_bytes()),
        }
    }

    /// The most decimal places any value of the axis has, trailing zeros aside; the sweep's integer
    /// engine sizes its units from it.
    pub fn max_scale(&self) -> u32 {
        if let Some(c) = &self.cache {
            return c.iter().map(|(d, _)| d.scale()).max().unwrap_or(0);
        }
        match (&self.spec, &self.lin) {
            (_, Some(l)) => l.dp,
            (
                Spec::Log {
                    start, end, whole, ..
                },
                _,
            ) => {
                let ends = start.normalize().scale().max(end.normalize().scale());
                if *whole {
                    return ends;
                }
                // A point rounded to 6 significant digits and at least `low` has at most this many
                // decimals.
                let low = (*start).min(*end);
                let inner = (LOG_DIGITS as i32 - 1 - floor_log10(low)).clamp(0, MAX_DP as i32);
                ends.max(inner as u32)
            }
            (Spec::List(v), _) => v.iter().map(|d| d.normalize().scale()).max().unwrap_or(0),
            (Spec::Linear { .. }, None) => MAX_DP,
        }
    }

    /// A sentence for the sweep's summary when the axis rounds a linear range, or `None`.
    pub fn rounding_note(&self) -> Option<String> {
        let l = self.lin.filter(|l| !l.exact)?;
        let Spec::Linear { start, end, steps } = self.spec else {
            return None;
        };
        let step = ((end - start) / Decimal::from(steps - 1)).round_sf(8)?;
        let places = match l.dp {
            1 => "1 decimal place".to_string(),
            n => format!("{n} decimal places"),
        };
        Some(format!(
            "{start}..{end}/{steps} steps by {}…, so its inner points are rounded to {places} (the step's sixth significant digit).",
            step.normalize()
        ))
    }

    fn compute(&self, i: u64) -> Result<Decimal, String> {
        let overflow = || "the range is too large to compute exactly".to_string();
        match &self.spec {
            Spec::List(v) => Ok(v[i as usize]),
            Spec::Linear { .. } => {
                let l = self.lin.as_ref().ok_or_else(overflow)?;
                let q = l.point(i).ok_or_else(overflow)?;
                Decimal::try_from_i128_with_scale(q, l.dp).map_err(|_| overflow())
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

impl Lin {
    /// The integer form of START..END/STEPS, choosing the decimal places (see the module docs).
    fn new(start: Decimal, end: Decimal, steps: u64) -> Result<Lin, String> {
        let overflow = || "the range is too large to compute exactly".to_string();
        let (start, end) = (start.normalize(), end.normalize());
        let ends = start.scale().max(end.scale());
        let c = i128::from(steps - 1);
        let span = end.checked_sub(start).ok_or_else(overflow)?.normalize();
        let limit = if span.is_zero() {
            ends
        } else {
            let step = span.abs().checked_div(Decimal::from(steps - 1));
            let sixth = step.map_or(MAX_DP as i32, |s| STEP_DIGITS - 1 - floor_log10(s));
            (sixth.max(ends as i32).max(0) as u32).min(MAX_DP)
        };
        let at = |d: Decimal, dp: u32| -> Option<i128> {
            d.mantissa()
                .checked_mul(10i128.checked_pow(dp.checked_sub(d.scale())?)?)
        };
        let mut chosen = None;
        for dp in ends..=limit.max(ends) {
            let b = at(span, dp).ok_or_else(overflow)?;
            if b % c == 0 || dp == limit.max(ends) {
                chosen = Some((dp, b, b % c == 0));
                break;
            }
        }
        let (dp, b, exact) = chosen.ok_or_else(overflow)?;
        let a = at(start, dp)
            .and_then(|s| s.checked_mul(c))
            .ok_or_else(overflow)?;
        let lin = Lin { a, b, c, dp, exact };
        // The points run monotonically between the ends, so both ends in range means all are.
        for i in [0, steps - 1] {
            let q = lin.point(i).ok_or_else(overflow)?;
            Decimal::try_from_i128_with_scale(q, dp).map_err(|_| overflow())?;
        }
        Ok(lin)
    }

    /// Point i in units of 10^−dp.
    fn point(&self, i: u64) -> Option<i128> {
        let num = self.b.checked_mul(i128::from(i))?.checked_add(self.a)?;
        let (q, r) = (num / self.c, num % self.c);
        let twice = r.unsigned_abs() * 2;
        let c = self.c.unsigned_abs();
        Some(if twice > c || (twice == c && q % 2 != 0) {
            q + num.signum()
        } else {
            q
        })
    }
}

/// floor(log10(d)) for d > 0, exactly, from its digits.
fn floor_log10(d: Decimal) -> i32 {
    let n = d.normalize();
    let digits = n.mantissa().unsigned_abs().checked_ilog10().unwrap_or(0) as i32;
    digits - n.scale() as i32
}

/// Appends `q × 10^−dp` as `label` writes it: trailing zeros removed.
fn push_fixed(out: &mut Vec<u8>, q: i128, dp: u32) {
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(q.unsigned_abs()).as_bytes();
    if q < 0 {
        out.push(b'-');
    }
    let dp = dp as usize;
    let frac_len = digits.len().min(dp);
    let int = &digits[..digits.len() - frac_len];
    let mut frac = &digits[digits.len() - frac_len..];
    while let [rest @ .., b'0'] = frac {
        frac = rest;
    }
    if int.is_empty() {
        out.push(b'0');
    } else {
        out.extend_from_slice(int);
    }
    let zeros = dp - frac_len;
    if !frac.is_empty() {
        out.push(b'.');
        out.extend(std::iter::repeat_n(b'0', zeros));
        out.extend_from_slice(frac);
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
