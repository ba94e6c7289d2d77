//! Importing other catalogues as profile files, so that the planner can price and rank models it
//! does not ship with.
//!
//! An importer maps only what it can map exactly and counts everything else by reason; it never
//! fills a gap with a guess. Its output is ordinary profile TOML that `--profiles DIR` loads.

pub mod archive;
pub mod imported;
pub mod inherit;
pub mod json;
pub mod litellm;
pub mod models_dev;
pub mod profile_text;

/// Catalogue formats `llmplan import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImportFormat {
    /// LiteLLM's `model_prices_and_context_window.json` (USD per token).
    Litellm,
    /// A models.dev snapshot: a `.tar.gz` of the repository, or its unpacked tree.
    ModelsDev,
}
