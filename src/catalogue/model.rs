//! Validated catalogue entries: what the engine prices and ranks.

use super::vocab::{Capability, Modality, Precision, Status};
use crate::money::Currency;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// A model ready to be priced and ranked. Field names follow the profile format.
#[derive(Debug, Clone, Serialize)]
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
    pub params_b: Option<Decimal>,
    /// Active parameters per token, billions.
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
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Price {
    /// Per 1M input tokens.
    pub input: Option<Decimal>,
    /// Per 1M output tokens.
    pub output: Option<Decimal>,
    /// Per 1M cached input tokens: the cache read price.
    pub cached_input: Option<Decimal>,
    /// The other prompt-caching terms: write and storage prices, minimum prefix, their date.
    #[serde(flatten)]
    pub cache: super::cache::CacheTerms,
    /// Fraction off a whole batch request.
    pub batch_discount: Option<Decimal>,
    /// Per generated image.
    pub per_image: Option<Decimal>,
    /// Per second of generated video.
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
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Tier {
    /// Applies when a request's input tokens exceed this.
    pub above_input_tokens: u64,
    /// Per 1M input tokens.
    pub input: Decimal,
    /// Per 1M output tokens.
    pub output: Decimal,
    /// Per 1M cached input tokens.
    pub cached_input: Option<Decimal>,
    /// Per 1M tokens written to a prompt cache on a miss.
    pub cache_write: Option<Decimal>,
}

/// A subscription plan for media models.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Plan {
    /// Plan name.
    pub name: String,
    /// Price per month.
    pub monthly: Decimal,
    /// Images included per month.
    pub images: Option<Decimal>,
    /// Seconds of video included per month.
    pub video_seconds: Option<Decimal>,
}

/// One benchmark result.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Score {
    /// Registered benchmark id.
    pub id: String,
    /// Value on the source's scale.
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
#[derive(Debug, Clone, Serialize, PartialEq)]
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
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
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
