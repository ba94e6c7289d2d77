//! The documents of `models` and `show`: the catalogue's own model type as it serializes, and
//! what `show` adds to it, the scores `rank` would estimate for it, marked as estimates.

use super::value::Exact;
use crate::catalogue::model::Model;
use schemars::JsonSchema;
use serde::Serialize;

/// `show --format json`: every fact of the model as the catalogue holds it, and its estimated
/// scores.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ShowReport<'a> {
    /// The model.
    #[serde(flatten)]
    pub model: &'a Model,
    /// The default-weighted benchmarks it has not published, estimated.
    pub estimated_scores: Vec<EstimatedScore>,
}

/// A score the model has not published, imputed from its published ones.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EstimatedScore {
    /// Benchmark id.
    pub benchmark: String,
    /// The estimate on the benchmark's own scale, two decimals.
    pub value: Exact,
    /// The estimate on 0–100, from chance.
    pub normalised: Exact,
    /// About one standard error below, at least 0.
    pub normalised_low: Exact,
    /// About one standard error above, at most 100.
    pub normalised_high: Exact,
    /// Always true: an estimate, not a published score.
    #[schemars(extend("const" = true))]
    pub imputed: bool,
}

/// `models --format json`: every model listed, as the catalogue holds it.
pub type ModelsReport = Vec<Model>;
