//! The order of a ranking: the balanced objective's cost score, and how two candidates compare
//! under each objective.
//!
//! The `balanced` objective scores a model as the mean of its fit and a cost score:
//! cost score = 100 − p × log10(monthly cost ÷ cheapest eligible monthly cost), floored at 0,
//! where p is [`Balance::points_per_tenfold`] (`[rank] points_per_tenfold`, 25 by default): the
//! cheapest model gets 100 cost points and every tenfold in price costs p of them. A candidate
//! without a fit has no balanced score and ranks after every candidate with one under `best_fit`
//! and `balanced`, among themselves by cost; `cheapest` orders by cost first. `rank` sorts with these rules and the sweep's
//! fast path settles its near-ties with them, so the two agree to the last digit.

use crate::scenario::raw::Objective;
use crate::scenario::Scenario;
use rust_decimal::{Decimal, MathematicalOps};
use std::cmp::Ordering;

/// How the balanced objective trades cost against fit: the cost points a candidate loses for every
/// tenfold in price over the cheapest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Balance {
    points_per_tenfold: Decimal,
}

impl Default for Balance {
    fn default() -> Balance {
        Balance {
            points_per_tenfold: Balance::POINTS_PER_TENFOLD,
        }
    }
}

impl Balance {
    /// The default: 25 points per tenfold, so four decades of price span the whole 0–100 range.
    pub const POINTS_PER_TENFOLD: Decimal = crate::scenario::DEFAULT_POINTS_PER_TENFOLD;

    /// The balance a scenario ranks with: its `[rank] points_per_tenfold` (validated to 1–100).
    /// `rank`, its report and the sweep all take it from here.
    pub fn of(scenario: &Scenario) -> Balance {
        Balance::new(scenario.points_per_tenfold)
    }

    /// A balance of `points_per_tenfold` cost points per tenfold in price.
    pub fn new(points_per_tenfold: Decimal) -> Balance {
        Balance { points_per_tenfold }
    }

    /// Cost points lost per tenfold in price.
    pub fn points_per_tenfold(&self) -> Decimal {
        self.points_per_tenfold
    }

    /// The same as a floating-point number, for estimates that are checked against the exact rule.
    pub fn points_f64(&self) -> f64 {
        use rust_decimal::prelude::ToPrimitive;
        self.points_per_tenfold.to_f64().unwrap_or(25.0)
    }

    /// 100 − p × log10(cost ÷ cheapest), clamped to 0–100, rounded to six decimals (half to even).
    pub fn cost_score(&self, cost: Decimal, cheapest: Option<Decimal>) -> Decimal {
        let Some(min) = cheapest else {
            return Decimal::ONE_HUNDRED;
        };
        if cost <= min {
            return Decimal::ONE_HUNDRED;
        }
        // A ratio too large to represent is more than 28 decades: the score is 0 either way.
        let Some(ratio) = cost.checked_div(min) else {
            return Decimal::ZERO;
        };
        if let Some(score) = score_from_float(ratio, self.points_f64()) {
            return score;
        }
        exact_score(ratio, self.points_per_tenfold)
    }

    /// The balanced score: (fit + cost score) ÷ 2, or `None` for a candidate without a fit.
    pub fn score(
        &self,
        fit: Option<Decimal>,
        cost: Decimal,
        cheapest: Option<Decimal>,
    ) -> Option<Decimal> {
        fit.map(|f| (f + self.cost_score(cost, cheapest)) / Decimal::TWO)
    }
}

/// Distance, in millionths of a point, that a floating-point score must keep from a rounding
/// boundary (and from a whole millionth) to be used. Its error is below 1e-5 millionths: the ratio
/// and p are converted within a few parts in 1e16, the logarithm is good to an ulp, and p × log10
/// is at most 100 × 28 points.
const SCORE_MARGIN: f64 = 1e-3;

/// The score from a floating-point logarithm, when no rounding can differ from [`exact_score`]'s:
/// the exact logarithm is a series in `Decimal`, most of the time `rank` spends. `None` near a
/// midpoint between millionths, near a whole millionth (where the exact score may carry fewer
/// decimals) and near the clamps; the exact path decides those. A property test holds the two
/// equal, digit for digit.
fn score_from_float(ratio: Decimal, points_per_tenfold: f64) -> Option<Decimal> {
    use rust_decimal::prelude::ToPrimitive;
    let millionths = (100.0 - points_per_tenfold * ratio.to_f64()?.log10()) * 1e6;
    if !(1.0..1e8 - 1.0).contains(&millionths) {
        return None;
    }
    let frac = millionths - millionths.floor();
    let clear = |lo: f64, hi: f64| frac > lo + SCORE_MARGIN && frac < hi - SCORE_MARGIN;
    if !clear(0.0, 0.5) && !clear(0.5, 1.0) {
        return None;
    }
    Some(Decimal::new(millionths.round() as i64, 6))
}

/// The score with `Decimal`'s own logarithm.
fn exact_score(ratio: Decimal, points_per_tenfold: Decimal) -> Decimal {
    let decades = ratio.checked_log10().unwrap_or(Decimal::ZERO);
    let lost = points_per_tenfold
        .checked_mul(decades)
        .unwrap_or(Decimal::ONE_HUNDRED);
    (Decimal::ONE_HUNDRED - lost)
        .clamp(Decimal::ZERO, Decimal::ONE_HUNDRED)
        .round_dp(6)
}

fn desc_opt(a: Option<Decimal>, b: Option<Decimal>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// The ranking order of two candidates given as (monthly cost, fit, balanced score, model id):
/// `Less` when `a` ranks first. `sweep` orders near-ties with it, so both agree to the last digit.
pub fn order(
    objective: Objective,
    a: (Decimal, Option<Decimal>, Option<Decimal>, &str),
    b: (Decimal, Option<Decimal>, Option<Decimal>, &str),
) -> Ordering {
    let by_cost = a.0.cmp(&b.0);
    let by_fit = desc_opt(a.1, b.1);
    let primary = match objective {
        Objective::Cheapest => by_cost.then(by_fit),
        Objective::BestFit => by_fit.then(by_cost),
        Objective::Balanced => desc_opt(a.2, b.2).then(by_fit).then(by_cost),
    };
    primary.then_with(|| a.3.cmp(b.3))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    const P: f64 = 25.0;

    fn cost_score(cost: Decimal, cheapest: Option<Decimal>) -> Decimal {
        Balance::default().cost_score(cost, cheapest)
    }

    fn exact(ratio: Decimal) -> Decimal {
        exact_score(ratio, Balance::POINTS_PER_TENFOLD)
    }

    #[test]
    fn cost_score_from_a_float_is_the_exact_score() {
        let d = |s: &str| Decimal::from_str_exact(s).unwrap();
        // Hand-computed: log10(3) = 0.47712125…, so 100 − 11.92803137… = 88.07196863… → 88.071969.
        assert_eq!(
            cost_score(d("300"), Some(d("100"))).to_string(),
            "88.071969"
        );
        assert_eq!(score_from_float(d("3"), P), Some(d("88.071969")));
        // log10(7) gives 78.87254899964…: a hair from a whole millionth, so the exact path answers.
        assert_eq!(score_from_float(d("7"), P), None);
        assert_eq!(cost_score(d("7"), Some(d("1"))).to_string(), "78.872549");
        // Exactly 75: near a whole millionth, so the exact path answers, with its own digits.
        assert_eq!(score_from_float(d("10"), P), None);
        assert_eq!(
            cost_score(d("10"), Some(d("1"))).to_string(),
            exact(d("10")).to_string()
        );
    }

    proptest::proptest! {
        #[test]
        fn float_scores_round_as_exact_ones(
            extra in 1i64..1_000_000_000_000,
            extra_dp in 0u32..12,
            min in 1i64..1_000_000_000,
            min_dp in 0u32..8,
            // The exchange rate in hundredths: half the time the default 25, else anything from
            // 1 to 100.
            p in proptest::prop_oneof![1 => proptest::strategy::Just(2500i64), 1 => 100i64..=10_000],
        ) {
            let m = Decimal::new(min, min_dp);
            let ratio = (m + Decimal::new(extra, extra_dp)) / m;
            let b = Balance::new(Decimal::new(p, 2));
            if let Some(fast) = score_from_float(ratio, b.points_f64()) {
                let exact = exact_score(ratio, b.points_per_tenfold());
                proptest::prop_assert_eq!(fast.to_string(), exact.to_string(), "ratio {} p {}", ratio, p);
            }
        }
    }

    #[test]
    fn most_scores_take_the_float_path() {
        // The fast path must be the common one, or `rank` would not gain from it.
        let taken = (2..2000)
            .filter(|&i| score_from_float(Decimal::new(i, 1), P).is_some())
            .count();
        assert!(taken > 1900, "{taken}");
    }

    #[test]
    fn cost_score_loses_25_points_per_decade() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(cost_score(d("100"), Some(d("100"))), d("100"));
        assert_eq!(cost_score(d("1000"), Some(d("100"))), d("75"));
        assert_eq!(cost_score(d("10000"), Some(d("100"))), d("50"));
        assert_eq!(cost_score(d("1e9"), Some(d("1"))), d("0"));
        assert_eq!(cost_score(Decimal::MAX, Some(d("1e-28"))), d("0"));
    }

    #[test]
    fn points_per_tenfold_sets_the_exchange_rate() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let at = |p: &str, cost: &str| Balance::new(d(p)).cost_score(d(cost), Some(d("100")));
        // Ten times the cheapest: 100 − p × 1. A hundred times: 100 − p × 2, floored at 0.
        assert_eq!(at("10", "1000"), d("90"));
        assert_eq!(at("40", "10000"), d("20"));
        assert_eq!(at("60", "10000"), d("0"));
        // 300 ÷ 100 = 3: 100 − 50 × 0.47712125… = 76.1439374… → 76.143937.
        assert_eq!(at("50", "300").to_string(), "76.143937");
        // Balanced = (fit + cost score) ÷ 2: (80 + 90) ÷ 2 = 85 at 10 points a tenfold.
        assert_eq!(
            Balance::new(d("10")).score(Some(d("80")), d("1000"), Some(d("100"))),
            Some(d("85"))
        );
        assert_eq!(
            Balance::new(d("10")).score(None, d("1000"), Some(d("100"))),
            None
        );
    }
}
