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

/// A linear range in integers, in units of 10^−dp: point i is START + i × SPAN ÷ c rounded half
/// to even, with c = STEPS − 1. SPAN ÷ c is kept as a quotient and a remainder, so a point costs
/// one 64-bit division at most.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Lin {
    /// START.
    a: i128,
    /// |SPAN| ÷ c and |SPAN| mod c.
    q: i128,
    r: u64,
    /// Whether SPAN is negative.
    down: bool,
    c: u64,
    dp: u32,
    /// Whether every point is exact (SPAN is a multiple of c).
    exact: bool,
}

/// The values of one axis, with a cache for short axes.
#[derive(Debug, Clone)]
pub struct Values {
    /// How they are generated.
    pub spec: Spec,
    lin: Option<Lin>,
    /// For a log range: its start and its end ÷ start as `f64`, converted once (see [`Geo`]).
    geo: Option<Geo>,
    cache: Option<Vec<(Decimal, String)>>,
}

/// The floating-point form of a log range START..END: `start` and `end ÷ start`, so a point is
/// `start × ratio^x`. Converted once per axis; [`log_point_f64`] is called for every point of a
/// long axis.
#[derive(Debug, Clone, Copy)]
struct Geo {
    start: f64,
    ratio: f64,
}

impl Geo {
    fn new(start: Decimal, end: Decimal) -> Option<Geo> {
        use rust_decimal::prelude::ToPrimitive;
        let (s, e) = (start.to_f64()?, end.to_f64()?);
        Some(Geo {
            start: s,
            ratio: e / s,
        })
    }
}

impl Values {
    /// Parses VALUES for a field; `whole` says whether the field holds whole numbers.
    pub fn parse(text: &str, whole: bool) -> Result<Values, String> {
        let spec = parse_spec(text.trim(), whole)?;
        let lin = match spec {
            Spec::Linear { start, end, steps } => Some(Lin::new(start, end, steps)?),
            _ => None,
        };
        let geo = match spec {
            Spec::Log { start, end, .. } => Geo::new(start, end),
            _ => None,
        };
        let mut v = Values {
            spec,
            lin,
            geo,
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
            (None, None) => push_value(out, self.get(i)),
        }
    }

    /// [`Values::push_label`] for point `i` whose value `v` the caller already has, as the grid
    /// walk does: a long log axis then writes it without computing the point again.
    pub fn push_label_of(&self, i: u64, v: Decimal, out: &mut Vec<u8>) {
        match (&self.cache, &self.lin) {
            (None, None) => push_value(out, v),
            _ => self.push_label(i, out),
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
                let x = i as f64 / (steps - 1) as f64;
                if let Some(v) = self.geo.and_then(|g| log_point_f64(g, x, *whole)) {
                    return Ok(v);
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
        let gaps = steps - 1;
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
        let a = at(start, dp).ok_or_else(overflow)?;
        let lin = Lin {
            a,
            q: b.abs() / c,
            r: (b.unsigned_abs() % c.unsigned_abs()) as u64,
            down: b < 0,
            c: gaps,
            dp,
            exact,
        };
        // The points run monotonically between the ends, so both ends in range means all are.
        for i in [0, steps - 1] {
            let q = lin.point(i).ok_or_else(overflow)?;
            Decimal::try_from_i128_with_scale(q, dp).map_err(|_| overflow())?;
        }
        Ok(lin)
    }

    /// Point i in units of 10^−dp.
    #[inline]
    fn point(&self, i: u64) -> Option<i128> {
        // i × |SPAN| ÷ c = i × q + (i × r) ÷ c, the last part in 64 bits when it fits.
        let t = u128::from(i) * u128::from(self.r);
        let (more, rem) = match u64::try_from(t) {
            Ok(t) => (u128::from(t / self.c), t % self.c),
            Err(_) => (t / u128::from(self.c), (t % u128::from(self.c)) as u64),
        };
        let whole = self
            .q
            .checked_mul(i128::from(i))?
            .checked_add(i128::try_from(more).ok()?)?;
        let sign = if self.down { -1 } else { 1 };
        let near = self.a.checked_add(sign * whole)?;
        if rem == 0 {
            return Some(near);
        }
        // Between `near` and the next point away from START: the nearer, or the even one on a tie.
        let twice = u128::from(rem) * 2;
        let c = u128::from(self.c);
        Some(if twice > c || (twice == c && near % 2 != 0) {
            near.checked_add(sign)?
        } else {
            near
        })
    }
}

/// floor(log10(d)) for d > 0, exactly, from its digits.
fn floor_log10(d: Decimal) -> i32 {
    let n = d.normalize();
    let digits = n.mantissa().unsigned_abs().checked_ilog10().unwrap_or(0) as i32;
    digits - n.scale() as i32
}

/// An inner point of a log range computed in floating point, or `None` when that could round
/// differently from the `Decimal` definition (`Values::compute`): the value is rounded only when
/// it lies more than a millionth of a unit of its last kept digit from a rounding midpoint, far
/// beyond the error of either computation (about 1e-15 relative here, and below 1e-20 for
/// `Decimal`'s `powd`). A property test holds the two equal.
fn log_point_f64(g: Geo, x: f64, whole: bool) -> Option<Decimal> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let v = g.start * g.ratio.powf(x);
    let clear = |t: f64| (t - t.floor() - 0.5).abs() > 1e-6;
    if whole {
        // Whole fields round half away from zero; points are at least 1.
        return ((1.0..1e15).contains(&v) && clear(v)).then(|| Decimal::from(v.round() as u64));
    }
    // v × 10^k has six digits before the point. The power of ten below v is looked up rather
    // than taken from a logarithm; should it be off by one at a boundary, the range test below
    // fails and the exact path decides.
    let below = if v >= 1.0 {
        POW10.partition_point(|&p| p <= v) as i32 - 1
    } else {
        -(POW10.partition_point(|&p| 1.0 / p > v) as i32)
    };
    let k = (LOG_DIGITS as i32 - 1) - below;
    let scaled = match k {
        0.. => v * POW10.get(k as usize)?,
        _ => v / POW10.get(k.unsigned_abs() as usize)?,
    };
    if !(100_000.001..999_999.499).contains(&scaled) || !clear(scaled) {
        return None;
    }
    let (mut digits, mut k) = (scaled.round_ties_even() as i64, k);
    // Normalised here, on six digits in an `i64`, which is far cheaper than `Decimal::normalize`.
    while k > 0 && digits % 10 == 0 {
        digits /= 10;
        k -= 1;
    }
    let digits = i128::from(digits);
    match k {
        0.. => Decimal::try_from_i128_with_scale(digits, k as u32).ok(),
        _ => Decimal::from_i128_with_scale(digits, 0).checked_mul(Decimal::from_i128_with_scale(
            10i128.pow(k.unsigned_abs()),
            0,
        )),
    }
}

/// Appends `v` as `label` writes it, without going through `Display`.
fn push_value(out: &mut Vec<u8>, v: Decimal) {
    let d = v.normalize();
    push_fixed(out, d.mantissa(), d.scale());
}

/// Appends `q × 10^−dp` as `label` writes it: trailing zeros removed.
fn push_fixed(out: &mut Vec<u8>, q: i128, dp: u32) {
    let mut buf = itoa::Buffer::new();
    let digits = match u64::try_from(q.unsigned_abs()) {
        Ok(small) => buf.format(small),
        Err(_) => buf.format(q.unsigned_abs()),
    }
    .as_bytes();
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
            let v = parse_decimal(part).map_err(|e| e.to_string())?;
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
    let start = parse_decimal(range).map_err(|e| e.to_string())?;
    let (end_text, steps_text) = steps
        .split_once('/')
        .ok_or_else(|| format!("`{text}`: a range needs a step count, as START..END/STEPS (for example 1000..50000/50)"))?;
    let end = parse_decimal(end_text).map_err(|e| e.to_string())?;
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

    #[test]
    fn long_log_axes_write_labels_as_short_ones_do() {
        // Past the cache limit, points and labels are computed on demand, labels without
        // `Display`: they must read exactly as `label` writes the point.
        for (text, whole) in [
            ("1000.0..1000000/100000:log", false),
            ("0.5..2000/70000:log", false),
            ("3..123456789/80000:log", true),
        ] {
            let v = Values::parse(text, whole).unwrap();
            assert!(v.len() > CACHE_LIMIT, "{text} is past the cache");
            for i in [0, 1, 2, 777, 31_623, 65_537, v.len() - 2, v.len() - 1] {
                let mut out = Vec::new();
                v.push_label(i, &mut out);
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    label(v.get(i)),
                    "{text} at {i}"
                );
            }
        }
        let v = Values::parse("1000.0..1000000/100000:log", false).unwrap();
        let mut out = Vec::new();
        v.push_label(0, &mut out);
        assert_eq!(out, b"1000");
    }

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

    #[test]
    fn steps_that_do_not_end_are_rounded_at_their_sixth_digit() {
        // (100000 − 1000) ÷ 999 = 99.099099…: its sixth significant digit is the fourth decimal,
        // so 1000 + 99.099099… = 1099.099099… is written 1099.0991.
        let v = Values::parse("1000..100000/1000", false).unwrap();
        assert_eq!(v.label(1), "1099.0991");
        assert_eq!(v.label(2), "1198.1982");
        assert_eq!(v.label(999), "100000");
        assert_eq!(v.max_scale(), 4);
        let note = v.rounding_note().unwrap();
        assert!(
            note.contains("99.099099") && note.contains("4 decimal places"),
            "{note}"
        );
        // 999000 ÷ 999999 = 0.999000999…: six decimals, as in the long benchmark axis.
        let v = Values::parse("1000..1000000/1000000", false).unwrap();
        assert_eq!(v.label(1), "1000.999001");
        assert_eq!(v.label(999_999), "1000000");
        assert!(v.rounding_note().unwrap().contains("6 decimal places"));
        // Steps ending by their sixth digit keep every point exact, and say nothing.
        for text in ["0..1/5", "1000..100000/100", "0.5..0.6/3", "-3..3/4"] {
            let v = Values::parse(text, false).unwrap();
            assert_eq!(v.rounding_note(), None, "{text}");
        }
        case("-3..3/4", false, &["-3", "-1", "1", "3"]);
        // 1/1024 = 0.0009765625 has seven significant digits: rounded to nine decimals,
        // 0.0009765625 → 0.000976562 (half to even).
        let v = Values::parse("0..1/1025", false).unwrap();
        assert_eq!(v.label(1), "0.000976562");
        assert_eq!(v.label(2), "0.001953125");
    }

    /// The definition a linear point is held to: (START × c + i × SPAN) ÷ c, half to even, in
    /// units of 10^−dp, computed in one wide division.
    fn reference_point(start: Decimal, end: Decimal, steps: u64, dp: u32, i: u64) -> i128 {
        let at = |d: Decimal| d.mantissa() * 10i128.pow(dp - d.scale());
        let c = i128::from(steps - 1);
        let num = at(start) * c + i128::from(i) * (at(end) - at(start));
        let (q, r) = (num / c, num % c);
        let twice = r.unsigned_abs() * 2;
        if twice > c.unsigned_abs() || (twice == c.unsigned_abs() && q % 2 != 0) {
            q + num.signum()
        } else {
            q
        }
    }

    proptest::proptest! {
        #[test]
        fn linear_points_match_the_definition(
            a in -10_000_000i64..10_000_000, sa in 0u32..4,
            b in -10_000_000i64..10_000_000, sb in 0u32..4,
            steps in 2u64..5_000_000,
            picks in proptest::collection::vec(0.0f64..1.0, 8),
        ) {
            let (start, end) = (Decimal::new(a, sa), Decimal::new(b, sb));
            let v = Values::parse(&format!("{start}..{end}/{steps}"), false).unwrap();
            let lin = v.lin.unwrap();
            for i in picks.iter().map(|p| (p * (steps - 1) as f64) as u64).chain([0, steps - 1]) {
                let want = reference_point(start, end, steps, lin.dp, i);
                proptest::prop_assert_eq!(lin.point(i), Some(want));
                let d = v.get(i);
                proptest::prop_assert_eq!(d, Decimal::from_i128_with_scale(want, lin.dp));
                proptest::prop_assert!(d.normalize().scale() <= v.max_scale());
                let mut out = Vec::new();
                v.push_label(i, &mut out);
                proptest::prop_assert_eq!(String::from_utf8(out).unwrap(), label(d));
            }
            // The ends are exact.
            proptest::prop_assert_eq!(v.get(0), start);
            proptest::prop_assert_eq!(v.get(steps - 1), end);
        }

        #[test]
        fn log_points_in_floating_point_match_the_decimal_definition(
            m1 in 1i64..100_000_000, s1 in 0u32..6,
            m2 in 1i64..100_000_000, s2 in 0u32..6,
            steps in 3u64..400,
            whole in proptest::bool::ANY,
        ) {
            let (start, end) = if whole {
                (Decimal::from(m1), Decimal::from(m2))
            } else {
                (Decimal::new(m1, s1), Decimal::new(m2, s2))
            };
            let ratio = end / start;
            let mut fast_points = 0;
            for i in 1..steps - 1 {
                let x = i as f64 / (steps - 1) as f64;
                let Some(fast) = Geo::new(start, end).and_then(|g| log_point_f64(g, x, whole)) else { continue };
                fast_points += 1;
                let exp = Decimal::from(i) / Decimal::from(steps - 1);
                let v = ratio.checked_powd(exp).unwrap() * start;
                let want = if whole {
                    v.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                } else {
                    v.round_sf(LOG_DIGITS).unwrap().normalize()
                };
                proptest::prop_assert_eq!(fast, want, "{}..{}/{} at {}", start, end, steps, i);
            }
            // The floating-point path is the rule, not the exception (a whole range over a
            // narrow span has many exact halves, which it leaves to `Decimal`).
            proptest::prop_assert!(whole || fast_points * 10 >= (steps - 2) * 9, "{}", fast_points);
        }
    }

    #[test]
    fn long_log_axes_agree_with_short_ones() {
        // Past the cache limit points are computed on demand; they are the same points.
        let long = Values::parse("1000..1000000/100001:log", false).unwrap();
        assert!(long.cache.is_none());
        let short = Values::parse("1000..1000000/11:log", false).unwrap();
        for i in 0..11 {
            assert_eq!(long.get(i * 10_000), short.get(i), "{i}");
            assert_eq!(long.label(i * 10_000), short.label(i));
        }
        assert!((0..100_001)
            .step_by(997)
            .all(|i| long.get(i).scale() <= long.max_scale()));
    }
}
