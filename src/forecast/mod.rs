//! Forecasts with ranges: what each candidate may cost, P10 to P90, and how often it wins.
//!
//! A scenario with `[forecast]` or a range in place of a number runs `trials` futures. Each draws
//! its inputs ([`draws`], from the portable generator and distributions of [`sample`]); the
//! kernel's bill, bilinear in the volumes and cache hit rates at fixed prices ([`linear`]) and
//! summed trial by trial as the inputs stream past ([`estimate`]), orders the trials and counts
//! each trial's winner; the trials at the 10th, 50th and 90th percentiles are then priced exactly
//! by the kernel ([`run`]). So every money figure a forecast prints is an exact bill of one drawn
//! future, and the floating point only decides which.
//!
//! **Win share** ranks each trial's candidates under the scenario's objective with their horizon
//! cost in place of the first month's (a price trend or schedule shows only over the horizon;
//! without them the order is the same). The candidates are the ranking's eligible API models and
//! its routed mix, which ranks in each trial on that trial's exact bill and blended fit ([`mix`]);
//! self-hosted fleets keep their deterministic figures.
//!
//! **Monte Carlo error.** A sample percentile of n trials has a standard error of
//! √(p (1 − p) ÷ n) in probability: ±0.003 at P10 and P90 and ±0.005 at P50 for 10,000 trials;
//! a win share's is √(s (1 − s) ÷ n), at most 0.005. docs/forecast.md turns these into money.

pub mod draws;
pub mod estimate;
pub mod linear;
pub mod mix;
pub mod run;
pub mod sample;

use rust_decimal::Decimal;

/// Three percentiles of an amount, each an exact bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Percentiles {
    /// One trial in ten costs less.
    pub p10: Decimal,
    /// The median.
    pub p50: Decimal,
    /// One trial in ten costs more.
    pub p90: Decimal,
}

/// One candidate's forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelForecast {
    /// Model id.
    pub model: String,
    /// The first month.
    pub monthly: Percentiles,
    /// The horizon.
    pub horizon: Percentiles,
    /// Trials in which it ranks first.
    pub wins: u32,
    /// wins ÷ trials, to 6 decimal places: exact, and summing to 1, whenever the trials divide
    /// 1,000,000 (10,000 does).
    pub win_share: Decimal,
}

/// Monthly spend percentiles of one model, month by month (floating point: for drawing).
#[derive(Debug, Clone, PartialEq)]
pub struct Fan {
    /// Model id.
    pub model: String,
    /// [P10, P50, P90] of each month.
    pub months: Vec<[f64; 3]>,
}

/// The forecast of a ranking.
#[derive(Debug, Clone, PartialEq)]
pub struct Outlook {
    /// Trials run.
    pub trials: u32,
    /// Their seed.
    pub seed: u64,
    /// Each API candidate, in ranking order, then the routed mix if the ranking has one.
    pub models: Vec<ModelForecast>,
    /// Fans of the first candidates, in ranking order.
    pub fans: Vec<Fan>,
}

impl Outlook {
    /// The forecast of one model, if it took part.
    pub fn of(&self, model: &str) -> Option<&ModelForecast> {
        self.models.iter().find(|m| m.model == model)
    }
}

pub mod report;

/// The forecast of a ranking's eligible rows (all of them, before any `top` cut), or `None` for
/// a scenario without one. `fans` is how many of the first candidates get month-by-month bands.
pub fn outlook(
    s: &crate::scenario::Scenario,
    cat: &crate::catalogue::Catalogue,
    ranked: &[crate::rank::Ranked],
    fans: usize,
) -> crate::error::Result<Option<Outlook>> {
    let Some(f) = &s.forecast else {
        return Ok(None);
    };
    run::run(s, f, cat, &s.fx(cat), ranked, fans).map(Some)
}

#[cfg(test)]
mod tests;
