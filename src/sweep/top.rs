//! The winner and runner-up of one grid point, from integer cost codes, in `rank`'s order.
//!
//! The fast path prices every candidate as an integer cost code (see `engine::code`); this module
//! picks the first two under the scenario's objective without building `rank`'s rows. Cheapest and
//! best fit compare integers. Balanced compares each candidate's "adjusted cost" in floating
//! point, which orders exactly like `rank`'s balanced score except within a hair of a tie; such
//! near-ties, and candidates without a fit, are settled by `rank`'s own `Decimal` rule
//! ([`crate::score::order`], [`Balance::score`]), so the result is always `rank`'s.

use crate::scenario::raw::Objective;
use crate::score::{order, Balance};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::cmp::Ordering;

/// Relative gap between two adjusted costs that the floating-point comparison decides alone, times
/// the points per tenfold p. A gap of 5e-5 ÷ p is a balanced-key gap of at least
/// p × log10(1 + 5e-5 ÷ p) ≈ 2.2e-5 points, far above both the estimate's error (about 1e-15) and
/// the 1e-6 by which `rank` rounds the cost score. At the default p = 25 the gap is 2e-6.
const NEAR_TIE_POINTS: f64 = 5e-5;

/// A cost code for a candidate that does not qualify at this point.
pub const OUT: i128 = i128::MIN;

/// The candidates that pass every check for one set of context and output needs, fittest first
/// (no fit last). Position `j` of every vector describes the same candidate; per-point costs use
/// the same positions, so the hot loops run over short dense arrays.
#[derive(Debug, Default)]
pub struct Table {
    /// Index into the engine's candidates.
    pub live: Vec<usize>,
    /// Index into the catalogue.
    pub cat: Vec<usize>,
    /// Whether the candidate is priced in fixed point in the scenario's currency.
    pub fixed: Vec<bool>,
    /// Fit, as `rank` computes it.
    pub fit: Vec<Option<Decimal>>,
    /// Rank of the fit among the distinct fits (higher is fitter; 0 for none).
    pub fit_rank: Vec<u32>,
    /// Rank of the model id in alphabetical order, `rank`'s last tie-break.
    pub id_rank: Vec<u32>,
    /// 10^(−fit ÷ p), for the balanced comparison (p points per tenfold).
    pub lift: Vec<f64>,
    /// 10^((100 − fit) ÷ p), for the balanced comparison.
    pub floor: Vec<f64>,
    /// How the balanced objective trades cost against fit.
    pub balance: Balance,
    /// The relative gap between adjusted costs the floating-point comparison decides alone.
    pub near_tie: f64,
    /// How close, as a ratio, an estimated adjusted cost must come to the runner-up's to matter.
    pub within: f64,
}

impl Table {
    /// Fills the per-position data from fits, given in falling order; `live`, `cat`, `fixed` and
    /// `id_rank` are already set in the same order.
    pub fn with_fits(mut self, fit: Vec<Option<Decimal>>, balance: Balance) -> Table {
        debug_assert!(
            fit.windows(2).all(|w| w[0] >= w[1]),
            "positions in falling fit"
        );
        let mut distinct: Vec<Decimal> = fit.iter().flatten().copied().collect();
        distinct.sort();
        distinct.dedup();
        self.fit_rank = fit
            .iter()
            .map(|f| f.map_or(0, |v| 1 + distinct.partition_point(|d| *d < v) as u32))
            .collect();
        let as_f64 = |f: &Option<Decimal>| f.and_then(|v| v.to_f64()).unwrap_or(0.0);
        let p = balance.points_f64();
        self.lift = fit.iter().map(|f| 10f64.powf(-as_f64(f) / p)).collect();
        self.floor = fit
            .iter()
            .map(|f| 10f64.powf((100.0 - as_f64(f)) / p))
            .collect();
        self.balance = balance;
        self.near_tie = NEAR_TIE_POINTS / p;
        // Within 1e-3 of a balanced key: adjusted costs within 10^(1e-3 ÷ p) ≈ 1 + 2.3e-3 ÷ p of
        // each other (1 + 1e-4 at p = 25 leaves room).
        self.within = 1.0 + 2.5e-3 / p;
        self.fit = fit;
        self
    }

    /// Number of live candidates.
    pub fn len(&self) -> usize {
        self.live.len()
    }

    /// Whether no candidate is live.
    pub fn is_empty(&self) -> bool {
        self.live.is_empty()
    }
}

/// What the exact rule needs beyond the table: each position's exact cost and model id.
pub trait Exact {
    /// The exact monthly cost of position `j`, or `None` if it cannot be held.
    fn cost(&self, j: usize) -> Option<Decimal>;
    /// The model id of position `j`.
    fn id(&self, j: usize) -> &str;
}

/// Scratch space of the balanced comparison, kept for [`may_matter`].
#[derive(Debug, Default)]
pub struct Scan {
    /// Each position's adjusted cost (see [`top_two`]), where it was needed.
    pub z: Vec<f64>,
    /// A screening key: the cheapest positive cost code converted to floating point, if any, used
    /// only to order candidates by the balanced score. It is never an amount billed or printed:
    /// near-ties go to `rank`'s `Decimal` rule, and every amount reported is the exact code.
    pub min: Option<f64>,
    /// Set by a caller that found the cheapest positive code while filling the costs: its position
    /// (or `None`) and whether another shares it (it may say no for an even code, which needs no
    /// tie-break). Used once, then cleared.
    pub least: Option<(Option<usize>, bool)>,
}

/// The position of the cheapest positive code, if any, and whether another position shares it.
pub fn cheapest(costs: &[i128]) -> (Option<usize>, bool) {
    let (mut least, mut at) = (i128::MAX, usize::MAX);
    for (j, &c) in costs.iter().enumerate() {
        if c > 0 && c < least {
            (least, at) = (c, j);
        }
    }
    if at == usize::MAX {
        return (None, false);
    }
    (Some(at), costs.iter().filter(|&&c| c == least).count() > 1)
}

/// The first two positions in ranking order among those whose code is not [`OUT`], or `None` if
/// the order needs the general path (two equal inexact codes).
pub fn top_two(
    objective: Objective,
    t: &Table,
    costs: &[i128],
    scan: &mut Scan,
    exact: &dyn Exact,
) -> Option<(Option<usize>, Option<usize>)> {
    let (mut best, mut second) = (None, None);
    if objective != Objective::Balanced {
        scan.least = None;
        let before = |a: usize, b: usize| {
            if costs[a] == costs[b] && costs[a] % 2 != 0 {
                return None;
            }
            let by_cost = costs[a].cmp(&costs[b]);
            let by_fit = t.fit_rank[b].cmp(&t.fit_rank[a]);
            let o = if objective == Objective::Cheapest {
                by_cost.then(by_fit)
            } else {
                by_fit.then(by_cost)
            };
            Some(o.then(t.id_rank[a].cmp(&t.id_rank[b])) == Ordering::Less)
        };
        for (j, _) in costs.iter().enumerate().filter(|(_, &c)| c != OUT) {
            insert(&mut best, &mut second, j, before)?;
        }
        return Some((best, second));
    }
    // The cheapest positive cost, and whether another candidate shares it.
    let (cheapest, shared) = scan.least.take().unwrap_or_else(|| cheapest(costs));
    if shared && cheapest.is_some_and(|m| costs[m] % 2 != 0) {
        return None;
    }
    // The balanced key of fit f and cost c is f + max(0, 100 − p log10(c ÷ m)) for the cheapest
    // cost m (before `rank` rounds it). With z = min(c × 10^(−f/p), m × 10^((100 − f)/p)) the key
    // is 100 − p log10(z ÷ m): the higher key is the lower z, found with two multiplications and
    // no logarithm. A zero cost scores like the cheapest (z = m × 10^(−f/p)).
    scan.min = cheapest.map(|m| to_f64(costs[m]));
    let min = scan.min.unwrap_or(1.0);
    let adjusted = |j: usize| {
        let c = costs[j];
        if c > 0 {
            let (a, b) = (to_f64(c) * t.lift[j], min * t.floor[j]);
            if a < b {
                a
            } else {
                b
            }
        } else {
            min * t.lift[j]
        }
    };
    let n = costs.len();
    scan.z.clear();
    scan.z.resize(n, f64::INFINITY);
    // Equal lengths let the compiler drop the bounds checks in the loop below.
    let (z, fit, lift) = (&mut scan.z[..n], &t.fit[..n], &t.lift[..n]);
    // The common case: the three smallest among candidates with a fit, clearly apart. Positions
    // come in falling fit, so m × 10^(−f/25), the least z a position can have, rises: once it
    // passes the third smallest so far, no later position can place or tie. Candidates without a
    // fit (last) rank after every one with a fit, so once two have one the others cannot place.
    let mut low = [(f64::INFINITY, usize::MAX); 3];
    let mut seen = n;
    for j in 0..n {
        if fit[j].is_none() || min * lift[j] > low[2].0 {
            seen = j;
            break;
        }
        if costs[j] == OUT {
            continue;
        }
        let zj = adjusted(j);
        z[j] = zj;
        if zj < low[2].0 {
            low[2] = (zj, j);
            if zj < low[1].0 {
                low.swap(1, 2);
                if zj < low[0].0 {
                    low.swap(0, 1);
                }
            }
        }
    }
    let apart = |a: f64, b: f64| a < b * (1.0 - t.near_tie);
    if low[1].1 != usize::MAX
        && apart(low[0].0, low[1].0)
        && (low[2].1 == usize::MAX || apart(low[1].0, low[2].0))
    {
        return Some((Some(low[0].1), Some(low[1].1)));
    }
    for (j, slot) in z.iter_mut().enumerate().skip(seen) {
        *slot = adjusted(j);
    }
    let z = &*z;
    let mut cheap_dec: Option<Option<Decimal>> = None;
    let mut before = |a: usize, b: usize| -> Option<bool> {
        if t.fit[a].is_some() && t.fit[b].is_some() {
            if apart(z[a], z[b]) {
                return Some(true);
            }
            if apart(z[b], z[a]) {
                return Some(false);
            }
        }
        // A near-tie or a missing fit: the exact rule of `rank`.
        let cheap = match cheap_dec {
            Some(c) => c,
            None => {
                let c = match cheapest {
                    Some(m) => Some(exact.cost(m)?),
                    None => None,
                };
                cheap_dec = Some(c);
                c
            }
        };
        let (fa, fb) = (t.fit[a], t.fit[b]);
        let (ca, cb) = (exact.cost(a)?, exact.cost(b)?);
        let bal = |f: Option<Decimal>, c: Decimal| t.balance.score(f, c, cheap);
        Some(
            order(
                objective,
                (ca, fa, bal(fa, ca), exact.id(a)),
                (cb, fb, bal(fb, cb), exact.id(b)),
            ) == Ordering::Less,
        )
    };
    for (j, _) in costs.iter().enumerate().filter(|(_, &c)| c != OUT) {
        insert(&mut best, &mut second, j, &mut before)?;
    }
    Some((best, second))
}

/// Whether position `j`, estimated at code `a` (approximately: a model priced in another
/// currency), could rank in the top two or be the cheapest, given the exactly priced candidates.
/// Margins are far wider than the estimate's error, so a candidate judged irrelevant is.
/// `scan` is what [`top_two`] left for these costs.
#[allow(clippy::too_many_arguments)]
pub fn may_matter(
    objective: Objective,
    t: &Table,
    costs: &[i128],
    scan: &Scan,
    second: Option<usize>,
    j: usize,
    a: f64,
    budget: i128,
) -> bool {
    const MARGIN: f64 = 1e-9;
    let Some(s2) = second else { return true };
    let near = |c: f64| a <= c * (1.0 + MARGIN) + 4.0;
    if budget != i128::MAX && a >= to_f64(budget) * (1.0 - MARGIN) - 4.0 {
        return true;
    }
    match objective {
        Objective::Cheapest => near(to_f64(costs[s2])),
        Objective::BestFit => t.fit_rank[j] >= t.fit_rank[s2],
        Objective::Balanced => {
            let Some(min) = scan.min else { return true };
            if near(min) || t.fit[j].is_none() != t.fit[s2].is_none() {
                return true;
            }
            // Within 1e-3 of the runner-up's balanced key (see `Table::within`).
            (a * t.lift[j]).min(min * t.floor[j]) <= scan.z[s2] * t.within
        }
    }
}

/// An `i128` as an `f64` within a relative 2.3e-16, without the slow library conversion: the
/// value is shifted to 63 significant bits (dropping bits worth less than 2^-62 of it), converted
/// in one instruction and scaled back by an exact power of two.
#[inline]
pub fn to_f64(c: i128) -> f64 {
    let s = (128 - c.unsigned_abs().leading_zeros()).saturating_sub(63);
    ((c >> s) as i64 as f64) * f64::from_bits(u64::from(1023 + s) << 52)
}

/// Keeps the first two of a stream in the order `before`.
fn insert(
    best: &mut Option<usize>,
    second: &mut Option<usize>,
    x: usize,
    mut before: impl FnMut(usize, usize) -> Option<bool>,
) -> Option<()> {
    match *best {
        None => *best = Some(x),
        Some(b) if before(x, b)? => {
            *second = *best;
            *best = Some(x);
        }
        Some(_) => match *second {
            Some(s2) if !before(x, s2)? => {}
            _ => *second = Some(x),
        },
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn conversion_is_close_to_the_library() {
        for c in [
            0i128,
            1,
            -1,
            1 << 64,
            (1 << 64) - 1,
            12_345_678_901_234_567_890_123,
            -(1 << 100),
            i128::MAX,
        ] {
            let (got, want) = (to_f64(c), c as f64);
            assert!(
                (got - want).abs() <= want.abs() * 3e-16,
                "{c}: {got} vs {want}"
            );
        }
    }

    /// A table of `fits` (falling), with model ids in the order `ids`, and exact costs.
    struct Case {
        t: Table,
        ids: Vec<String>,
        costs: Vec<i128>,
    }

    impl Exact for Case {
        fn cost(&self, j: usize) -> Option<Decimal> {
            Some(Decimal::from_i128_with_scale(self.costs[j] / 2, 4))
        }
        fn id(&self, j: usize) -> &str {
            &self.ids[j]
        }
    }

    fn case(
        mut fits: Vec<Option<Decimal>>,
        ids: Vec<String>,
        costs: Vec<i128>,
        balance: Balance,
    ) -> Case {
        fits.sort_by(|a, b| b.cmp(a));
        let mut by_id: Vec<usize> = (0..ids.len()).collect();
        by_id.sort_by(|a, b| ids[*a].cmp(&ids[*b]));
        let mut id_rank = vec![0u32; ids.len()];
        for (r, j) in by_id.into_iter().enumerate() {
            id_rank[j] = r as u32;
        }
        let t = Table {
            live: (0..ids.len()).collect(),
            cat: (0..ids.len()).collect(),
            fixed: vec![true; ids.len()],
            id_rank,
            ..Table::default()
        }
        .with_fits(fits, balance);
        Case { t, ids, costs }
    }

    /// The first two as `rank` orders them, from its own formulas.
    fn by_rank(objective: Objective, c: &Case) -> (Option<usize>, Option<usize>) {
        let live: Vec<usize> = (0..c.costs.len()).filter(|&j| c.costs[j] != OUT).collect();
        let cheapest = live
            .iter()
            .map(|&j| c.cost(j).unwrap())
            .filter(|d| *d > Decimal::ZERO)
            .min();
        let key = |j: usize| {
            let cost = c.cost(j).unwrap();
            let fit = c.t.fit[j];
            let bal = c.t.balance.score(fit, cost, cheapest);
            (cost, fit, bal, c.ids[j].as_str())
        };
        let mut sorted = live.clone();
        sorted.sort_by(|&a, &b| order(objective, key(a), key(b)));
        (sorted.first().copied(), sorted.get(1).copied())
    }

    fn objective() -> impl Strategy<Value = Objective> {
        prop_oneof![
            Just(Objective::Balanced),
            Just(Objective::Cheapest),
            Just(Objective::BestFit)
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1024))]

        #[test]
        fn conversion_error_is_tiny(c in any::<i128>()) {
            let (got, want) = (to_f64(c), c as f64);
            prop_assert!((got - want).abs() <= want.abs() * 3e-16);
        }

        /// Whatever the costs and fits (ties, zero costs, missing fits, candidates out), the first
        /// two are `rank`'s, or the point is handed back.
        #[test]
        fn top_two_is_ranks_order(
            objective in objective(),
            rows in proptest::collection::vec(
                (
                    // Repeated fits make exact ties in the balanced key.
                    proptest::option::weighted(
                        0.9,
                        prop_oneof![3 => 0i64..1_000_000, 1 => Just(800_000), 1 => Just(500_000)],
                    ),
                    prop_oneof![4 => 0i64..10_000_000_000, 1 => Just(0), 1 => Just(-1), 1 => 0i64..3],
                    0u32..1000,
                ),
                1..14,
            ),
            // The exchange rate: mostly the default, else anything from 1 to 100 points.
            p in prop_oneof![2 => Just(2500i64), 1 => 100i64..=10_000],
        ) {
            let fits = rows.iter().map(|r| r.0.map(|f| Decimal::new(f, 4))).collect();
            let ids = rows.iter().enumerate().map(|(j, r)| format!("v/{:03}-{j}", r.2)).collect();
            // Codes are twice the cost in ten-thousandths; -1 marks a candidate out.
            let costs = rows.iter().map(|r| if r.1 < 0 { OUT } else { 2 * i128::from(r.1) }).collect();
            let c = case(fits, ids, costs, Balance::new(Decimal::new(p, 2)));
            let mut scan = Scan::default();
            let got = top_two(objective, &c.t, &c.costs, &mut scan, &c);
            prop_assert_eq!(got, Some(by_rank(objective, &c)));
        }

        /// The adjusted cost orders like the balanced key it stands for:
        /// key = fit + clamp(100 − p log10(c ÷ m), 0, 100).
        #[test]
        fn adjusted_cost_orders_like_the_key(
            fa in 0.0f64..100.0, fb in 0.0f64..100.0,
            ca in 1.0f64..1e9, cb in 1.0f64..1e9,
            p in 1.0f64..100.0,
        ) {
            let m = ca.min(cb);
            let key = |f: f64, c: f64| f + (100.0 - p * (c / m).log10()).clamp(0.0, 100.0);
            let z = |f: f64, c: f64| {
                (c * 10f64.powf(-f / p)).min(m * 10f64.powf((100.0 - f) / p))
            };
            let (ka, kb) = (key(fa, ca), key(fb, cb));
            prop_assume!((ka - kb).abs() > 1e-6);
            prop_assert_eq!(ka > kb, z(fa, ca) < z(fb, cb));
        }
    }
}
