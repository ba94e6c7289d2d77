//! What the kernel hands every command: the bill of a workload, of a routed workload's legs, and of
//! a whole scenario on one model.

use super::component::Component;
use super::lines::Lines;
use crate::money::Currency;
use rust_decimal::Decimal;
use serde::Serialize;

/// The bill for one workload on one model, in the scenario currency.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct WorkloadCost {
    /// Workload name.
    pub name: String,
    /// Requests a month.
    pub requests: Decimal,
    /// Input tokens a month, cached ones included.
    pub input_tokens: Decimal,
    /// Of which served from cache.
    pub cached_input_tokens: Decimal,
    /// Output tokens a month.
    pub output_tokens: Decimal,
    /// Images a month.
    pub images: Decimal,
    /// Seconds of video a month.
    pub video_seconds: Decimal,
    /// The tier threshold applied, if a tier was (the highest one, when requests reach several).
    pub tier_above_input_tokens: Option<u64>,
    /// The tokens each request is billed for on this model (none for media, routed or
    /// self-hosted workloads).
    #[serde(skip)]
    pub billed: Option<Billed>,
    /// The share of requests billed at each tier reached, lowest tier first.
    pub tiers: Vec<TierShare>,
    /// For a workload with a `[workload.cache]`, what the model made of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache: Option<super::cache::CacheBill>,
    /// The sum of the components of each kind (`input_cost`, …, `discount`).
    #[serde(flatten)]
    pub lines: Lines,
    /// The total.
    pub cost: Decimal,
    /// The components behind the lines, in the model's own currency (empty for a routed workload,
    /// whose legs keep theirs, and for a self-hosted estimate).
    #[serde(skip)]
    pub components: Vec<Component>,
    /// For a routed workload, each model's part; the lines above are their sums.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub route: Vec<LegCost>,
}

/// The tokens each request of a workload is billed for on a model, and why, where the model
/// bills the basis counts instead of its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Billed {
    /// The counts.
    pub size: super::tokens::Size,
    /// Set when the model's tokenizer has no figure for the workload's language.
    pub note: Option<String>,
}

/// The requests of a workload billed at one price tier.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierShare {
    /// The tier's threshold: it applies to requests above this many input tokens; `None` for the
    /// list price.
    pub above_input_tokens: Option<u64>,
    /// Share of the workload's requests billed at it.
    pub share: Decimal,
    /// Requests a month billed at it.
    pub requests: Decimal,
}

/// One model's part of a routed workload's bill.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LegCost {
    /// Model id.
    pub model: String,
    /// Share of the workload's requests sent to this model.
    pub share: Decimal,
    /// Share of the workload's requests whose final answer this model gives.
    pub answers: Decimal,
    /// Requests a month sent to this model.
    pub requests: Decimal,
    /// Input tokens each of those requests carries (the workload's plus any escalation overhead).
    pub input_tokens_per_request: u64,
    /// The tier threshold applied, if a tier was.
    pub tier_above_input_tokens: Option<u64>,
    /// This model's part of the bill, in the scenario currency.
    pub cost: Decimal,
    /// Its components, in the model's own currency.
    #[serde(skip)]
    pub components: Vec<Component>,
}

/// The bill for a whole scenario on one model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelCost {
    /// Model id.
    pub model: String,
    /// Scenario currency.
    pub currency: Currency,
    /// Per workload.
    pub workloads: Vec<WorkloadCost>,
    /// Sum of the workloads for the first month.
    pub monthly_cost: Decimal,
    /// Months in the horizon.
    pub horizon_months: u32,
    /// Sum over the horizon with growth.
    pub horizon_cost: Decimal,
}

/// Why a model cannot be priced for a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unpriced {
    /// A plain reason for the exclusion list.
    Reason(String),
}
