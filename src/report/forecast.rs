//! What a forecast adds to a JSON report: the percentile fields of a row and the `forecast`
//! object with the trials, the seed and every range.

use super::value::{Exact, Money};
use crate::forecast::{ModelForecast, Percentiles};
use crate::scenario::forecast::{Forecast, Input};
use crate::scenario::range::Range;
use schemars::JsonSchema;
use serde::Serialize;

/// The fields a forecast adds to a row (`rank`'s rows, `cost`'s document); each is null for a
/// row the forecast does not cover.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ForecastFields {
    /// First month, one trial in ten costs less.
    pub monthly_cost_p10: Option<Money>,
    /// First month, the median.
    pub monthly_cost_p50: Option<Money>,
    /// First month, one trial in ten costs more.
    pub monthly_cost_p90: Option<Money>,
    /// The horizon, one trial in ten costs less.
    pub horizon_cost_p10: Option<Money>,
    /// The horizon, the median.
    pub horizon_cost_p50: Option<Money>,
    /// The horizon, one trial in ten costs more.
    pub horizon_cost_p90: Option<Money>,
    /// The share of trials in which the row ranks first; null for a routed mix.
    pub win_share: Option<Exact>,
}

impl ForecastFields {
    /// The fields for one model's forecast, or nulls.
    pub fn of(f: Option<&ModelForecast>) -> ForecastFields {
        let p = |p: Option<&Percentiles>, pick: fn(&Percentiles) -> rust_decimal::Decimal| {
            p.map(|p| Money::of(pick(p)))
        };
        let (m, h) = (f.map(|f| &f.monthly), f.map(|f| &f.horizon));
        ForecastFields {
            monthly_cost_p10: p(m, |p| p.p10),
            monthly_cost_p50: p(m, |p| p.p50),
            monthly_cost_p90: p(m, |p| p.p90),
            horizon_cost_p10: p(h, |p| p.p10),
            horizon_cost_p50: p(h, |p| p.p50),
            horizon_cost_p90: p(h, |p| p.p90),
            win_share: f.map(|f| Exact::of(f.win_share)),
        }
    }
}

/// The `forecast` object: how many trials, the seed, and the ranges drawn.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ForecastSpec {
    /// Trials drawn.
    pub trials: u32,
    /// The seed of the draws.
    pub seed: u64,
    /// Every input given a range.
    pub inputs: Vec<ForecastInput>,
    /// Rank correlations between inputs.
    pub correlations: Vec<ForecastCorrelation>,
}

/// One input and its range.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ForecastInput {
    /// The input's name, as the scenario writes it.
    pub input: String,
    /// Its range.
    #[serde(flatten)]
    pub range: ForecastRange,
}

/// A range: three quantiles, or a uniform interval.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum ForecastRange {
    /// Quantiles p10 ≤ p50 ≤ p90.
    Quantiles {
        /// 10% quantile.
        p10: Exact,
        /// Median.
        p50: Exact,
        /// 90% quantile.
        p90: Exact,
    },
    /// Uniform on low ≤ high.
    Uniform {
        /// Bottom.
        low: Exact,
        /// Top.
        high: Exact,
    },
}

/// A rank correlation between two inputs.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ForecastCorrelation {
    /// The inputs, by name.
    pub inputs: Vec<String>,
    /// Spearman's rho.
    pub rho: Exact,
}

impl ForecastInput {
    /// The entry of one ranged input, under its name.
    pub fn of(name: &str, i: &Input) -> ForecastInput {
        ForecastInput {
            input: name.to_string(),
            range: match i.range {
                Range::Quantiles { p10, p50, p90 } => ForecastRange::Quantiles {
                    p10: Exact::of(p10),
                    p50: Exact::of(p50),
                    p90: Exact::of(p90),
                },
                Range::Uniform { low, high } => ForecastRange::Uniform {
                    low: Exact::of(low),
                    high: Exact::of(high),
                },
            },
        }
    }
}

impl ForecastSpec {
    /// The object with `inputs` empty: a report writes them one at a time
    /// ([`ForecastInput::of`], `forecast::report::json`).
    pub fn without_inputs(f: &Forecast) -> ForecastSpec {
        ForecastSpec {
            trials: f.trials,
            seed: f.seed,
            inputs: Vec::new(),
            correlations: f
                .correlations
                .iter()
                .map(|c| ForecastCorrelation {
                    inputs: c.inputs.iter().map(|&i| f.name(i).to_string()).collect(),
                    rho: Exact::of(c.rho),
                })
                .collect(),
        }
    }
}
