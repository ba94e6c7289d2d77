//! The document `compare --format json` prints: for each vendor or family, its best model, its
//! tier ladder and what each step up costs.

use super::fit::FitFields;
use super::value::{Money, Score};
use crate::money::Currency;
use crate::scenario::raw::Objective;
use schemars::JsonSchema;
use serde::Serialize;

/// `compare --format json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareReport {
    /// Scenario name.
    pub scenario: String,
    /// Currency of every amount.
    pub currency: Currency,
    /// `vendor` or `family`.
    #[schemars(extend("enum" = ["vendor", "family"]))]
    pub by: &'static str,
    /// The order used.
    pub objective: Objective,
    /// One entry per vendor or family, best first.
    pub groups: Vec<CompareGroup>,
}

/// A vendor or family.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareGroup {
    /// Its id.
    pub group: String,
    /// Its best qualifying model.
    pub best: CompareBest,
    /// Its models with a fit, cheapest first.
    pub ladder: Vec<CompareModel>,
    /// Its models without a fit.
    pub no_fit: Vec<CompareModel>,
    /// Each step up the ladder.
    pub steps: Vec<CompareStep>,
}

/// The best model of a group.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareBest {
    /// Model id.
    pub model: String,
    /// Its rank among every qualifying model.
    pub rank: usize,
    /// Cost in the first month.
    pub monthly_cost: Money,
    /// Cost over the horizon.
    pub horizon_cost: Money,
    /// Its balanced score.
    pub balanced: Option<Score>,
    /// Its fit.
    #[serde(flatten)]
    pub fit: FitFields,
}

/// A model on a group's ladder.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareModel {
    /// Model id.
    pub model: String,
    /// Cost in the first month.
    pub monthly_cost: Money,
    /// Its fit.
    #[serde(flatten)]
    pub fit: FitFields,
}

/// One step up a ladder.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompareStep {
    /// The cheaper model.
    pub from: String,
    /// The next tier.
    pub to: String,
    /// What the step adds a month.
    pub monthly_cost_increase: Money,
    /// The fit it gains.
    pub fit_increase: Option<Score>,
    /// What each point of fit costs a month; null without a fit gain.
    pub cost_per_fit_point: Option<Money>,
}
