//! The fit fields every report with a fit carries (`fit`, `fit_low`, `fit_high`, `fit_coverage`,
//! `fit_status`, `fit_reason`), and one entry of a ranked row's `scores[]`.

use super::value::{Exact, Score};
use crate::fit::{Fit, FitStatus, UsedScore};
use schemars::JsonSchema;
use serde::Serialize;

/// A fit and how it was made, flattened into the object that has the fit.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FitFields {
    /// 0–100; null when too little is known.
    pub fit: Option<Score>,
    /// Its band, coverage and status.
    #[serde(flatten)]
    pub band: FitBand,
}

impl FitFields {
    /// The fields of a fit.
    pub fn of(f: &Fit) -> FitFields {
        FitFields {
            fit: f.fit.map(Score::of),
            band: FitBand::of(f),
        }
    }
}

/// How a fit was made: everything but the fit itself, for the reports that write the fit of a
/// blend (`mix`) beside the band of its parts.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FitBand {
    /// About one standard error below the fit.
    pub fit_low: Option<Score>,
    /// About one standard error above the fit.
    pub fit_high: Option<Score>,
    /// The share of the fit's weight with an observed score, 0–1.
    pub fit_coverage: Score,
    /// `observed`, `partly_imputed`, `imputed` or `insufficient_data`.
    pub fit_status: FitStatus,
    /// Why there is no fit; only present then.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub fit_reason: Option<String>,
}

impl FitBand {
    /// The band, coverage and status of a fit.
    pub fn of(f: &Fit) -> FitBand {
        FitBand {
            fit_low: f.low.map(Score::of),
            fit_high: f.high.map(Score::of),
            fit_coverage: Score::of(f.coverage),
            fit_status: f.status,
            fit_reason: f.reason.clone(),
        }
    }
}

/// One benchmark's part in a fit.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoreUsed {
    /// Benchmark id.
    pub benchmark: String,
    /// The setting the score was taken at; null for an estimate.
    pub setting: Option<String>,
    /// The value on the benchmark's own scale.
    pub value: Exact,
    /// The value on 0–100, from chance.
    pub normalised: Score,
    /// About one standard error below `normalised`.
    pub normalised_low: Score,
    /// About one standard error above `normalised`.
    pub normalised_high: Score,
    /// Its weight in the fit.
    pub weight: Exact,
    /// Where the value was read, or how it was estimated.
    pub source: String,
    /// An estimate, not a published score.
    pub imputed: bool,
    /// False when more candidates share another setting of the benchmark.
    pub setting_majority: bool,
}

impl ScoreUsed {
    /// The entry for one score used.
    pub fn of(u: &UsedScore) -> ScoreUsed {
        ScoreUsed {
            benchmark: u.benchmark.clone(),
            setting: u.setting.clone(),
            value: Exact::of(u.value),
            normalised: Score::of(u.normalised),
            normalised_low: Score::of(u.low),
            normalised_high: Score::of(u.high),
            weight: Exact::of(u.weight),
            source: u.source.clone(),
            imputed: u.imputed,
            setting_majority: u.setting_majority,
        }
    }
}
