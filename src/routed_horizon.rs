//! A routed mix over a horizon whose prices move: each leg billed month by month at its own
//! model's prices.
//!
//! A leg is the workload scaled to its share of requests on one model ([`crate::routed`]). When a
//! model's prices move (a `[[pricing.schedule]]` entry or a `[pricing] change_per_year`), the leg's
//! first month is billed at the prices in force in month 1, as the model's own row is, and its
//! horizon is the kernel's month-by-month horizon at that model's prices
//! ([`crate::cost::horizon::moving_horizon`]). The mix's horizon is the sum of its legs' horizons,
//! since every bill is linear in the request count. A mix none of whose models' prices move keeps
//! the horizon of its first month grown by `monthly_growth`, exactly as before.

use crate::catalogue::fx::FxTable;
use crate::catalogue::model::Model;
use crate::catalogue::Catalogue;
use crate::cost::horizon::{moving_horizon, overflow, priced_under, PricePath};
use crate::cost::{add, workload_priced};
use crate::error::Result;
use crate::scenario::{Scenario, Workload};
use rust_decimal::Decimal;
use std::borrow::Cow;

/// Each model's price path, worked out once however many legs it serves (a yearly change's
/// monthly factor takes a few `Decimal` iterations).
#[derive(Debug, Default)]
pub struct Paths<'s> {
    paths: Vec<(&'s str, PricePath<'s>)>,
}

impl<'s> Paths<'s> {
    /// The price path of `model` in `s`.
    pub fn of(&mut self, s: &'s Scenario, model: &'s Model) -> &PricePath<'s> {
        let i = match self.paths.iter().position(|(id, _)| *id == model.id) {
            Some(i) => i,
            None => {
                self.paths.push((&model.id, PricePath::of(s, model)));
                self.paths.len() - 1
            }
        };
        &self.paths[i].1
    }

    /// Whether any model's prices move over the horizon.
    pub fn any_moves(&self) -> bool {
        self.paths.iter().any(|(_, p)| !p.is_flat())
    }
}

/// Whether the prices of any model a leg of `s` runs on move over the horizon: the models of the
/// routes, and `rest` if a workload has no route. Those are the models [`Paths`] holds once every
/// leg is priced, so this is its [`Paths::any_moves`] known in advance.
pub fn legs_move(
    priced: &Scenario,
    located: &Scenario,
    cat: &Catalogue,
    rest: Option<&Model>,
) -> bool {
    crate::routed::models_used(located, rest.map(|m| m.id.as_str()))
        .iter()
        .filter_map(|id| cat.model(id))
        .any(|m| !PricePath::of(priced, m).is_flat())
}

/// The scenario as it prices `model` in the first month of the horizon, on its price `path`: with
/// any schedule entry from month 1 laid over its prices.
pub fn first_month<'s>(s: &'s Scenario, model: &Model, path: &PricePath) -> Cow<'s, Scenario> {
    let first = path.segments(s.horizon_months)[0].1;
    priced_under(s, model, first)
}

/// Σ over the legs of each leg's horizon at its model's moving prices; `None` when a model has no
/// price under its schedule.
pub fn legs_horizon<'s>(
    s: &'s Scenario,
    located: &Scenario,
    legs: &[(&'s Model, Workload)],
    paths: &mut Paths<'s>,
    fx: &FxTable,
) -> Result<Option<Decimal>> {
    let mut total = Decimal::ZERO;
    for (model, leg) in legs {
        let path = paths.of(s, model);
        let h = moving_horizon(s, path, |entry| {
            let priced = priced_under(s, model, entry);
            Ok(workload_priced(&priced, located, leg, model, fx)?
                .ok()
                .map(|c| c.cost))
        })
        .map_err(|e| overflow(s, e))?;
        let Some(h) = h else { return Ok(None) };
        total = add(total, h, "horizon cost").map_err(|e| overflow(s, e))?;
    }
    Ok(Some(total))
}
