//! The documents of the commands that read the catalogue and the files rather than price a
//! scenario: `benchmarks`, `check` and `throughput`.

use super::value::{Approx, Exact};
use schemars::JsonSchema;
use serde::Serialize;

/// `benchmarks --format json`: one entry per benchmark of the registry.
pub type BenchmarksReport = Vec<BenchmarkEntry>;

/// A benchmark: its scale, direction and chance level, and the models that report it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BenchmarkEntry {
    /// Benchmark id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// What it measures.
    pub domain: String,
    /// A sentence on it.
    pub description: String,
    /// The bottom of its scale.
    pub min: Exact,
    /// The top of its scale.
    pub max: Exact,
    /// Whether a higher score is better.
    pub higher_is_better: bool,
    /// What guessing earns; null when it has no guessing level.
    pub chance: Option<Exact>,
    /// Why the chance level is what it is.
    pub chance_reason: Option<String>,
    /// The models that report it.
    pub models: Vec<String>,
}

/// `check --format json` when every file passes (a failing check prints diagnostics instead).
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckReport {
    /// Always true: a failing check exits 2 and prints no document.
    #[schemars(extend("const" = true))]
    pub ok: bool,
    /// Each file checked.
    pub files: Vec<CheckedFile>,
}

/// A file that passed.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckedFile {
    /// Its path as given.
    pub file: String,
    /// What it was read as.
    #[schemars(extend("enum" = ["scenario", "profile", "benchmark registry", "exchange rates", "hardware", "tokenizers"]))]
    pub kind: &'static str,
}

/// `throughput --format json`: one replica's estimated memory, speed and latency for a static
/// batch. Every figure is an estimate.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ThroughputReport {
    /// Model id.
    pub model: String,
    /// Accelerator id.
    pub gpu: String,
    /// GPUs in the replica.
    pub gpus: u64,
    /// Weight precision.
    pub precision: &'static str,
    /// Key/value cache precision.
    pub kv_precision: &'static str,
    /// Requests in the batch.
    pub batch: u64,
    /// Prompt tokens per request.
    pub input_tokens: u64,
    /// Reply tokens per request.
    pub output_tokens: u64,
    /// Weights, GB.
    pub weights_gb: Approx,
    /// The batch's key/value cache, GB.
    pub kv_cache_gb: Approx,
    /// Whether weights and cache fit the replica's memory.
    pub fits: bool,
    /// Prompt tokens a second.
    pub prefill_tokens_per_s: Approx,
    /// Generated tokens a second while decoding.
    pub decode_tokens_per_s: Approx,
    /// Output tokens a second over the whole batch run.
    pub output_tokens_per_s: Approx,
    /// The same, per GPU.
    pub output_tokens_per_s_per_gpu: Approx,
    /// Time to first token, ms.
    pub time_to_first_token_ms: Approx,
    /// Time per output token, ms.
    pub time_per_output_token_ms: Approx,
}
