//! The forecast of a routed mix: its first month and horizon, P10 to P90, each an exact bill.
//!
//! A routed mix is not linear in its drawn shares once they are renormalised, so it takes the
//! direct path: every trial's scenario ([`super::draws::scenario_of`], drawn route shares
//! renormalised to sum to 1 and drawn escalations capped so they never increase) is priced by
//! the routed kernel, [`crate::routed::plan_cost`], with the same model serving any unrouted
//! workload as in the ranking's mix row. The exact bills order the trials; the nearest-rank
//! percentiles are then those bills. A mix takes no part in the win share: its blended fit moves
//! with the drawn shares, which the objective's fit ranking does not model.

use super::draws::{scenario_of, Draws};
use super::run::nearest_ranks;
use super::{ModelForecast, Percentiles};
use crate::catalogue::fx::FxTable;
use crate::catalogue::Catalogue;
use crate::error::{Error, Result};
use crate::rank::Ranked;
use crate::routed::plan_cost;
use crate::routed_rank::rest_model;
use crate::scenario::forecast::Forecast;
use crate::scenario::Scenario;
use rayon::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// The forecast of the ranking's routed mix row, if it has one.
pub fn forecast(
    s: &Scenario,
    f: &Forecast,
    d: &Draws,
    cat: &Catalogue,
    fx: &FxTable,
    ranked: &[Ranked],
) -> Result<Option<ModelForecast>> {
    let Some(row) = ranked.iter().find(|r| !r.answered_by.is_empty()) else {
        return Ok(None);
    };
    let rest = rest_model(s, ranked, cat);
    let bills: Vec<(Decimal, Decimal)> = (0..f.trials as usize)
        .into_par_iter()
        .map(|t| {
            let sc = scenario_of(s, f, d, t);
            match plan_cost(&sc, cat, fx, rest)? {
                Ok(c) => Ok((c.monthly_cost, c.horizon_cost)),
                Err(crate::cost::Unpriced::Reason(why)) => Err(Error::Usage(format!(
                    "{} has no price in a trial: {why}",
                    row.model
                ))),
            }
        })
        .collect::<Result<_>>()?;
    let pick = |get: fn(&(Decimal, Decimal)) -> Decimal| {
        let v: Vec<f64> = bills
            .iter()
            .map(|b| get(b).to_f64().unwrap_or(f64::MAX))
            .collect();
        let [a, b, c] = nearest_ranks(&v);
        Percentiles {
            p10: get(&bills[a]),
            p50: get(&bills[b]),
            p90: get(&bills[c]),
        }
    };
    Ok(Some(ModelForecast {
        model: row.model.clone(),
        monthly: pick(|b| b.0),
        horizon: pick(|b| b.1),
        wins: 0,
        win_share: None,
    }))
}
