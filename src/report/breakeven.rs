//! The document `breakeven --format json` prints: the self-hosted and API price per 1M tokens,
//! the monthly volume where they cross, and every configuration tried.

use super::selfhost::Configuration;
use super::value::{Exact, Money};
use schemars::JsonSchema;
use serde::Serialize;

/// `breakeven --format json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BreakevenReport {
    /// The open-weight model served on rented GPUs.
    pub model: String,
    /// The API model it is compared with.
    pub vs: String,
    /// The accelerator of the cheapest configuration.
    pub gpu: String,
    /// GPUs per replica.
    pub gpus: u64,
    /// Weight precision.
    pub precision: &'static str,
    /// Self-hosted cost per 1M tokens at this scenario's volume.
    pub selfhost_cost_per_mtok: Money,
    /// API cost per 1M tokens for this mix.
    pub api_cost_per_mtok: Money,
    /// Tokens a month above which self-hosting is cheaper; null when it never is.
    pub breakeven_tokens_per_month: Option<TokenCount>,
    /// Why self-hosting never wins, when it does not.
    pub reason: Option<String>,
    /// Every configuration tried.
    pub configurations: Vec<Configuration>,
}

/// A whole number of tokens: a JSON integer, or a decimal string past the largest `u64`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(untagged)]
pub enum TokenCount {
    /// Fits in a `u64`.
    Whole(u64),
    /// Too large for one.
    Text(Exact),
}
