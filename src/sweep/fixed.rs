//! Exact fixed point for the sweep's fast path, derived from the cost kernel.
//!
//! Within one price tier a workload's bill on a model, before conversion, is Σ quantity ×
//! coefficient over the terms of the kernel's linear form ([`crate::cost::Term`]): the quantities
//! come from [`crate::cost::quantity::quantities`] (they depend on the model only through its
//! [`Profile`]), the coefficients from [`crate::cost::price::tier_coefficients`] (unit price ÷
//! units × (1 − discount)). The `Decimal` bill is that same sum. This module only changes the
//! representation: quantities become integers in units of 10^−t and coefficients integers in
//! units of 10^−k, so each product is one exact `i64` × `i64` → `i128` multiplication and a bill
//! is an integer at scale t + k. It knows nothing of which terms exist: a new kind of component
//! in the kernel needs no change here.
//!
//! The sum is exact, and equal to the `Decimal` bill digit for digit, whenever it is representable
//! at all: the caller keeps t + k ≤ 28 (the largest `Decimal` scale) and checks [`fits`], which
//! bounds every product and partial sum below 2^96, so the `Decimal` bill cannot have rounded
//! either. Anything else (a value with more decimals than can be held, a quantity past `i64`, a
//! model priced in another currency, which needs a division) goes down the exact path. Property
//! tests hold the two equal (see `sweep::equality`).

use crate::catalogue::model::Model;
use crate::cost::price::tier_coefficients;
use crate::cost::quantity::{Count, Part, Profile};
use crate::cost::Term;
use crate::scenario::Scenario;
use rust_decimal::Decimal;

/// The largest scale a `Decimal` holds.
pub const MAX_SCALE: u32 = 28;

/// The largest magnitude a `Decimal` mantissa holds, plus one: 2^96.
const DECIMAL_LIMIT: u128 = 1 << 96;

/// 10^0 to 10^38, every power of ten an `i128` holds.
pub const POW10: [u128; 39] = {
    let mut t = [1u128; 39];
    let mut i = 1;
    while i < 39 {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// Powers of ten that fit in an `i128`, from [`POW10`].
#[inline]
pub fn pow10(n: u32) -> Option<i128> {
    POW10.get(n as usize).map(|&p| p as i128)
}

/// A decimal as an integer mantissa and a scale, normalised.
pub fn parts(d: Decimal) -> (i128, u32) {
    let n = d.normalize();
    (n.mantissa(), n.scale())
}

/// Why a value cannot be held at a scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unfit {
    /// It has more decimals: it needs at least this scale.
    Scale(u32),
    /// It is too large for an `i64` at this scale.
    Large,
}

/// An exact decimal as an integer and a scale: the number the fast path counts quantities in,
/// with the kernel's own rule ([`crate::cost::quantity::demand`]). Every operation is exact or
/// fails; a count past 64 bits fails, and the point goes down the exact path (a quantity the
/// fast path holds is an `i64` anyway).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exact {
    m: i64,
    s: u32,
}

impl Exact {
    /// The number as an `i64` in units of 10^−scale.
    #[inline]
    pub fn at(self, scale: u32) -> Result<i64, Unfit> {
        match scale.checked_sub(self.s).map(|up| POW10.get(up as usize)) {
            Some(Some(&p)) if p <= i64::MAX as u128 => {
                self.m.checked_mul(p as i64).ok_or(Unfit::Large)
            }
            _ => at_scale(i128::from(self.m), self.s, scale),
        }
    }
}

impl Count for Exact {
    const ZERO: Exact = Exact { m: 0, s: 0 };

    #[inline]
    fn whole(n: u64) -> Option<Exact> {
        Some(Exact {
            m: i64::try_from(n).ok()?,
            s: 0,
        })
    }

    #[inline]
    fn of(d: Decimal) -> Option<Exact> {
        Some(Exact {
            m: i64::try_from(d.mantissa()).ok()?,
            s: d.scale(),
        })
    }

    #[inline]
    fn times(self, other: Exact) -> Option<Exact> {
        let s = self.s.checked_add(other.s)?;
        (s <= 2 * MAX_SCALE).then_some(Exact {
            m: self.m.checked_mul(other.m)?,
            s,
        })
    }

    #[inline]
    fn minus(self, other: Exact) -> Option<Exact> {
        let s = self.s.max(other.s);
        let up = |e: Exact| {
            let p = POW10
                .get((s - e.s) as usize)
                .filter(|&&p| p <= i64::MAX as u128)?;
            e.m.checked_mul(*p as i64)
        };
        let (a, b) = if self.s == other.s {
            (self.m, other.m)
        } else {
            (up(self)?, up(other)?)
        };
        Some(Exact {
            m: a.checked_sub(b)?,
            s,
        })
    }

    #[inline]
    fn is_zero(&self) -> bool {
        self.m == 0
    }
}

/// A decimal as an `i64` in units of 10^−scale.
#[inline]
pub fn to_fixed(d: Decimal, scale: u32) -> Result<i64, Unfit> {
    at_scale(d.mantissa(), d.scale(), scale)
}

/// `m` × 10^−`s` as an `i64` in units of 10^−scale.
#[inline]
fn at_scale(m: i128, s: u32, scale: u32) -> Result<i64, Unfit> {
    // The common case in 64 bits, where an overflow check is one flag: `i128` checks cost a call.
    if let Ok(m) = i64::try_from(m) {
        if s == scale {
            return Ok(m);
        }
        if let Some(&p) = POW10
            .get(scale.abs_diff(s) as usize)
            .filter(|&&p| p <= i64::MAX as u128)
        {
            let p = p as i64;
            return if s < scale {
                m.checked_mul(p).ok_or(Unfit::Large)
            } else if m % p == 0 {
                Ok(m / p)
            } else {
                Err(Unfit::Scale(places(m.into(), s)))
            };
        }
    }
    let v = if s <= scale {
        pow10(scale - s).and_then(|p| m.checked_mul(p))
    } else {
        let p = pow10(s - scale).ok_or(Unfit::Large)?;
        if m % p != 0 {
            return Err(Unfit::Scale(places(m, s)));
        }
        Some(m / p)
    };
    v.and_then(|v| i64::try_from(v).ok()).ok_or(Unfit::Large)
}

/// The decimal places `m` × 10^−`s` needs: `s` less its trailing zeros.
fn places(mut m: i128, mut s: u32) -> u32 {
    while s > 0 && m % 10 == 0 {
        m /= 10;
        s -= 1;
    }
    s
}

/// One part of a workload's quantities in fixed point: its tier and each term's quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixedPart {
    /// The tier it is billed at.
    pub tier: usize,
    /// Each term's quantity in units of 10^−t, by [`Term::index`].
    pub terms: [i64; Term::COUNT],
}

/// Every term's quantity at a scale, with the largest magnitude among them.
pub type Held = ([i64; Term::COUNT], u64);

/// Terms at scale `t`, with the largest magnitude among them.
#[inline]
pub fn terms_at(terms: &[Exact; Term::COUNT], t: u32) -> Result<Held, Unfit> {
    let mut out = [0i64; Term::COUNT];
    let mut largest = 0u64;
    for (slot, q) in out.iter_mut().zip(terms) {
        *slot = q.at(t)?;
        largest = largest.max(slot.unsigned_abs());
    }
    Ok((out, largest))
}

/// The kernel's parts at scale `t`, appended to `out`, with the sum over the parts of each one's
/// largest quantity (the bound [`fits`] takes). `known` is a set of terms already held at `t`
/// (the workload's demand, which a part usually carries unchanged), reused rather than converted
/// again.
pub fn parts_at(
    parts: &[Part<Exact>],
    t: u32,
    known: Option<(&[Exact; Term::COUNT], &Held)>,
    out: &mut Vec<FixedPart>,
) -> Result<u128, Unfit> {
    let mut most = 0u128;
    for p in parts {
        let (terms, largest) = match known {
            Some((d, held)) if *d == p.terms => *held,
            _ => terms_at(&p.terms, t)?,
        };
        most += u128::from(largest);
        out.push(FixedPart {
            tier: p.tier,
            terms,
        });
    }
    Ok(most)
}

/// A model's coefficients in fixed point, one row per tier of its profile, in its own currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coefficients {
    tiers: Box<[[i64; Term::COUNT]]>,
    /// The largest magnitude among them.
    pub largest: u64,
}

/// The kernel's coefficients of a model at every tier of its profile, as `Decimal`s; `None` when
/// it is not priced per token or one overflows.
pub fn decimal_coefficients(s: &Scenario, m: &Model) -> Option<Vec<[Decimal; Term::COUNT]>> {
    let profile = Profile::of(s, m, m.price.as_ref()?);
    (0..profile.tiers())
        .map(|tier| tier_coefficients(s, m, tier))
        .collect()
}

/// The scale at which every coefficient is a whole number.
pub fn scale_of(coefficients: &[[Decimal; Term::COUNT]]) -> u32 {
    coefficients
        .iter()
        .flatten()
        .map(|c| c.normalize().scale())
        .max()
        .unwrap_or(0)
}

impl Coefficients {
    /// The coefficients in units of 10^−k, or `None` when one has more decimals or does not fit in
    /// an `i64`.
    pub fn at(coefficients: &[[Decimal; Term::COUNT]], k: u32) -> Option<Coefficients> {
        let mut largest = 0u64;
        let mut tiers = Vec::with_capacity(coefficients.len());
        for row in coefficients {
            let mut out = [0i64; Term::COUNT];
            for (slot, c) in out.iter_mut().zip(row) {
                *slot = to_fixed(*c, k).ok()?;
                largest = largest.max(slot.unsigned_abs());
            }
            tiers.push(out);
        }
        Some(Coefficients {
            tiers: tiers.into_boxed_slice(),
            largest,
        })
    }

    /// A workload's bill at scale t + k: Σ quantity × coefficient over its parts and terms, with
    /// no overflow test. Exact whenever the caller has checked [`fits`] for these quantities and
    /// these coefficients.
    #[inline]
    pub fn bill(&self, parts: &[FixedPart]) -> i128 {
        let mut sum = 0i128;
        for p in parts {
            let c = &self.tiers[p.tier];
            for (q, k) in p.terms.iter().zip(c) {
                sum += i128::from(*q) * i128::from(*k);
            }
        }
        sum
    }
}

/// Whether bills of quantities whose largest magnitudes, summed over every part of every workload,
/// come to `quantities`, at coefficients of magnitude at most `largest`, are exact: every product
/// and every partial sum stays below 2^96, so neither the integer sum nor the `Decimal` bill at the
/// same scale can overflow or round. A cost code doubles the sum, still far inside `i128`.
pub fn fits(quantities: u128, largest: u64) -> bool {
    quantities
        .checked_mul(u128::from(largest))
        .and_then(|v| v.checked_mul(Term::COUNT as u128))
        .is_some_and(|v| v < DECIMAL_LIMIT)
}

/// Converts a fixed-point amount to a `Decimal`, if it fits.
pub fn to_decimal(v: i128, scale: u32) -> Option<Decimal> {
    if scale <= MAX_SCALE {
        if let Ok(d) = Decimal::try_from_i128_with_scale(v, scale) {
            return Some(d);
        }
    }
    // Too many digits at this scale: drop trailing zeros (rare, so the divisions do not matter).
    let (mut v, mut scale) = (v, scale);
    while scale > 0 && v % 10 == 0 {
        v /= 10;
        scale -= 1;
    }
    if scale > MAX_SCALE {
        return None;
    }
    Decimal::try_from_i128_with_scale(v, scale).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::cost::model_cost;
    use crate::cost::quantity::{demand, split};
    use crate::scenario::{Requests, Workload};
    use proptest::prelude::*;

    fn dec(m: i64, scale: u32) -> Decimal {
        Decimal::new(m, scale)
    }

    #[test]
    fn values_are_held_at_a_scale_or_say_what_they_need() {
        assert_eq!(to_fixed(dec(125, 2), 4), Ok(12_500));
        assert_eq!(to_fixed(dec(12_500, 4), 2), Ok(125));
        assert_eq!(to_fixed(dec(12_501, 4), 2), Err(Unfit::Scale(4)));
        // 1.2500 has four places as written but needs two.
        assert_eq!(to_fixed(dec(12_500, 4), 1), Err(Unfit::Scale(2)));
        assert_eq!(to_fixed(Decimal::from(i64::MAX), 1), Err(Unfit::Large));
        assert_eq!(to_decimal(12_500, 4), Some(dec(125, 2)));
    }

    /// Every catalogue model's bill in fixed point, as a `Decimal`, beside the kernel's.
    fn both(s: &Scenario, cat: &Catalogue) -> Vec<(String, Option<Decimal>, Decimal)> {
        let fx = s.fx(cat);
        let mut out = Vec::new();
        for m in cat.models.iter().filter(|m| m.currency == s.currency) {
            let Some(dc) = decimal_coefficients(s, m) else {
                continue;
            };
            let want = model_cost(s, m, &fx).unwrap().unwrap().monthly_cost;
            let k = scale_of(&dc);
            let got = Coefficients::at(&dc, k).and_then(|c| {
                let profile = Profile::of(s, m, m.price.as_ref()?);
                let mut total = 0i128;
                let mut t = 0;
                let mut sum = 0u128;
                let mut fixed = Vec::new();
                for w in &s.workloads {
                    let r = w.monthly_requests(s.days_per_month).ok()?;
                    let d = demand(w, Exact::of(r)?).ok()?;
                    let mut parts = Vec::new();
                    split(&d, w, &profile, &mut parts).ok()?;
                    // The scale every quantity of every workload is whole at.
                    t = parts
                        .iter()
                        .flat_map(|p| p.terms.iter())
                        .map(|x| places(x.m.into(), x.s))
                        .fold(t, u32::max);
                    fixed.push(parts);
                }
                for parts in &fixed {
                    let mut held = Vec::new();
                    sum += parts_at(parts, t, None, &mut held).ok()?;
                    total += c.bill(&held);
                }
                if !fits(sum, c.largest) || t + k > MAX_SCALE {
                    return None;
                }
                to_decimal(total, t + k)
            });
            out.push((m.id.clone(), got, want));
        }
        out
    }

    fn scenario(workloads: Vec<Workload>, discount: Option<(String, Decimal)>) -> Scenario {
        let cat = Catalogue::embedded().unwrap();
        let mut s = Scenario::from_path(
            std::path::Path::new(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/scenarios/support-chatbot.toml"
            )),
            &cat,
        )
        .unwrap();
        if !workloads.is_empty() {
            s.workloads = workloads;
        }
        if let Some((k, d)) = discount {
            s.pricing.discounts.insert(k, d);
        }
        s
    }

    #[test]
    fn matches_the_kernel_on_the_example() {
        let cat = Catalogue::embedded().unwrap();
        let s = scenario(Vec::new(), None);
        let costs = both(&s, &cat);
        assert!(costs.len() > 10);
        for (id, got, want) in &costs {
            assert_eq!(got.as_ref(), Some(want), "{id}");
        }
        // Claude 3 Haiku by hand: chat 20,000 × 30 = 600,000 requests × (1,800 × 0.25 + 350 × 1.25)
        // ÷ 1M = 600,000 × 0.0008875 = 532.50; summaries 30,000 × (4,000 × 0.25 + 500 × 1.25) ÷ 1M
        // = 48.75 (no batch price) → 581.25.
        let haiku = costs
            .iter()
            .find(|c| c.0 == "anthropic/claude-3-haiku")
            .unwrap();
        assert_eq!(haiku.1, Some(dec(58125, 2)));
    }

    proptest! {
        /// The kernel's quantity rule counted in exact integers gives the `Decimal` count, term
        /// for term, or refuses.
        #[test]
        fn exact_counts_are_the_decimal_counts(
            requests in (1i64..1_000_000_000, 0u32..7),
            input in 1u64..1_000_000,
            output in 0u64..100_000,
            cached in (0i64..=1000, 0u32..4),
            batch in (0i64..=1000, 0u32..4),
        ) {
            let share = |(v, s): (i64, u32)| dec(v, s).min(Decimal::ONE);
            let w = Workload {
                name: "w".into(),
                requests: None,
                input_tokens: input,
                output_tokens: output,
                cached_input_share: share(cached),
                cache: None,
                batch_share: share(batch),
                context_tokens: input + output,
                input_size: None,
                output_size: None,
                images_per_month: Decimal::ZERO,
                video_seconds_per_month: Decimal::ZERO,
                routing: None,
                content: Default::default(),
            };
            let r = dec(requests.0, requests.1);
            let want = demand(&w, r).unwrap();
            if let Ok(got) = demand(&w, Exact::of(r).unwrap()) {
                for (g, d) in got.terms.iter().zip(&want.terms) {
                    let t = d.normalize().scale();
                    if let (Ok(a), Ok(b)) = (g.at(t), to_fixed(*d, t)) {
                        prop_assert_eq!(a, b, "{:?} against {}", g, d);
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Whatever the volumes, shares, tiers and discounts, the fixed-point bill is the kernel's
        /// to the digit, or is refused.
        #[test]
        fn fixed_point_equals_the_kernel(
            per_day in proptest::option::of((1i64..5_000_000, 0u32..4)),
            per_month in (1i64..50_000_000, 0u32..3),
            input in 1u64..300_000,
            output in 0u64..8_000,
            cached in 0i64..=1000,
            batch in 0i64..=100,
            input2 in 1u64..200_000,
            discount in proptest::option::of((0i64..=100, prop_oneof![Just("anthropic"), Just("openai"), Just("google"), Just("mistral")])),
        ) {
            let cat = Catalogue::embedded().unwrap();
            let w = |name: &str, requests, input_tokens, output_tokens, cached, batch| Workload {
                name: name.into(),
                requests: Some(requests),
                input_tokens,
                output_tokens,
                cached_input_share: cached,
                cache: None,
                batch_share: batch,
                context_tokens: input_tokens + output_tokens,
                input_size: None,
                output_size: None,
                images_per_month: Decimal::ZERO,
                video_seconds_per_month: Decimal::ZERO,
                routing: None,
                content: Default::default(),
            };
            let mut ws = vec![w("b", Requests::PerMonth(dec(per_month.0, per_month.1)), input2, output / 2, Decimal::ZERO, dec(batch, 2))];
            if let Some((r, sc)) = per_day {
                ws.insert(0, w("a", Requests::PerDay(dec(r, sc)), input, output, dec(cached, 3), Decimal::ZERO));
            }
            let s = scenario(ws, discount.map(|(d, v)| (v.to_string(), dec(d, 2))));
            for (id, got, want) in both(&s, &cat) {
                if let Some(got) = got {
                    prop_assert_eq!(got, want, "{}", id);
                }
            }
        }
    }
}
