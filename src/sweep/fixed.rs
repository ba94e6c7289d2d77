//! Exact integer fixed point for the sweep's hot loop.
//!
//! The `Decimal` engine ([`crate::cost::model_cost`]) is exact but spends most of its time on
//! bookkeeping. For a sweep the same sums are regrouped so that each point computes its token
//! volumes once, and each model then needs six integer multiplications per workload:
//!
//! ```text
//! per-token price p (units of 1e-14)      = price per 1M × 10^8          (refused unless whole)
//! fresh, cached and output tokens (X1..X3) = R × input × (1 − cached share), R × input × share, R × output
//! batch tokens Y1..Y3                      = X1..X3 × batch share
//! cost = (Σ X·p × 10^f − Σ Y·p × bd) × (10^g − d) × 10^(F − f − g)
//! ```
//!
//! where the batch discount is bd ÷ 10^f, the negotiated discount d ÷ 10^g, and F the largest
//! f + g of the models, so every model's cost lands on the same scale and compares as a plain
//! integer. Nothing is rounded: the result is the exact value the `Decimal` engine computes, as
//! long as that engine is itself exact (amounts within 28 significant digits). Whenever a value
//! cannot be represented (too many decimals, a scale above 28, a product that would overflow
//! `i128`, or a model priced in another currency) the caller falls back to the `Decimal` engine.
//! A property test checks the equality on random inputs.
//!
//! The hot loop goes one step further ([`SmallVolumes`], [`Kernel::workload_cost`]): a sweep
//! fixes the decimal places of each input once ([`Places`]), so every point's volumes land on the
//! same scale and a workload's cost can be kept until one of its inputs changes. When volumes and
//! constants fit in `i64` and their products cannot add up past `i128` (checked once per sweep
//! for the constants and once per point for the volumes), each term is one widening
//! multiplication with no overflow test. A second property test holds that loop equal to the
//! checked one and to the `Decimal` engine.

use crate::catalogue::model::Model;
use crate::cost::price::meter_price;
use crate::cost::Meter;
use crate::scenario::{Requests, Scenario, Workload};
use rust_decimal::Decimal;

/// The largest scale a `Decimal` holds.
pub const MAX_SCALE: u32 = 28;

/// Powers of ten that fit in an `i128`.
pub fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

/// A decimal as an integer mantissa and a scale, normalised.
pub fn parts(d: Decimal) -> (i128, u32) {
    let n = d.normalize();
    (n.mantissa(), n.scale())
}

/// Per-token prices of one tier, in units of 1e-14 of the model's currency, with the discount and
/// batch terms folded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Tier {
    /// Applies when a request's input tokens exceed this (none for list prices).
    above: Option<u64>,
    /// Fresh input, cached input and output, multiplied by 10^f × (10^g − d) × 10^(F − f − g).
    k: [i128; 3],
    /// The same for the batch saving: by bd instead of 10^f.
    kb: [i128; 3],
}

/// A model's constants for one sweep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FixedModel {
    /// Tiers in ascending threshold order; the first is the list price.
    tiers: Vec<Tier>,
}

/// The raw (unscaled) constants, before the common scale of the sweep is known.
#[derive(Debug, Clone)]
pub struct FixedPrices {
    tiers: Vec<(Option<u64>, [i128; 3])>,
    bd: (i128, u32),
    d: (i128, u32),
}

impl FixedPrices {
    /// Reads a model's prices for a scenario, or `None` if they cannot be held exactly (or the
    /// model is priced in another currency, which needs a division).
    pub fn from_model(s: &Scenario, m: &Model) -> Option<FixedPrices> {
        if m.currency != s.currency {
            return None;
        }
        FixedPrices::in_own_currency(s, m)
    }

    /// The same in the model's own currency, whatever the scenario's: exact before conversion,
    /// which is enough to estimate where a converted price stands.
    pub fn in_own_currency(s: &Scenario, m: &Model) -> Option<FixedPrices> {
        let price = m.price.as_ref()?;
        if !price.has_token_prices() {
            return None;
        }
        let per_token = |p: Decimal| -> Option<i128> {
            let u = p.checked_mul(Decimal::from(100_000_000))?;
            if !u.fract().is_zero() {
                return None;
            }
            let (mant, scale) = parts(u);
            mant.checked_div(pow10(scale)?)
        };
        let mut tiers = Vec::with_capacity(price.tiers.len() + 1);
        let bd = price.batch_discount.unwrap_or_default();
        for tier in 0..=price.tiers.len() {
            let above = tier
                .checked_sub(1)
                .map(|i| price.tiers[i].above_input_tokens);
            let p = |meter| meter_price(s, m, price, meter, tier).map(|p| p.price);
            tiers.push((
                above,
                [
                    per_token(p(Meter::Input)?)?,
                    per_token(p(Meter::CachedRead)?)?,
                    per_token(p(Meter::Output)?)?,
                ],
            ));
        }
        let d = s.pricing.discount_for(&m.id, &m.vendor);
        Some(FixedPrices {
            tiers,
            bd: parts(bd),
            d: parts(d),
        })
    }

    /// f + g: the decimals the batch discount and the discount add.
    pub fn extra_scale(&self) -> u32 {
        self.bd.1 + self.d.1
    }

    /// Folds discount and batch terms in, at common extra scale `f_max` (at least `extra_scale`).
    pub fn scaled(&self, f_max: u32) -> Option<FixedModel> {
        let (bd, f) = self.bd;
        let (d, g) = self.d;
        let keep = pow10(g)?
            .checked_sub(d)?
            .checked_mul(pow10(f_max.checked_sub(f + g)?)?)?;
        let ten_f = pow10(f)?;
        let mut tiers = Vec::with_capacity(self.tiers.len());
        for (above, p) in &self.tiers {
            let mut k = [0i128; 3];
            let mut kb = [0i128; 3];
            for j in 0..3 {
                k[j] = p[j].checked_mul(ten_f)?.checked_mul(keep)?;
                kb[j] = p[j].checked_mul(bd)?.checked_mul(keep)?;
            }
            tiers.push(Tier {
                above: *above,
                k,
                kb,
            });
        }
        Some(FixedModel { tiers })
    }
}

/// One workload's token volumes at a point, at the point's common scale.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Volumes {
    /// Input tokens a request, which selects the price tier.
    pub input_tokens: u64,
    /// Fresh input, cached input and output tokens a month.
    pub x: [i128; 3],
    /// The same tokens sent through a batch API.
    pub y: [i128; 3],
    /// Whether any requests are batched.
    pub batched: bool,
}

/// Token volumes for every text workload of a point, on one scale `t`, or `None` if they cannot
/// be held exactly.
pub fn volumes(s: &Scenario, out: &mut Vec<Volumes>) -> Option<u32> {
    out.clear();
    let mut raw: [(u32, Volumes); 8] = [(0, Volumes::default()); 8];
    let mut n = 0;
    let mut t = 0u32;
    for w in s.workloads.iter().filter(|w| w.requests.is_some()) {
        if n == raw.len() {
            return None;
        }
        let r = w.monthly_requests(s.days_per_month).ok()?;
        let (rm, a) = parts(r);
        let (sm, c) = parts(w.cached_input_share);
        let (bm, e) = parts(w.batch_share);
        let ten_c = pow10(c)?;
        let ten_e = pow10(e)?;
        let ri = rm.checked_mul(w.input_tokens as i128)?;
        let ro = rm
            .checked_mul(w.output_tokens as i128)?
            .checked_mul(ten_c)?;
        let fresh = ri.checked_mul(ten_c - sm)?;
        let cached = ri.checked_mul(sm)?;
        let x = [
            fresh.checked_mul(ten_e)?,
            cached.checked_mul(ten_e)?,
            ro.checked_mul(ten_e)?,
        ];
        let y = [
            fresh.checked_mul(bm)?,
            cached.checked_mul(bm)?,
            ro.checked_mul(bm)?,
        ];
        let scale = a + c + e;
        t = t.max(scale);
        raw[n] = (
            scale,
            Volumes {
                input_tokens: w.input_tokens,
                x,
                y,
                batched: bm != 0,
            },
        );
        n += 1;
    }
    for (scale, mut v) in raw.into_iter().take(n) {
        let up = pow10(t - scale)?;
        for j in 0..3 {
            v.x[j] = v.x[j].checked_mul(up)?;
            v.y[j] = v.y[j].checked_mul(up)?;
        }
        out.push(v);
    }
    Some(t)
}

impl FixedModel {
    /// The monthly cost at scale t + 14 + F, or `None` on overflow.
    #[inline]
    pub fn monthly(&self, vols: &[Volumes]) -> Option<i128> {
        let mut total: i128 = 0;
        for v in vols {
            let tier = self.tier(v.input_tokens);
            let mut sub = v.x[0]
                .checked_mul(tier.k[0])?
                .checked_add(v.x[1].checked_mul(tier.k[1])?)?
                .checked_add(v.x[2].checked_mul(tier.k[2])?)?;
            if v.batched {
                let saved = v.y[0]
                    .checked_mul(tier.kb[0])?
                    .checked_add(v.y[1].checked_mul(tier.kb[1])?)?
                    .checked_add(v.y[2].checked_mul(tier.kb[2])?)?;
                sub = sub.checked_sub(saved)?;
            }
            total = total.checked_add(sub)?;
        }
        Some(total)
    }

    /// The constants as `i64` for [`Kernel::workload_cost`], with the largest in absolute value,
    /// or `None` if one does not fit (the model then takes the checked path).
    pub fn kernel(&self) -> Option<(Kernel, u64)> {
        let mut most = 0u64;
        let mut small = |t: &Tier| -> Option<[i64; 6]> {
            let mut out = [0i64; 6];
            for (o, v) in out.iter_mut().zip(t.k.iter().chain(&t.kb)) {
                *o = i64::try_from(*v).ok()?;
                most = most.max(o.unsigned_abs());
            }
            Some(out)
        };
        let base = small(&self.tiers[0])?;
        let mut tiers = Vec::new();
        for t in &self.tiers[1..] {
            if let Some(above) = t.above {
                tiers.push((above, small(t)?));
            }
        }
        let kernel = Kernel {
            base,
            tiers: tiers.into_boxed_slice(),
        };
        Some((kernel, most))
    }

    #[inline]
    fn tier(&self, input_tokens: u64) -> &Tier {
        // Mirrors `cost::token_prices`: the highest tier whose threshold the request exceeds.
        let mut chosen = &self.tiers[0];
        for t in &self.tiers[1..] {
            if t.above.is_some_and(|a| input_tokens > a) {
                chosen = t;
            }
        }
        chosen
    }
}

/// A model's constants as `i64`, for the unchecked hot loop: fresh input, cached input and output,
/// then the same three for the batch saving, for the list price and each higher tier.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kernel {
    base: [i64; 6],
    /// (threshold, constants), ascending; usually empty.
    tiers: Box<[(u64, [i64; 6])]>,
}

impl Kernel {
    /// One workload's cost at scale t + 14 + F, with no overflow test. Exact whenever the caller
    /// has checked [`small_enough`] for these volumes and this kernel's largest constant; each
    /// term is then a single `i64` × `i64` → `i128` multiplication.
    #[inline]
    pub fn workload_cost(&self, v: &SmallVolumes) -> i128 {
        let mut k = &self.base;
        // Mirrors `cost::token_prices`: the highest tier whose threshold the request exceeds.
        for (above, t) in self.tiers.iter() {
            if v.input_tokens > *above {
                k = t;
            }
        }
        let term = |x: i64, k: i64| i128::from(x) * i128::from(k);
        let mut sub = term(v.x[0], k[0]) + term(v.x[1], k[1]) + term(v.x[2], k[2]);
        if v.batched {
            sub -= term(v.y[0], k[3]) + term(v.y[1], k[4]) + term(v.y[2], k[5]);
        }
        sub
    }
}

/// The decimal places a workload's request volume, cached share and batch share are held at for a
/// whole sweep: at least as many as any value the sweep gives them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Places {
    /// Of requests a day or a month.
    pub requests: u32,
    /// Of the cached input share.
    pub cached: u32,
    /// Of the batch share.
    pub batch: u32,
}

impl Places {
    /// The scale of the workload's volumes.
    pub fn total(&self) -> u32 {
        self.requests + self.cached + self.batch
    }
}

/// The change in a workload's volumes from one point to the next, when [`SmallVolumes::step_from`]
/// finds its cost linear across it. Along a linear axis it repeats from point to point, and each
/// model's cost then changes by the same amount every time.
#[derive(Debug, Clone, Copy, Eq)]
pub struct Step([i64; 6]);

impl PartialEq for Step {
    /// Compared once a point: folded without branches, where the derived form calls `memcmp`.
    fn eq(&self, other: &Step) -> bool {
        self.0
            .iter()
            .zip(&other.0)
            .fold(0, |acc, (a, b)| acc | (a ^ b))
            == 0
    }
}

/// One workload's token volumes at a point as `i64`, on the sweep's common scale t.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SmallVolumes {
    /// Input tokens a request, which selects the price tier.
    pub input_tokens: u64,
    /// Fresh input, cached input and output tokens a month.
    pub x: [i64; 3],
    /// The same tokens sent through a batch API.
    pub y: [i64; 3],
    /// Whether any requests are batched.
    pub batched: bool,
}

impl SmallVolumes {
    /// The volumes of a text workload at places `p`, brought to scale t by `up` = 10^(t − p.total()),
    /// or `None` if a value has more places than `p` or a volume does not fit in `i64`.
    pub fn at(w: &Workload, days_per_month: u32, p: Places, up: i64) -> Option<SmallVolumes> {
        let r = match w.requests? {
            Requests::PerDay(d) => {
                to_places(d, p.requests)?.checked_mul(i64::from(days_per_month))?
            }
            Requests::PerMonth(d) => to_places(d, p.requests)?,
        };
        let s = to_places(w.cached_input_share, p.cached)?;
        let b = to_places(w.batch_share, p.batch)?;
        let ten_c = small_pow10(p.cached)?;
        let ten_e = small_pow10(p.batch)?.checked_mul(up)?;
        let input = i64::try_from(w.input_tokens).ok()?;
        let output = i64::try_from(w.output_tokens).ok()?;
        let ri = r.checked_mul(input)?;
        let fresh = ri.checked_mul(ten_c.checked_sub(s)?)?;
        let cached = ri.checked_mul(s)?;
        let ro = r.checked_mul(output)?.checked_mul(ten_c)?;
        let bu = b.checked_mul(up)?;
        Some(SmallVolumes {
            input_tokens: w.input_tokens,
            x: [
                fresh.checked_mul(ten_e)?,
                cached.checked_mul(ten_e)?,
                ro.checked_mul(ten_e)?,
            ],
            y: [
                fresh.checked_mul(bu)?,
                cached.checked_mul(bu)?,
                ro.checked_mul(bu)?,
            ],
            batched: b != 0,
        })
    }

    /// `self − prev`, when both select the same price tier on every model (the same input tokens
    /// a request) and are both batched or not. [`Kernel::workload_cost`] is then linear between
    /// them: cost(self) = cost(prev) + the same form applied to the difference, exactly.
    pub fn step_from(&self, prev: &SmallVolumes) -> Option<Step> {
        if self.input_tokens != prev.input_tokens || self.batched != prev.batched {
            return None;
        }
        let mut d = [0i64; 6];
        for (i, slot) in d.iter_mut().enumerate() {
            let (a, b) = if i < 3 {
                (self.x[i], prev.x[i])
            } else {
                (self.y[i - 3], prev.y[i - 3])
            };
            *slot = a.checked_sub(b)?;
        }
        Some(Step(d))
    }

    /// The largest volume in absolute value.
    pub fn largest(&self) -> u64 {
        self.x
            .iter()
            .chain(&self.y)
            .map(|v| v.unsigned_abs())
            .max()
            .unwrap_or(0)
    }
}

/// Whether [`Kernel::workload_cost`] is exact and its sums cannot overflow: volumes at most
/// `x` and constants at most `k` give terms of at most x × k; a model sums six per workload over
/// at most `workloads` workloads, and the caller doubles the total (a cost code), so the bound is
/// 12 × workloads × x × k ≤ `i128::MAX`.
pub fn small_enough(x: u64, k: u64, workloads: usize) -> bool {
    (u128::from(x) * u128::from(k))
        .checked_mul(12 * workloads.max(1) as u128)
        .is_some_and(|v| v <= i128::MAX as u128)
}

/// A decimal as an integer in units of 10^−places, or `None` if it has more places or does not
/// fit in `i64`.
#[inline]
fn to_places(d: Decimal, places: u32) -> Option<i64> {
    let (m, s) = (i64::try_from(d.mantissa()).ok()?, d.scale());
    if s <= places {
        return m.checked_mul(small_pow10(places - s)?);
    }
    let p = small_pow10(s - places)?;
    (m % p == 0).then(|| m / p)
}

/// 10^n as an `i64`, from a table.
#[inline]
fn small_pow10(n: u32) -> Option<i64> {
    const TABLE: [i64; 19] = {
        let mut t = [1i64; 19];
        let mut i = 1;
        while i < 19 {
            t[i] = t[i - 1] * 10;
            i += 1;
        }
        t
    };
    TABLE.get(n as usize).copied()
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
    use crate::scenario::{Requests, Workload};
    use proptest::prelude::*;

    fn dec(m: i64, scale: u32) -> Decimal {
        Decimal::new(m, scale)
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
        s.workloads = workloads;
        if let Some((k, d)) = discount {
            s.pricing.discounts.insert(k, d);
        }
        s
    }

    /// The fixed-point cost of every fixed-priced model, as a `Decimal`.
    fn fixed_costs(s: &Scenario, cat: &Catalogue) -> Vec<(String, Option<Decimal>)> {
        let prices: Vec<(String, FixedPrices)> = cat
            .models
            .iter()
            .filter_map(|m| FixedPrices::from_model(s, m).map(|p| (m.id.clone(), p)))
            .collect();
        let f = prices
            .iter()
            .map(|(_, p)| p.extra_scale())
            .max()
            .unwrap_or(0);
        let mut vols = Vec::new();
        let t = volumes(s, &mut vols);
        prices
            .iter()
            .map(|(id, p)| {
                let v = t.and_then(|t| {
                    p.scaled(f)?
                        .monthly(&vols)
                        .and_then(|c| to_decimal(c, t + 14 + f))
                });
                (id.clone(), v)
            })
            .collect()
    }

    /// The cost of every fixed-priced model through the unchecked kernel, with each input held at
    /// `extra` more decimal places than it has (as a sweep's plan may), or `None` where the plan
    /// refuses the volumes (too large for the bound).
    fn kernel_costs(s: &Scenario, cat: &Catalogue, extra: u32) -> Vec<(String, Option<Decimal>)> {
        let prices: Vec<(String, FixedPrices)> = cat
            .models
            .iter()
            .filter_map(|m| FixedPrices::from_model(s, m).map(|p| (m.id.clone(), p)))
            .collect();
        let f = prices
            .iter()
            .map(|(_, p)| p.extra_scale())
            .max()
            .unwrap_or(0);
        let places: Vec<Places> = s
            .workloads
            .iter()
            .map(|w| {
                let r = match w.requests.unwrap() {
                    Requests::PerDay(d) | Requests::PerMonth(d) => d.normalize().scale(),
                };
                Places {
                    requests: r + extra,
                    cached: w.cached_input_share.normalize().scale() + extra,
                    batch: w.batch_share.normalize().scale(),
                }
            })
            .collect();
        let t = places.iter().map(Places::total).max().unwrap();
        let vols: Vec<Option<SmallVolumes>> = s
            .workloads
            .iter()
            .zip(&places)
            .map(|(w, p)| SmallVolumes::at(w, s.days_per_month, *p, 10i64.pow(t - p.total())))
            .collect();
        prices
            .iter()
            .map(|(id, p)| {
                let (kernel, k) = p.scaled(f).unwrap().kernel().unwrap();
                let mut total = 0i128;
                for v in &vols {
                    let Some(v) = v else {
                        return (id.clone(), None);
                    };
                    if !small_enough(v.largest(), k, vols.len()) {
                        return (id.clone(), None);
                    }
                    total += kernel.workload_cost(v);
                }
                (id.clone(), to_decimal(total, t + 14 + f))
            })
            .collect()
    }

    #[test]
    fn matches_the_decimal_engine_on_the_example() {
        let cat = Catalogue::embedded().unwrap();
        let s = scenario(
            Scenario::from_path(
                std::path::Path::new(concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/scenarios/support-chatbot.toml"
                )),
                &cat,
            )
            .unwrap()
            .workloads,
            None,
        );
        let fx = s.fx(&cat);
        let costs = fixed_costs(&s, &cat);
        assert!(costs.len() > 10);
        for (id, c) in costs {
            let want = model_cost(&s, cat.model(&id).unwrap(), &fx)
                .unwrap()
                .unwrap()
                .monthly_cost;
            assert_eq!(c, Some(want), "{id}");
        }
        // The unchecked kernel holds these volumes, also at three more places than needed.
        for extra in [0, 3] {
            for (id, c) in kernel_costs(&s, &cat, extra) {
                let want = model_cost(&s, cat.model(&id).unwrap(), &fx)
                    .unwrap()
                    .unwrap()
                    .monthly_cost;
                assert_eq!(c, Some(want), "{id} at {extra} more places");
            }
        }
        // Claude 3 Haiku by hand: chat 20,000 × 30 = 600,000 requests × (1,800 × 0.25 + 350 × 1.25) ÷ 1M
        // = 600,000 × 0.0008875 = 532.50; summaries 30,000 × (4,000 × 0.25 + 500 × 1.25) ÷ 1M = 48.75
        // (no batch price) → 581.25.
        let haiku = fixed_costs(&s, &cat)
            .into_iter()
            .find(|(id, _)| id == "anthropic/claude-3-haiku")
            .unwrap();
        assert_eq!(haiku.1, Some(dec(58125, 2)));
    }

    proptest! {
        /// Three points a repeated step apart: the third point's cost is the second's plus the
        /// change from the first to the second, as the sweep engine adds it, whatever the tiers.
        #[test]
        fn a_repeated_step_moves_the_cost_by_the_same_amount(
            base in proptest::array::uniform6(0i64..1_000_000_000),
            tiers in proptest::collection::vec((0u64..300_000, proptest::array::uniform6(0i64..1_000_000_000)), 0..3),
            input_tokens in 0u64..300_000,
            x in proptest::array::uniform6(0i64..1_000_000_000_000),
            d in proptest::array::uniform6(-1_000_000_000i64..1_000_000_000),
            batched: bool,
        ) {
            let kernel = Kernel { base, tiers: tiers.into_boxed_slice() };
            let at = |k: i64| SmallVolumes {
                input_tokens,
                x: [0, 1, 2].map(|i| x[i] + k * d[i]),
                y: [3, 4, 5].map(|i| x[i] + k * d[i]),
                batched,
            };
            let (p0, p1, p2) = (at(0), at(1), at(2));
            let step = p1.step_from(&p0).unwrap();
            prop_assert_eq!(Some(step), p2.step_from(&p1));
            let (c0, c1, c2) = (kernel.workload_cost(&p0), kernel.workload_cost(&p1), kernel.workload_cost(&p2));
            prop_assert_eq!(c2, c1 + (c1 - c0));
            // A different prompt length may select another tier: no step is claimed across it.
            let other = SmallVolumes { input_tokens: input_tokens + 1, ..p1 };
            prop_assert_eq!(other.step_from(&p0), None);
            let flipped = SmallVolumes { batched: !batched, ..p1 };
            prop_assert_eq!(flipped.step_from(&p0), None);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn fixed_point_equals_decimal(
            per_day in proptest::option::of((1i64..5_000_000, 0u32..4)),
            per_month in (1i64..50_000_000, 0u32..3),
            input in 1u64..300_000,
            output in 0u64..8_000,
            cached in 0i64..=1000,
            batch in 0i64..=100,
            input2 in 1u64..200_000,
            discount in proptest::option::of((0i64..=100, prop_oneof![Just("anthropic"), Just("openai"), Just("google"), Just("mistral")])),
            extra in 0u32..4,
        ) {
            let cat = Catalogue::embedded().unwrap();
            let w = |name: &str, requests, input_tokens, output_tokens, cached, batch| Workload {
                name: name.into(),
                requests: Some(requests),
                input_tokens,
                output_tokens,
                cached_input_share: cached,
                batch_share: batch,
                context_tokens: input_tokens + output_tokens,
                images_per_month: Decimal::ZERO,
                video_seconds_per_month: Decimal::ZERO,
                routing: None,
            };
            let mut ws = vec![w("b", Requests::PerMonth(dec(per_month.0, per_month.1)), input2, output / 2, Decimal::ZERO, dec(batch, 2))];
            if let Some((r, sc)) = per_day {
                ws.insert(0, w("a", Requests::PerDay(dec(r, sc)), input, output, dec(cached, 3), Decimal::ZERO));
            }
            let s = scenario(ws, discount.map(|(d, v)| (v.to_string(), dec(d, 2))));
            let fx = s.fx(&cat);
            let kernels = kernel_costs(&s, &cat, extra);
            for ((id, c), (kid, k)) in fixed_costs(&s, &cat).into_iter().zip(kernels) {
                let want = model_cost(&s, cat.model(&id).unwrap(), &fx).unwrap().unwrap().monthly_cost;
                prop_assert_eq!(c, Some(want), "{}", id);
                prop_assert_eq!(&kid, &id);
                // The unchecked kernel either refuses the point (volumes past its bound) or gives
                // the same exact amount.
                if let Some(k) = k {
                    prop_assert_eq!(k, want, "{} (kernel)", id);
                }
            }
        }
    }
}
