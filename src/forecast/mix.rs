//! The forecast of a routed mix: its first month and horizon, P10 to P90, each an exact bill, and
//! its blended fit in every trial, so that it takes part in the win share.
//!
//! A routed mix is not linear in its drawn shares once they are renormalised, so it takes the
//! direct path: every trial's scenario ([`super::draws::scenario_of`]: drawn route shares
//! renormalised to sum to 1 and drawn escalations capped so they never increase, its workloads
//! made one at a time) is priced by the routed kernel, [`crate::routed::plan_cost_over`], with
//! the same model serving any unrouted workload as in the ranking's mix row. The exact bills order the trials; the nearest-rank
//! percentiles are then those bills. The trial's blended fit is the mix row's rule,
//! [`crate::routed::blended_fit`], on the trial's answer shares (which move with drawn shares and
//! volumes), over the same models' fits: exact, and equal to the row's fit when nothing is drawn.

use super::draws::Draws;
use super::run::nearest_ranks;
use super::Percentiles;
use crate::catalogue::fx::FxTable;
use crate::catalogue::Catalogue;
use crate::error::{Error, Result};
use crate::rank::Ranked;
use crate::routed::{answer_shares_over, blended_fit, plan_cost_over};
use crate::routed_rank::{mix_model_fits, rest_model};
use crate::scenario::forecast::Forecast;
use crate::scenario::{Scenario, Workload};
use rayon::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// The routed mix in every trial.
pub struct Trials<'r> {
    /// The ranking's mix row.
    pub row: &'r Ranked,
    /// (first month, horizon) of each trial, exact.
    pub bills: Vec<(Decimal, Decimal)>,
    /// The blended fit of each trial; `None` where a model that answers has no fit.
    pub fits: Vec<Option<Decimal>>,
}

/// The ranking's routed mix row priced in every trial, if the ranking has one.
pub fn trials<'r>(
    s: &Scenario,
    f: &Forecast,
    d: &Draws,
    cat: &Catalogue,
    fx: &FxTable,
    ranked: &'r [Ranked],
) -> Result<Option<Trials<'r>>> {
    let Some(row) = ranked.iter().find(|r| !r.answered_by.is_empty()) else {
        return Ok(None);
    };
    let rest = rest_model(s, ranked, cat);
    let rest_id = rest.map(|m| m.id.as_str());
    let model_fits = mix_model_fits(s, cat, rest_id);
    let fit_of = |id: &str| {
        model_fits
            .iter()
            .find(|(m, _)| m == id)
            .and_then(|(_, f)| *f)
    };
    let each: Vec<((Decimal, Decimal), Option<Decimal>)> = (0..f.trials as usize)
        .into_par_iter()
        .map(|t| {
            // The trial's scenario, its workloads made one at a time.
            let trial = d.trial(s, t);
            let workloads = |each: &mut dyn FnMut(&Workload) -> bool| trial.workloads(each);
            let settings = &trial.settings;
            let fit = blended_fit(&answer_shares_over(settings, &workloads, rest_id)?, fit_of);
            match plan_cost_over(settings, s, &workloads, cat, fx, rest, &mut |_| {})? {
                Ok(c) => Ok(((c.monthly_cost, c.horizon_cost), fit)),
                Err(crate::cost::Unpriced::Reason(why)) => Err(Error::Usage(format!(
                    "{} has no price in a trial: {why}",
                    row.model
                ))),
            }
        })
        .collect::<Result<_>>()?;
    let (bills, fits) = each.into_iter().unzip();
    Ok(Some(Trials { row, bills, fits }))
}

impl Trials<'_> {
    /// The nearest-rank percentiles of the first month (`horizon` false) or the horizon.
    pub fn percentiles(&self, horizon: bool) -> Percentiles {
        let get = |b: &(Decimal, Decimal)| if horizon { b.1 } else { b.0 };
        let v: Vec<f64> = self
            .bills
            .iter()
            .map(|b| get(b).to_f64().unwrap_or(f64::MAX))
            .collect();
        let [a, b, c] = nearest_ranks(&v);
        Percentiles {
            p10: get(&self.bills[a]),
            p50: get(&self.bills[b]),
            p90: get(&self.bills[c]),
        }
    }

    /// Each trial's horizon, for ranking the trial.
    pub fn horizons(&self) -> Vec<f64> {
        self.bills
            .iter()
            .map(|b| b.1.to_f64().unwrap_or(f64::MAX))
            .collect()
    }
}
