//! The horizon month by month when a model's prices move.
//!
//! Two things move a price over the horizon, both deterministic once their inputs are fixed:
//!
//! - **A schedule** (`[[pricing.schedule]]`): from month `from_month` (month 1 is the first) the
//!   entry's prices replace the model's, as a `[pricing.override]` would; a price the entry does
//!   not set keeps the price in force. Each month is billed by the kernel at its prices.
//! - **A trend** (`[pricing] change_per_year`, by model id, else by vendor id): every price is
//!   multiplied by f = (1 + change)^(1/12) each month, so after twelve months it has moved by
//!   exactly `change`. The trend starts at the first month and starts again from a scheduled price
//!   at the entry's month: a scheduled price is what is paid that month. Since every bill is
//!   linear in the unit prices, month k of a segment costs the segment's bill × f^k.
//!
//! Month k (0-based) of the horizon costs bill(segment) × (1 + growth)^k × f^(k − start), and the
//! horizon is their sum. A model whose prices do not move keeps [`super::horizon_cost`], so every
//! figure without a schedule or a trend is exactly as before.

use super::checked::{add, mul};
use crate::catalogue::model::Model;
use crate::error::{Error, Result};
use crate::scenario::forecast::Scheduled;
use crate::scenario::Scenario;
use rust_decimal::{Decimal, MathematicalOps};
use std::borrow::Cow;

/// Decimal places of the monthly price factor.
pub const FACTOR_DP: u32 = 16;

/// How one model's prices move: its schedule entries (by month) and its yearly change.
#[derive(Debug, Clone, PartialEq)]
pub struct PricePath<'a> {
    /// Entries for this model, earliest first.
    pub entries: Vec<&'a Scheduled>,
    /// The monthly factor, 1 when prices do not trend.
    pub factor: Decimal,
}

impl<'a> PricePath<'a> {
    /// The path of `model` in `s`.
    pub fn of(s: &'a Scenario, model: &Model) -> PricePath<'a> {
        let change = s
            .pricing
            .change_per_year
            .get(&model.id)
            .or_else(|| s.pricing.change_per_year.get(&model.vendor))
            .copied()
            .unwrap_or(Decimal::ZERO);
        PricePath {
            entries: s
                .pricing
                .schedule
                .iter()
                .filter(|e| e.model == model.id)
                .collect(),
            factor: monthly_factor(change),
        }
    }

    /// Whether the model's prices never move.
    pub fn is_flat(&self) -> bool {
        self.entries.is_empty() && self.factor == Decimal::ONE
    }

    /// The months (0-based) at which a new segment starts, the first being 0, with the entry that
    /// sets its prices (none for the first unless an entry starts at month 1).
    pub fn segments(&self, months: u32) -> Vec<(u32, Option<&'a Scheduled>)> {
        let mut out: Vec<(u32, Option<&Scheduled>)> = vec![(0, None)];
        for e in &self.entries {
            let start = e.from_month - 1;
            if start >= months {
                continue;
            }
            match out.last_mut() {
                Some(last) if last.0 == start => last.1 = Some(e),
                _ => out.push((start, Some(e))),
            }
        }
        out
    }
}

/// The scenario as it prices `model` under a schedule entry: the entry's prices laid over any
/// override of the model. Under an entry it is a copy of the settings alone
/// ([`Scenario::prices_only`]), never of the workloads: the workloads are priced under it one at
/// a time and blamed in the scenario they came from ([`crate::cost::workload_priced`],
/// [`crate::cost::model_cost_over`]).
pub fn priced_under<'s>(
    s: &'s Scenario,
    model: &Model,
    entry: Option<&Scheduled>,
) -> Cow<'s, Scenario> {
    let Some(e) = entry else {
        return Cow::Borrowed(s);
    };
    let mut owned = s.prices_only();
    let slot = owned.pricing.overrides.entry(model.id.clone()).or_default();
    slot.input = e.price.input.or(slot.input);
    slot.output = e.price.output.or(slot.output);
    slot.cached_input = e.price.cached_input.or(slot.cached_input);
    Cow::Owned(owned)
}

/// (1 + change)^(1/12) to [`FACTOR_DP`] places, by Newton's method in `Decimal` so that every
/// platform gets the same digits; exactly 1 for no change.
pub fn monthly_factor(change: Decimal) -> Decimal {
    if change.is_zero() {
        return Decimal::ONE;
    }
    let a = Decimal::ONE + change;
    if a <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    let twelve = Decimal::from(12);
    let eleven = Decimal::from(11);
    // x ← (11x + a ÷ x^11) ÷ 12 converges quadratically from 1 + change ÷ 12 for a in (0, 11].
    let mut x = Decimal::ONE + change / twelve;
    for _ in 0..64 {
        let Some(p) = x.checked_powu(11) else { break };
        let Some(q) = a.checked_div(p) else { break };
        let next = (eleven * x + q) / twelve;
        let done = (next - x).abs() < Decimal::new(1, 26);
        x = next;
        if done {
            break;
        }
    }
    x.round_dp(FACTOR_DP)
}

/// The horizon of a model whose prices move: Σ over months of the segment's first-month bill ×
/// (1 + growth)^k × factor^(k − start). `bill_at` prices the first month of a segment.
pub fn moving_horizon(
    s: &Scenario,
    path: &PricePath,
    mut bill_at: impl FnMut(Option<&Scheduled>) -> Result<Option<Decimal>>,
) -> Result<Option<Decimal>> {
    let what = "horizon cost";
    let segments = path.segments(s.horizon_months);
    let mut bills = Vec::with_capacity(segments.len());
    for (start, entry) in &segments {
        match bill_at(*entry)? {
            Some(b) => bills.push((*start, b)),
            None => return Ok(None),
        }
    }
    let growth = Decimal::ONE + s.monthly_growth;
    let mut g = Decimal::ONE;
    let mut total = Decimal::ZERO;
    let mut seg = 0;
    let mut f = Decimal::ONE;
    for k in 0..s.horizon_months {
        if seg + 1 < bills.len() && bills[seg + 1].0 == k {
            seg += 1;
            f = Decimal::ONE;
        }
        let month = mul(mul(bills[seg].1, g, what)?, f, what)?;
        total = add(total, month, what)?;
        g = mul(g, growth, what)?;
        f = mul(f, path.factor, what)?;
    }
    Ok(Some(total))
}

/// An overflow on the horizon, blamed on the line to fix.
pub fn overflow(s: &Scenario, e: Error) -> Error {
    s.overflow_at(&s.horizon_path(), e)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn a_yearly_change_compounds_to_itself_in_twelve_months() {
        for c in ["-0.5", "-0.7", "-0.2", "0.1", "1"] {
            let f = monthly_factor(d(c));
            let year = f.powu(12);
            // Twelve steps of a factor rounded to 16 places stay within 12 × 1e-16 of (1 + c).
            assert!(
                (year - (Decimal::ONE + d(c))).abs() < d("0.000000000000002"),
                "{c}: {year}"
            );
        }
        // Hand-checked: 0.5^(1/12) = 0.94387431268169349664…
        assert_eq!(monthly_factor(d("-0.5")), d("0.9438743126816935"));
        assert_eq!(monthly_factor(Decimal::ZERO), Decimal::ONE);
    }
}
