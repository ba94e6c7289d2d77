//! The document `mix --format json` prints: the cheapest plan that reaches the target fit, the
//! best route and cascade, and every candidate.

use super::fit::FitBand;
use super::value::{Exact, Money, Score};
use crate::money::Currency;
use crate::reason::ReasonCode;
use schemars::JsonSchema;
use serde::Serialize;

/// `mix --format json`. The plan's fields are null (and `plan` empty) when nothing reaches the
/// target.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MixReport {
    /// The blended fit asked for.
    pub target_fit: Exact,
    /// Currency of every amount.
    pub currency: Currency,
    /// The cheapest plan: each model and its share.
    pub plan: Vec<PlanShare>,
    /// `route` or `cascade`.
    #[schemars(extend("enum" = ["route", "cascade", null]))]
    pub kind: Option<&'static str>,
    /// The plan's blended fit.
    pub fit: Option<Score>,
    /// Its band, coverage and status (present with a plan).
    #[serde(flatten)]
    pub band: Option<FitBand>,
    /// The plan's monthly cost.
    pub monthly_cost: Option<Money>,
    /// Its cost over the horizon.
    pub horizon_cost: Option<Money>,
    /// The plan's label.
    pub label: Option<String>,
    /// The cheapest single model that reaches the target.
    pub best_single: Option<MixCandidate>,
    /// The cheapest route of two models.
    pub best_route: Option<MixPlan>,
    /// The cheapest cascade of two models.
    pub best_cascade: Option<MixPlan>,
    /// The best fit any candidate reaches.
    pub best_fit_available: Option<BestFit>,
    /// Every model considered.
    pub candidates: Vec<MixCandidate>,
    /// Every model left out, with its reasons.
    pub excluded: Vec<MixExcluded>,
}

/// A model and its share of a plan.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanShare {
    /// Model id.
    pub model: String,
    /// For a route the share of requests it gets; for a cascade the share that reaches it.
    pub share: Exact,
}

/// A single model as a candidate.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MixCandidate {
    /// Model id.
    pub model: String,
    /// Its monthly cost running every workload alone, and its fit.
    #[serde(flatten)]
    pub priced: Priced,
}

/// What a candidate or a plan costs a month and the fit it reaches.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Priced {
    /// Monthly cost.
    pub monthly_cost: Money,
    /// The fit, blended for a plan.
    pub fit: Score,
    /// The fit's band, coverage and status.
    #[serde(flatten)]
    pub band: FitBand,
}

/// A route or cascade the search priced.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MixPlan {
    /// Its label.
    pub label: String,
    /// `route` or `cascade`.
    #[schemars(extend("enum" = ["route", "cascade"]))]
    pub kind: &'static str,
    /// Each model and its share.
    pub plan: Vec<PlanShare>,
    /// Its monthly cost and blended fit.
    #[serde(flatten)]
    pub priced: Priced,
}

/// The best fit available.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BestFit {
    /// Model id.
    pub model: String,
    /// Its fit.
    pub fit: Score,
}

/// A model left out of the search.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MixExcluded {
    /// Model id.
    pub model: String,
    /// Every reason, for people.
    pub reasons: Vec<String>,
    /// The code of each reason, parallel to `reasons`.
    pub reason_codes: Vec<ReasonCode>,
}
