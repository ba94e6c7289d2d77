//! Scenario files exactly as written, before validation. Field names are the file format.

use super::forecast::{RawForecast, RawSchedule};
use super::range::Uncertain;
use crate::catalogue::vocab::{Capability, KvPrecision, Modality, Precision, Status};
use crate::num::Num;
pub use crate::scenario::distribution::{RawDistribution, RawTokens};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A scenario file.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    /// Required: what the scenario is called.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Free text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Currency of every reported amount (default USD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Days in a billing month, 1–31 (default 30).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_per_month: Option<Num>,
    /// Months in the horizon (default 12).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub horizon_months: Option<Num>,
    /// Month-on-month volume growth as a fraction (default 0), or a range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monthly_growth: Option<Uncertain>,
    /// The workloads.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub workload: Vec<RawWorkload>,
    /// Hard requirements.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requirements: Option<RawRequirements>,
    /// How fit is scored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fit: Option<RawFit>,
    /// Exchange rates, discounts and negotiated prices.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pricing: Option<RawPricing>,
    /// Ordering.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<RawRank>,
    /// Self-hosted candidates: open-weight models served on rented GPUs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selfhost: Option<RawSelfhost>,
    /// Trials and seed of a forecast with ranges.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub forecast: Option<RawForecast>,
}

// Numbers and strings that most workloads leave out are kept behind a pointer, since every table
// is held as read until the scenario is checked.
/// A `[[workload]]` table.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawWorkload {
    /// Name, unique in the scenario.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Requests a day, or a range; exactly one of this and `requests_per_month`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requests_per_day: Option<Box<Uncertain>>,
    /// Requests a month, or a range.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requests_per_month: Option<Box<Uncertain>>,
    /// Input tokens a request: a number, `{ p50, p95, max? }` or `{ buckets = [[tokens, share], …] }`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_tokens: Option<RawTokens>,
    /// Output tokens a request: a number or a distribution, as `input_tokens`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_tokens: Option<RawTokens>,
    /// Fraction of input tokens served from a prompt cache.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cached_input_share: Option<Box<Num>>,
    /// Fraction of requests sent through a batch API.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch_share: Option<Box<Num>>,
    /// `[workload.cache]`: a prompt prefix cached as vendors bill it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache: Option<Box<super::cache::RawCache>>,
    /// Largest prompt plus output that must fit.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context_tokens: Option<Num>,
    /// Images to generate a month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub images_per_month: Option<Box<Num>>,
    /// Seconds of video to generate a month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub video_seconds_per_month: Option<Box<Num>>,
    /// `[workload.route]`: a fixed share of requests for each model id; the shares (a range's
    /// median) sum to 1, and a range is renormalised in each trial of a forecast.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub route: Option<super::raw_route::RawRoute>,
    /// `[workload.cascade]`: try the first model, escalate a share of requests to the next.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cascade: Option<Box<RawCascade>>,
    /// ISO 639-1 code of the requests' text, such as `zh`: each model then bills the token counts
    /// converted to its own tokenizer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<Box<str>>,
    /// The tokenizer `input_tokens` and `output_tokens` were measured with (default
    /// `cl100k_base`); needs `language`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_basis: Option<Box<str>>,
    /// Average input characters a request, instead of `input_tokens`; needs `language`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input_chars: Option<Box<Num>>,
    /// Average output characters a request, instead of `output_tokens`; needs `language`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output_chars: Option<Box<Num>>,
    /// Images read with each request, billed as input tokens by each model's image rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub images_per_request: Option<Box<Num>>,
    /// Size of each image, `"<width>x<height>"` in pixels, such as `"1024x1024"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image_size: Option<Box<str>>,
}

/// A `[workload.cascade]` table.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCascade {
    /// Model ids, cheapest first: every request goes to the first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub models: Vec<String>,
    /// `escalation[i]`: the share of all the workload's requests that reach `models[i + 1]`; a
    /// number or a range.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub escalation: Vec<Uncertain>,
    /// Extra input tokens an escalated request carries to each later model (default 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub escalation_overhead_tokens: Option<Num>,
}

/// The `[requirements]` table.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRequirements {
    /// Smallest acceptable context window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_context_tokens: Option<Num>,
    /// Share of requests that must fit a model's window when request sizes vary (default 0.99).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context_percentile: Option<Num>,
    /// Input modalities the model must read.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modalities: Vec<Modality>,
    /// Output modalities the model must write.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub output_modalities: Vec<Modality>,
    /// Capabilities the model must have.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capabilities: Vec<Capability>,
    /// Languages the model must support.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<String>,
    /// Require (true) or forbid (false) open weights.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_weights: Option<bool>,
    /// Only these vendors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub vendors: Vec<String>,
    /// Never these vendors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_vendors: Vec<String>,
    /// Never these models.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_models: Vec<String>,
    /// Floors on benchmark values, on each benchmark's printed scale.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub min_scores: BTreeMap<String, Num>,
    /// Budget per month in the scenario currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_monthly_cost: Option<Num>,
    /// Statuses that may be bought (default ga and preview).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub statuses: Option<Vec<Status>>,
    /// What a model with no score for a `min_scores` benchmark gets: excluded (the default), or
    /// kept and flagged as unverified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_scores_missing: Option<FloorPolicy>,
}

/// What a `min_scores` floor does to a model that has no score for its benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FloorPolicy {
    /// The model is excluded: no evidence, no purchase (the default).
    #[default]
    Exclude,
    /// The model is kept, and the report flags it as unverified against the floor.
    Allow,
}

/// The `[fit]` table.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFit {
    /// Benchmark id to weight (registry ids; a custom eval sets its own `weight`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub weights: BTreeMap<String, Num>,
    /// What a weighted benchmark the model has no score for becomes (default `impute`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing: Option<MissingPolicy>,
    /// The least fit coverage (observed weight ÷ total weight, 0–1) a model needs for a fit;
    /// below it the fit is unknown. Default 0: any observed score anywhere is enough to impute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_coverage: Option<Num>,
    /// `[[fit.custom]]`: your own evals, weighted next to the registry's benchmarks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub custom: Vec<RawCustomEval>,
}

/// A `[[fit.custom]]` table: an eval of your own, with its scores.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCustomEval {
    /// Required: lowercase letters, digits, `-` and `_`; must not be a registry id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Display name (default: the id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Worst value of the scale (default 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min: Option<Num>,
    /// Required: best value of the scale (worst where lower is better).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<Num>,
    /// False where a lower score is better (default true).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub higher_is_better: Option<bool>,
    /// The score guessing earns (default: the worst end of the scale).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chance: Option<Num>,
    /// Weight in the fit, next to `[fit] weights` (default 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<Num>,
    /// Scores by model id, on the eval's own scale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scores: Option<BTreeMap<String, Num>>,
    /// Or a CSV file of them (header `model,score`), relative to the scenario file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scores_file: Option<String>,
}

/// What a weighted benchmark that a model has no score for becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MissingPolicy {
    /// Estimated from the model's observed scores on other benchmarks, labelled as an estimate
    /// with its uncertainty (the default).
    #[default]
    Impute,
    /// Counts as 0, the chance level: unknown quality is not rewarded.
    Zero,
    /// Left out; the remaining weights are rescaled.
    Skip,
    /// The model is excluded.
    Exclude,
}

impl MissingPolicy {
    /// As written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            MissingPolicy::Impute => "impute",
            MissingPolicy::Zero => "zero",
            MissingPolicy::Skip => "skip",
            MissingPolicy::Exclude => "exclude",
        }
    }
}

/// The `[pricing]` table.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPricing {
    /// Units per 1 USD, overriding the catalogue.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fx: BTreeMap<String, Num>,
    /// Fraction off list price, by vendor id or model id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub discounts: BTreeMap<String, Num>,
    /// Negotiated prices by model id.
    #[serde(
        default,
        rename = "override",
        skip_serializing_if = "BTreeMap::is_empty"
    )]
    pub overrides: BTreeMap<String, RawOverride>,
    /// `[[pricing.schedule]]`: a model's price from a month of the horizon on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub schedule: Vec<RawSchedule>,
    /// Price change per year by vendor or model id, compounding monthly; a number or a range.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub change_per_year: BTreeMap<String, Uncertain>,
}

/// A `[pricing.override."<model id>"]` table.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawOverride {
    /// Per 1M input tokens, in the vendor's currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Num>,
    /// Per 1M output tokens, in the vendor's currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Num>,
    /// Per 1M cached input tokens, in the vendor's currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cached_input: Option<Num>,
    /// Per 1M tokens written to a prompt cache, in the vendor's currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache_write: Option<Num>,
}

/// The `[rank]` table.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRank {
    /// How candidates are ordered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objective: Option<Objective>,
    /// How many ranked rows to show.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub top: Option<Num>,
    /// The balanced objective's exchange rate: fit points a tenfold dearer model must gain to
    /// break even (default 25, from 1 to 100).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points_per_tenfold: Option<Num>,
}

/// How candidates are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// Lowest monthly cost first; higher fit breaks ties.
    Cheapest,
    /// Highest fit first; lower cost breaks ties.
    BestFit,
    /// Fit and cost together; see the README for the formula.
    #[default]
    Balanced,
}

impl Objective {
    /// As written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Objective::Cheapest => "cheapest",
            Objective::BestFit => "best_fit",
            Objective::Balanced => "balanced",
        }
    }
}

/// The `[selfhost]` table.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSelfhost {
    /// Accelerator ids from `profiles/hardware.toml` to try; omit to try every one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gpus: Vec<String>,
    /// Offer consumer cards such as the RTX 4090 too (default false).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allow_consumer_gpus: Option<bool>,
    /// Weight precision: bf16, fp8, int8 or int4 (default bf16).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
    /// Key/value cache precision: bf16 or fp8 (default bf16).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kv_precision: Option<KvPrecision>,
    /// Share of a replica's estimated throughput to plan on using, above 0 and at most 1 (default 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub utilization: Option<Num>,
    /// Replicas kept running however low the traffic (default 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_replicas: Option<Num>,
    /// Replicas added on top of those the peak needs, for redundancy (default 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spare_replicas: Option<Num>,
    /// Peak load ÷ average load; replicas are sized for the peak (default 1, at least 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peak_to_average: Option<Num>,
    /// Most sequences a replica decodes together (default 256).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_batch: Option<Num>,
    /// Older name of `max_batch`, still read as the cap on the batch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch: Option<Num>,
    /// Share of GPU memory kept for the runtime, not weights or cache (default 0.1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime_reserve: Option<Num>,
    /// Longest acceptable wait for the first token, milliseconds; caps the batch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_time_to_first_token_ms: Option<Num>,
    /// Slowest acceptable output speed each user sees, tokens a second; caps the batch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_output_tokens_per_s_per_user: Option<Num>,
    /// Hours a GPU is paid for in a month (default 730).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hours_per_month: Option<Num>,
    /// Negotiated USD per GPU-hour by accelerator id, replacing the catalogue price.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub gpu_hourly_price: BTreeMap<String, Num>,
}
