//! The document `rank --format json` prints: the ranked rows, the excluded models with their
//! reasons, and the settings the ranking used.

use super::fit::{FitFields, ScoreUsed};
use super::forecast::{ForecastFields, ForecastSpec};
use super::fx::Fx;
use super::selfhost::{Configuration, SelfHostFields};
use super::value::{Exact, Money, Score};
use crate::money::Currency;
use crate::procurement::PriceBasis;
use crate::reason::ReasonCode;
use crate::scenario::raw::{MissingPolicy, Objective};
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

/// `rank --format json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RankReport {
    /// Scenario name.
    pub scenario: String,
    /// Currency of every amount.
    pub currency: Currency,
    /// The order used.
    pub objective: Objective,
    /// Qualifying candidates, best first (cut to `top` when set).
    pub ranked: Vec<RankedRow>,
    /// Every model that does not qualify, with its reasons.
    pub excluded: Vec<ExcludedRow>,
    /// Qualifying candidates before the cut to `top`.
    pub eligible: usize,
    /// Months the horizon cost covers.
    pub horizon_months: u32,
    /// Monthly growth of the volumes, a fraction.
    pub monthly_growth: Exact,
    /// Days in a month.
    pub days_per_month: u32,
    /// Every exchange rate used.
    pub fx: Fx,
    /// The fit's weight of each benchmark.
    pub fit_weights: BTreeMap<String, Exact>,
    /// What a missing score does (`impute`, `zero`, `skip`, `exclude`).
    pub fit_missing: MissingPolicy,
    /// Below this coverage a model gets no fit.
    pub min_coverage: Exact,
    /// Fit points the balanced score trades for a tenfold cost.
    pub points_per_tenfold: Exact,
    /// Every self-hosted configuration tried (`--all` with `[selfhost]` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<Configuration>")]
    pub selfhost_configurations: Option<Vec<Configuration>>,
    /// The forecast's trials and ranges (a scenario with `[forecast]` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "ForecastSpec")]
    pub forecast: Option<ForecastSpec>,
}

/// A single model, or a routed mix of models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// One model.
    Model,
    /// A routed mix.
    Mix,
}

/// How a candidate is bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
pub enum DeploymentKind {
    /// The vendor's API.
    #[serde(rename = "api")]
    Api,
    /// Rented GPUs (an estimate).
    #[serde(rename = "self-hosted")]
    SelfHosted,
}

/// One qualifying candidate.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RankedRow {
    /// `model` or `mix`.
    pub kind: RowKind,
    /// Position, from 1.
    pub rank: usize,
    /// Model id, or a mix's routing plan.
    pub model: String,
    /// Vendor id.
    pub vendor: String,
    /// Display name.
    pub name: String,
    /// Cost in the first month.
    pub monthly_cost: Money,
    /// Cost over the horizon.
    pub horizon_cost: Money,
    /// The fit and how it was made.
    #[serde(flatten)]
    pub fit: FitFields,
    /// The balanced score, 0–100.
    pub balanced: Option<Score>,
    /// On the cost–fit Pareto front.
    pub pareto: bool,
    /// The benchmark scores in the fit.
    pub scores: Vec<ScoreUsed>,
    /// Weighted benchmarks without an observed score.
    pub missing_scores: Vec<String>,
    /// `min_scores` benchmarks without a score, kept under `min_scores_missing = "allow"`.
    pub unverified_floors: Vec<String>,
    /// Each workload's bill.
    pub workloads: Vec<RankedWorkload>,
    /// `api` or `self-hosted`.
    pub deployment: DeploymentKind,
    /// `list`, `override`, `discounted` or `override+discounted`.
    pub price_basis: PriceBasis,
    /// The share of requests that overflow the model's window, when sizes vary; null otherwise.
    pub overflow_share: Option<f64>,
    /// Cost per 1M input-plus-output tokens (a scenario with `[selfhost]` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Money>")]
    pub cost_per_mtok: Option<Option<Money>>,
    /// How a self-hosted candidate is served.
    #[serde(flatten)]
    pub selfhost: Option<SelfHostFields>,
    /// The models that answer a mix's requests (a mix only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<AnsweredBy>")]
    pub answered_by: Option<Vec<AnsweredBy>>,
    /// The forecast of the row (a scenario with `[forecast]` only).
    #[serde(flatten)]
    pub forecast: Option<ForecastFields>,
}

/// One workload's part of a row's bill.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RankedWorkload {
    /// Workload name.
    pub name: String,
    /// Its monthly cost.
    pub cost: Money,
    /// Input tokens of one request as the model bills them; null for a routed workload.
    pub billed_input_tokens: Option<u64>,
    /// Output tokens of one request as the model bills them.
    pub billed_output_tokens: Option<u64>,
    /// Each model's part (a mix only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<RouteLeg>")]
    pub route: Option<Vec<RouteLeg>>,
}

/// One model's part of a routed workload.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RouteLeg {
    /// Model id.
    pub model: String,
    /// The share of requests sent to it.
    pub share: Exact,
    /// What it costs a month.
    pub cost: Money,
}

/// A model that answers part of a mix's requests.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnsweredBy {
    /// Model id.
    pub model: String,
    /// The share of all requests whose final answer it gives (six decimals at most).
    pub share: Exact,
    /// Its own fit.
    pub fit: Option<Score>,
}

/// A model that does not qualify.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExcludedRow {
    /// Model id.
    pub model: String,
    /// Every reason, for people.
    pub reasons: Vec<String>,
    /// The code of each reason, parallel to `reasons`.
    pub reason_codes: Vec<ReasonCode>,
    /// The share of requests that overflow its window, when sizes vary.
    pub overflow_share: Option<f64>,
    /// `self-hosted`, for the self-hosted candidate of an open-weight model.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "DeploymentKind")]
    pub deployment: Option<DeploymentKind>,
    /// The accelerator, for a self-hosted candidate (null when it failed before one was tried).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<String>")]
    pub gpu: Option<Option<String>>,
}
