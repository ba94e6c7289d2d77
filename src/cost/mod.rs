//! The cost kernel: what running a scenario's workloads on one model costs, exact and defined
//! once. Every command takes its numbers from here: `cost`, `rank`, routed and cascaded legs,
//! `mix`, `diff`, `compare`, `breakeven`'s API side and `sweep` (whose fast path multiplies out
//! this kernel's quantities and coefficients in fixed point).
//!
//! A workload's bill on a model is a list of components ([`Component`]), each a quantity at a unit
//! price that records where it came from:
//!
//! 1. **Quantities** ([`quantity`]): with R requests a month, input tokens = R × `input_tokens`, of
//!    which `cached_input_share` are cached; output tokens = R × `output_tokens`; a share
//!    `batch_share` of each goes through a batch API. Requests are billed at the tier their input
//!    tokens reach.
//! 2. **Prices** ([`price`]): the tier's list prices per 1M tokens, replaced by any
//!    `[pricing.override]`; cached input without a price of its own bills at the input price; the
//!    batched part saves the model's `batch_discount` (nothing for a model without a batch price).
//! 3. **Media** ([`media`]): images × `per_image` and video seconds × `per_video_second`, or else
//!    the cheapest whole number of subscriptions to one plan that covers the volume.
//! 4. **Discount**: the model's own, else its vendor's, takes its fraction off everything above.
//! 5. **Total** ([`workload`]): Σ quantity × unit price ÷ per × (1 − discount), converted into the
//!    scenario currency as one amount: amount × rate(to) ÷ rate(from). The lines are reported per
//!    [`Kind`] ([`Lines`]).
//!
//! The horizon cost is Σ monthly × (1 + growth)^k for k = 0 … horizon_months − 1; when a price
//! schedule or a yearly price change moves a model's prices, each month is billed at its own
//! prices ([`horizon`]).
//! Every step uses checked `Decimal` arithmetic: an overflow is an error, never a wrap. The error
//! names the scenario line that caused it: the workload's volume, the exchange rate, or the
//! growth and horizon.
//!
//! Adding a metered price component is one [`Meter`] variant; docs/architecture.md walks through
//! it.

pub mod bill;
pub mod cache;
pub mod checked;
pub mod component;
pub mod distribution;
pub mod horizon;
pub mod image;
pub mod kind;
pub mod lines;
pub mod media;
pub mod price;
pub mod quantity;
pub mod tokens;
pub mod workload;

pub use bill::{LegCost, ModelCost, Unpriced, WorkloadCost};
pub use checked::{add, mul, per_million, MILLION};
pub use component::{Component, Level, Source};
pub use kind::{Kind, Meter, Term};
pub use lines::Lines;
pub use workload::{workload_on, workload_priced};

use crate::catalogue::fx::FxTable;
use crate::catalogue::model::Model;
use crate::error::{Error, Overflow, Result};
use crate::scenario::{Scenario, Workload};
use rust_decimal::Decimal;

/// Prices a scenario on a model. `Ok(Err(_))` means the model has no price for this work.
///
/// Routes are ignored: every workload runs on `model` alone (see `routed` for routed workloads).
pub fn model_cost(
    scenario: &Scenario,
    model: &Model,
    fx: &FxTable,
) -> Result<std::result::Result<ModelCost, Unpriced>> {
    let mut workloads = Vec::with_capacity(scenario.workloads.len());
    let cost = model_cost_each(scenario, model, fx, &mut |w| workloads.push(w))?;
    Ok(cost.map(|c| ModelCost { workloads, ..c }))
}

/// [`model_cost`] without keeping the workloads' bills: each is handed to `each` as it is made,
/// and the [`ModelCost`] returned has none. A caller that needs only the totals, or one workload's
/// bill at a time, holds memory that does not grow with the workloads.
pub fn model_cost_each(
    scenario: &Scenario,
    model: &Model,
    fx: &FxTable,
    each: &mut dyn FnMut(WorkloadCost),
) -> Result<std::result::Result<ModelCost, Unpriced>> {
    model_cost_over(
        scenario,
        scenario,
        &own_workloads(scenario),
        model,
        fx,
        each,
    )
}

/// Hands workloads over one at a time, in order, until the callback returns `false`.
pub type EachWorkload<'a> = dyn Fn(&mut dyn FnMut(&Workload) -> bool) + 'a;

/// The scenario's own workloads, as an [`EachWorkload`].
pub fn own_workloads(s: &Scenario) -> impl Fn(&mut dyn FnMut(&Workload) -> bool) + '_ {
    move |f| {
        for w in &s.workloads {
            if !f(w) {
                break;
            }
        }
    }
}

/// Runs `f` on each workload `workloads` hands over, in order, and stops at the first that does
/// not give `Ok(Ok(()))`: that outcome is the result.
pub fn try_each<U>(
    workloads: &EachWorkload,
    mut f: impl FnMut(&Workload) -> Result<std::result::Result<(), U>>,
) -> Result<std::result::Result<(), U>> {
    let mut outcome = Ok(Ok(()));
    workloads(&mut |w| {
        outcome = f(w);
        matches!(outcome, Ok(Ok(())))
    });
    outcome
}

/// [`model_cost_each`] of the workloads `workloads` hands over (a forecast trial's, made one at a
/// time), under the settings and prices of `priced`, which need hold no workload
/// ([`Scenario::prices_only`]); an overflow is blamed on the workload's line in `located`. No
/// copy of the workloads is made, for a price schedule either.
pub fn model_cost_over(
    priced: &Scenario,
    located: &Scenario,
    workloads: &EachWorkload,
    model: &Model,
    fx: &FxTable,
    each: &mut dyn FnMut(WorkloadCost),
) -> Result<std::result::Result<ModelCost, Unpriced>> {
    let path = horizon::PricePath::of(priced, model);
    // The first month is billed at the prices in force in month 1, which a schedule may set.
    let first = path.segments(priced.horizon_months)[0].1;
    let monthly = match month_bills_over(
        &horizon::priced_under(priced, model, first),
        located,
        workloads,
        model,
        fx,
        each,
    )? {
        Ok(m) => m,
        Err(u) => return Ok(Err(u)),
    };
    let horizon = if path.is_flat() {
        horizon_cost(monthly, priced.horizon_months, priced.monthly_growth)
            .map_err(|e| priced.overflow_at(&priced.horizon_path(), e))?
    } else {
        let moving = horizon::moving_horizon(priced, &path, |entry| {
            let s = horizon::priced_under(priced, model, entry);
            Ok(month_bills_over(&s, located, workloads, model, fx, &mut |_| {})?.ok())
        })
        .map_err(|e| horizon::overflow(priced, e))?;
        match moving {
            Some(h) => h,
            None => return Ok(Err(Unpriced::Reason("no price under its schedule".into()))),
        }
    };
    Ok(Ok(ModelCost {
        model: model.id.clone(),
        currency: priced.currency,
        workloads: Vec::new(),
        monthly_cost: monthly,
        horizon_months: priced.horizon_months,
        horizon_cost: horizon,
    }))
}

/// The workloads' bills on `model` for one month, and their sum.
pub fn month_cost(
    scenario: &Scenario,
    model: &Model,
    fx: &FxTable,
) -> Result<std::result::Result<(Vec<WorkloadCost>, Decimal), Unpriced>> {
    let mut workloads = Vec::with_capacity(scenario.workloads.len());
    let monthly = month_bills(scenario, model, fx, &mut |w| workloads.push(w))?;
    Ok(monthly.map(|m| (workloads, m)))
}

/// The sum of the workloads' bills on `model` for one month, each bill handed to `each` as it is
/// made.
pub fn month_bills(
    scenario: &Scenario,
    model: &Model,
    fx: &FxTable,
    each: &mut dyn FnMut(WorkloadCost),
) -> Result<std::result::Result<Decimal, Unpriced>> {
    month_bills_over(
        scenario,
        scenario,
        &own_workloads(scenario),
        model,
        fx,
        each,
    )
}

/// [`month_bills`] of the workloads `workloads` hands over, under the prices of `priced`, an
/// overflow blamed in `located` ([`model_cost_over`]).
fn month_bills_over(
    priced: &Scenario,
    located: &Scenario,
    workloads: &EachWorkload,
    model: &Model,
    fx: &FxTable,
    each: &mut dyn FnMut(WorkloadCost),
) -> Result<std::result::Result<Decimal, Unpriced>> {
    let mut monthly = Decimal::ZERO;
    let outcome = try_each(workloads, |w| {
        let wc = match workload_priced(priced, located, w, model, fx)? {
            Ok(wc) => wc,
            Err(u) => return Ok(Err(u)),
        };
        monthly = monthly.checked_add(wc.cost).ok_or_else(|| {
            let e = Error::overflow(format!("monthly cost on {}", model.id));
            located.overflow_at(&located.volume_path(&w.name), e)
        })?;
        each(wc);
        Ok(Ok(()))
    })?;
    Ok(outcome.map(|()| monthly))
}

/// Σ monthly × (1 + growth)^k for k = 0 … months − 1.
pub fn horizon_cost(monthly: Decimal, months: u32, growth: Decimal) -> Result<Decimal> {
    let factor = Decimal::ONE + growth;
    let mut month = monthly;
    let mut total = Decimal::ZERO;
    for _ in 0..months {
        total = add(total, month, Overflow::Horizon)?;
        month = mul(month, factor, Overflow::Horizon)?;
    }
    Ok(total)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tokens_tests;

#[cfg(test)]
mod distribution_tests;
