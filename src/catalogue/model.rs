//! Validated catalogue entries: what the engine prices and ranks.

use super::vocab::{Capability, Modality, Precision, Status};
use crate::money::Currency;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// A model ready to be priced and ranked. Field names follow the profile format.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Model {
    /// `"<vendor>/<slug>"`.
    pub id: String,
    /// The vendor id.
    pub vendor: String,
    /// Display name.
    pub name: String,
    /// Other names the vendor gives the model (dated snapshots), without the vendor prefix.
    pub aliases: Vec<String>,
    /// Tier ladder.
    pub family: Option<String>,
    /// Release date.
    pub released: Option<String>,
    /// Whether it can be bought.
    pub status: Status,
    /// Prompt plus output, in tokens.
    pub context_window: Option<u64>,
    /// Longest output, in tokens.
    pub max_output_tokens: Option<u64>,
    /// Longest prompt, in tokens, where it is below the context window.
    pub max_input_tokens: Option<u64>,
    /// What it reads.
    pub input_modalities: Vec<Modality>,
    /// What it writes.
    pub output_modalities: Vec<Modality>,
    /// API features.
    pub capabilities: Vec<Capability>,
    /// Language codes.
    pub languages: Vec<String>,
    /// Whether the weights are published.
    pub open_weights: bool,
    /// Licence.
    pub license: Option<String>,
    /// Total parameters, billions.
    #[schemars(with = "Option<crate::num::DecimalText>")]
    pub params_b: Option<Decimal>,
    /// Active parameters per token, billions.
    #[schemars(with = "Option<crate::num::DecimalText>")]
    pub active_params_b: Option<Decimal>,
    /// The currency of every price.
    pub currency: Currency,
    /// List prices, if public.
    pub price: Option<Price>,
    /// Why there is no price, or its caveats.
    pub price_note: Option<String>,
    /// Benchmark results.
    pub benchmarks: Vec<Score>,
    /// Sources of other facts, by field.
    pub sources: BTreeMap<String, String>,
    /// Self-hosting facts.
    pub serving: Option<Serving>,
    /// The tokenizer it bills text with, if known.
    pub tokenizer: Option<super::tokenizer::Tokenizer>,
    /// How it counts the tokens of an image it reads, if it reads images.
    pub image_input: Option<super::image_input::ImageInput>,
    /// The file the model came from.
    #[serde(skip)]
    pub origin: String,
}

impl Model {
    /// Whether the model accepts this input modality.
    pub fn reads(&self, m: Modality) -> bool {
        self.input_modalities.contains(&m)
    }

    /// Whether the model produces this output modality.
    pub fn writes(&self, m: Modality) -> bool {
        self.output_modalities.contains(&m)
    }
}

/// A model's list prices, in its vendor's currency.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Price {
    /// Per 1M input tokens.
    #[schemars(with = "Option<crate::num::DecimalText>")]
    pub input: Option<Decimal>,
    /// Per 1M output tokens.
    #[schemars(with = "Option<crate::num::DecimalText>")]
    pub output: Option<Decimal>,
    /// Per 1M cached input tokens: the cache read price.
    #[schemars(with = "Option<crate::num::DecimalText>")]
    pub cached_input: Option<Decimal>,
    /// The other prompt-caching terms: write and storage prices, minimum prefix, their date.
    #[serde(flatten)]
    pub cache: super::cache::CacheTerms,
    /// Fraction off a whole batch request.
    #[schemars(with = "Option<crate::num::DecimalText>")]
    pub batch_discount: Option<Decimal>,
    /// Per generated image.
    #[schemars(with = "Option<crate::num::DecimalText>")]
    pub per_image: Option<Decimal>,
    /// Per second of generated video.
    #[schemars(with = "Option<crate::num::DecimalText>")]
    pub per_video_second: Option<Decimal>,
    /// Long-prompt tiers, ascending by threshold.
    pub tiers: Vec<Tier>,
    /// Subscription plans.
    pub plans: Vec<Plan>,
    /// Date read.
    pub as_of: String,
    /// Where read.
    pub source: String,
}

impl Price {
    /// Whether the model is priced per token.
    pub fn has_token_prices(&self) -> bool {
        self.input.is_some() && self.output.is_some()
    }
}

/// A long-prompt price tier.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Tier {
    /// Applies when a request's input tokens exceed this.
    pub above_input_tokens: u64,
    /// Per 1M input tokens.
    #[schemars(with = "crate::num::DecimalText")]
    pub input: Decimal,
    /// Per 1M output tokens.
    #[schemars(with = "crate::num::DecimalText")]
    pub output: Decimal,
    /// Per 1M cached input tokens.
    #[schemars(with = "Option<crate::num::DecimalText>")]
    pub cached_input: Option<Decimal>,
    /// Per 1M tokens written to a prompt cache on a miss.
    #[schemars(with = "Option<crate::num::DecimalText>")]
    pub cache_write: Option<Decimal>,
}

/// A subscription plan for media models.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Plan {
    /// Plan name.
    pub name: String,
    /// Price per month.
    #[schemars(with = "crate::num::DecimalText")]
    pub monthly: Decimal,
    /// Images included per month.
    #[schemars(with = "Option<crate::num::DecimalText>")]
    pub images: Option<Decimal>,
    /// Seconds of video included per month.
    #[schemars(with = "Option<crate::num::DecimalText>")]
    pub video_seconds: Option<Decimal>,
}

/// One benchmark result.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Score {
    /// Registered benchmark id.
    pub id: String,
    /// Value on the source's scale.
    #[schemars(with = "crate::num::DecimalText")]
    pub value: Decimal,
    /// Shots, prompting or split.
    pub setting: String,
    /// Where it was read.
    pub source: String,
    /// The catalogue model it was copied from, when an imported snapshot or re-host inherited
    /// it; `None` for a score measured on this model.
    pub inherited_from: Option<String>,
}

/// Architecture facts for self-hosting estimates.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Serving {
    /// Transformer layers.
    pub layers: u64,
    /// Model width.
    pub hidden_size: u64,
    /// Key/value heads.
    pub kv_heads: u64,
    /// Size of one head.
    pub head_dim: u64,
    /// Supported weight precisions.
    pub precisions: Vec<Precision>,
    /// Mixture-of-experts routing, for a sparse model.
    pub moe: Option<Moe>,
    /// Where read.
    pub source: String,
}

/// Mixture-of-experts routing: every expert is resident in memory, each token uses a few.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct Moe {
    /// Experts in each MoE layer.
    pub experts: u64,
    /// Experts each token is routed to.
    pub per_token: u64,
}

/// A vendor.
#[derive(Debug, Clone, Serialize)]
pub struct Vendor {
    /// Lowercase id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Country code.
    pub country: String,
    /// Currency of its prices.
    pub currency: Currency,
}
