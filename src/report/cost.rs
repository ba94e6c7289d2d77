//! The document `cost --format json` prints: one model's bill, per workload and line, and the
//! horizon.

use super::forecast::{ForecastFields, ForecastSpec};
use super::fx::PriceFacts;
use super::lines::LineAmounts;
use super::value::{Exact, Money};
use crate::cost::cache::Status;
use crate::money::Currency;
use schemars::JsonSchema;
use serde::Serialize;

/// `cost --format json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CostReport {
    /// The model priced, or the routes' label when every workload is routed.
    pub model: String,
    /// Currency of every amount.
    pub currency: Currency,
    /// Cost in the first month.
    pub monthly_cost: Money,
    /// Months the horizon covers.
    pub horizon_months: u32,
    /// Cost over the horizon.
    pub horizon_cost: Money,
    /// Each workload's bill.
    pub workloads: Vec<CostWorkload>,
    /// The price basis and exchange rates (added by `procurement::add_to_cost_report`).
    #[serde(flatten)]
    pub prices: Option<PriceFacts>,
    /// The forecast of the model (added by `forecast::report::extend_cost`).
    #[serde(flatten)]
    pub forecast_fields: Option<ForecastFields>,
    /// The forecast's trials and ranges (a scenario with `[forecast]` and `--model` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "ForecastSpec")]
    pub forecast: Option<ForecastSpec>,
}

/// One workload's bill.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CostWorkload {
    /// Workload name.
    pub name: String,
    /// Requests a month.
    pub requests: Exact,
    /// Fresh input tokens a month.
    pub input_tokens: Exact,
    /// Input tokens a month read from the prompt cache.
    pub cached_input_tokens: Exact,
    /// Output tokens a month.
    pub output_tokens: Exact,
    /// Images a month.
    pub images: Exact,
    /// Seconds of video a month.
    pub video_seconds: Exact,
    /// The long-prompt tier the whole workload is billed at, by its threshold.
    pub tier_above_input_tokens: Option<u64>,
    /// Input tokens of one request as the model bills them.
    pub billed_input_tokens: Option<u64>,
    /// Output tokens of one request as the model bills them.
    pub billed_output_tokens: Option<u64>,
    /// Of the input, the tokens of the request's images.
    pub billed_image_tokens: Option<u64>,
    /// The share of requests billed at each price tier.
    pub tiers: Vec<CostTier>,
    /// Its monthly cost.
    pub cost: Money,
    /// `single`, `route` or `cascade`.
    #[schemars(extend("enum" = ["single", "route", "cascade"]))]
    pub kind: &'static str,
    /// What the model made of the workload's cached prefix; null without `[workload.cache]`.
    pub cache: Option<CostCache>,
    /// Each model's part of a routed workload.
    pub route: Vec<CostLeg>,
    /// One amount per kind of line.
    #[serde(flatten)]
    pub lines: LineAmounts,
}

/// The requests billed at one price tier.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CostTier {
    /// The tier's threshold; null for the list price.
    pub above_input_tokens: Option<u64>,
    /// The share of the workload's requests.
    pub share: Exact,
    /// Requests a month.
    pub requests: Exact,
}

/// The prompt-cache part of a workload's bill.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CostCache {
    /// `cached`, `below_minimum` (with the sizes) or `no_cache_prices`.
    #[serde(flatten)]
    pub status: Status,
    /// Tokens a month written to the cache.
    pub cache_write_tokens: Exact,
    /// Token-hours a month of cache storage.
    pub cache_storage_token_hours: Exact,
}

/// One model's part of a routed workload.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CostLeg {
    /// Model id.
    pub model: String,
    /// The share of requests sent to (and paid for on) the model.
    pub share: Exact,
    /// The share whose final answer it gives.
    pub answers: Exact,
    /// Requests a month it is paid for.
    pub requests: Exact,
    /// Input tokens of one request, escalation overhead included.
    pub input_tokens_per_request: u64,
    /// The long-prompt tier it is billed at.
    pub tier_above_input_tokens: Option<u64>,
    /// What it costs a month.
    pub cost: Money,
}
