//! The profile files exactly as written, before validation.
//!
//! These types mirror `docs/profile-format.md` field for field. They only parse; every rule that
//! relates fields to each other lives in `catalogue::validate`.

use super::vocab::{Capability, Modality, Precision, Status};
use crate::num::Num;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A vendor profile file.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProfile {
    /// The vendor table.
    pub vendor: RawVendor,
    /// The vendor's models.
    #[serde(default)]
    pub model: Vec<RawModel>,
}

/// The `[vendor]` table.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawVendor {
    /// Lowercase vendor id, the prefix of every model id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// ISO 3166 alpha-2 country code.
    pub country: String,
    /// ISO 4217 code of every price in the file.
    pub currency: String,
}

/// A `[[model]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawModel {
    /// `"<vendor>/<slug>"`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Other names the vendor gives this model, such as the dated snapshot
    /// `claude-3-haiku-20240307`: any command taking a model id accepts them.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The tier ladder the model belongs to, such as `claude-3`.
    pub family: Option<String>,
    /// Release date, `YYYY-MM-DD` or `YYYY-MM`.
    pub released: Option<String>,
    /// Whether it can be bought.
    pub status: Status,
    /// Prompt plus output, in tokens.
    pub context_window: Option<Num>,
    /// Longest output, in tokens.
    pub max_output_tokens: Option<Num>,
    /// Longest prompt, in tokens, where the vendor limits it below the context window.
    pub max_input_tokens: Option<Num>,
    /// What it reads.
    #[serde(default)]
    pub input_modalities: Vec<Modality>,
    /// What it writes.
    #[serde(default)]
    pub output_modalities: Vec<Modality>,
    /// API features.
    #[serde(default)]
    pub capabilities: Vec<Capability>,
    /// ISO 639-1 language codes.
    #[serde(default)]
    pub languages: Vec<String>,
    /// Whether the weights are published.
    #[serde(default)]
    pub open_weights: bool,
    /// Licence name.
    pub license: Option<String>,
    /// Total parameters, billions.
    pub params_b: Option<Num>,
    /// Parameters active per token, billions.
    pub active_params_b: Option<Num>,
    /// Why there is no price, or what is uncertain about it.
    pub price_note: Option<String>,
    /// Where facts other than prices and benchmarks came from, by field name.
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    /// List prices.
    pub price: Option<RawPrice>,
    /// Benchmark results.
    #[serde(default)]
    pub benchmarks: Vec<RawScore>,
    /// Self-hosting facts, for open-weight models.
    pub serving: Option<RawServing>,
    /// The tokenizer it bills text with.
    pub tokenizer: Option<super::tokenizer::RawModelTokenizer>,
    /// How it counts the tokens of an image it reads.
    pub image_input: Option<super::image_input::RawImageInput>,
}

/// A `[model.price]` table.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPrice {
    /// Per 1M input tokens.
    pub input: Option<Num>,
    /// Per 1M output tokens.
    pub output: Option<Num>,
    /// Per 1M cached input tokens: the cache read price.
    pub cached_input: Option<Num>,
    /// Per 1M tokens written to a prompt cache on a miss (absent: the input price).
    pub cache_write: Option<Num>,
    /// The shortest prefix, in tokens, the vendor caches (absent: no minimum).
    pub min_cacheable_tokens: Option<Num>,
    /// Per 1M tokens kept in an explicit cache for one hour.
    pub cache_storage_per_mtok_hour: Option<Num>,
    /// Date the cache prices were read, when later than `as_of`.
    pub cache_as_of: Option<String>,
    /// Where the cache prices were read, when not `source`.
    pub cache_source: Option<String>,
    /// Fraction off a whole batch request.
    pub batch_discount: Option<Num>,
    /// Per generated image.
    pub per_image: Option<Num>,
    /// Per second of generated video.
    pub per_video_second: Option<Num>,
    /// Date the price was read.
    pub as_of: Option<String>,
    /// Where it was read.
    pub source: Option<String>,
    /// Long-prompt tiers.
    #[serde(default)]
    pub tiers: Vec<RawTier>,
    /// Subscription plans.
    #[serde(default)]
    pub plans: Vec<RawPlan>,
}

/// A `[[model.price.tiers]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTier {
    /// The tier applies when a request's input tokens exceed this.
    pub above_input_tokens: Num,
    /// Per 1M input tokens.
    pub input: Num,
    /// Per 1M output tokens.
    pub output: Num,
    /// Per 1M cached input tokens.
    pub cached_input: Option<Num>,
    /// Per 1M tokens written to a prompt cache on a miss.
    pub cache_write: Option<Num>,
}

/// A `[[model.price.plans]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPlan {
    /// Plan name.
    pub name: String,
    /// Price per month.
    pub monthly: Num,
    /// Images included per month.
    pub images: Option<Num>,
    /// Seconds of video included per month.
    pub video_seconds: Option<Num>,
}

/// A `[[model.benchmarks]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawScore {
    /// Registered benchmark id.
    pub id: String,
    /// The value on the scale the source prints.
    pub value: Num,
    /// Shots, prompting or split, as printed.
    pub setting: Option<String>,
    /// Where the value was read.
    pub source: Option<String>,
    /// The catalogue model this score was copied from, for an imported snapshot or re-host of it.
    pub inherited_from: Option<String>,
}

/// A `[model.serving]` table.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawServing {
    /// Transformer layers.
    pub layers: Num,
    /// Model width.
    pub hidden_size: Num,
    /// Key/value heads (fewer than attention heads under GQA).
    pub kv_heads: Num,
    /// Size of one head.
    pub head_dim: Num,
    /// Weight precisions the model is published or commonly served in.
    #[serde(default)]
    pub precisions: Vec<Precision>,
    /// Mixture of experts: experts in each MoE layer (omit for a dense model).
    pub experts: Option<Num>,
    /// Mixture of experts: experts each token is routed to.
    pub experts_per_token: Option<Num>,
    /// Where these facts were read.
    pub source: Option<String>,
}

/// `profiles/benchmarks.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRegistry {
    /// The benchmarks.
    #[serde(default)]
    pub benchmark: Vec<RawBenchmark>,
}

/// A `[[benchmark]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawBenchmark {
    /// Lowercase snake_case id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Area it measures.
    pub domain: String,
    /// What it is and how its scale was chosen.
    #[serde(default)]
    pub description: String,
    /// Worst value of the scale.
    pub min: Num,
    /// Best value of the scale.
    pub max: Num,
    /// False for scores such as FVD where lower is better.
    #[serde(default = "yes")]
    pub higher_is_better: bool,
    /// The value guessing earns (25 for four-option multiple choice, 0 for a free-form answer):
    /// scores are normalised from it, so chance-level work counts as 0. Unset: the worst end of
    /// the scale.
    #[serde(default)]
    pub chance: Option<Num>,
    /// Why `chance` has its value, or why it is left unset: the answer format it follows from.
    #[serde(default)]
    pub chance_reason: Option<String>,
}

fn yes() -> bool {
    true
}

/// `profiles/fx.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFx {
    /// Date of the rates.
    pub as_of: String,
    /// Where they were read.
    pub source: String,
    /// Units of each currency per 1 USD.
    #[serde(default)]
    pub rates: BTreeMap<String, Num>,
    /// Free-text remarks.
    pub note: Option<String>,
}

/// `profiles/hardware.toml`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHardware {
    /// The accelerators.
    #[serde(default)]
    pub accelerator: Vec<RawAccelerator>,
    /// How far real serving engines fall short of peak rates, measured.
    pub calibration: Option<RawCalibration>,
}

/// The `[calibration]` table of a hardware file.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCalibration {
    /// Share of peak tensor FLOP/s that prefill (and compute-bound decode) reaches.
    pub prefill_efficiency: RawFactor,
    /// Share of peak memory bandwidth that decode reaches.
    pub decode_bandwidth_efficiency: RawFactor,
    /// Measured speed-ups of tensor-parallel groups over one GPU.
    pub tensor_parallel: RawTensorParallel,
}

/// A calibrated factor and where it came from.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFactor {
    /// The factor, above 0 and at most 1.
    pub value: Num,
    /// Where it was measured or how it was fitted.
    pub source: Option<String>,
}

/// `[calibration.tensor_parallel]`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawTensorParallel {
    /// Speed-up over one GPU by group size: keys "2", "4" and "8".
    pub speedup: BTreeMap<String, Num>,
    /// Where the speed-ups were measured.
    pub source: Option<String>,
}

/// An `[[accelerator]]` entry.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAccelerator {
    /// Lowercase id such as `h100-sxm`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Memory on the card, GB.
    pub memory_gb: Num,
    /// Memory bandwidth, TB/s.
    pub bandwidth_tbs: Num,
    /// Dense bf16 tensor rate, TFLOP/s.
    pub bf16_tflops: Num,
    /// Dense fp8 tensor rate, TFLOP/s, where the GPU has one.
    pub fp8_tflops: Option<Num>,
    /// Dense int8 tensor rate, TOP/s, where the GPU has one.
    pub int8_tops: Option<Num>,
    /// A consumer card (GeForce): offered only when a scenario sets `allow_consumer_gpus`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub consumer: bool,
    /// Where the specifications were read.
    pub source: Option<String>,
    /// The on-demand price; omit when none can be sourced.
    pub price: Option<RawHourlyPrice>,
}

/// An `[accelerator.price]` table.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawHourlyPrice {
    /// USD per GPU-hour.
    pub hourly: Num,
    /// Date the price was read.
    pub as_of: Option<String>,
    /// Where it was read.
    pub source: Option<String>,
}
