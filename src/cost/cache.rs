//! Prompt caching as vendors bill it: the quantities of a workload's `[workload.cache]` on a model.
//!
//! For R requests a month of I input tokens each, a shared prefix of P tokens (at most I), a hit
//! rate h and H storage hours a month, on a model that caches the prefix (I and P are the tokens
//! the model bills: the workload's basis tokens converted with its tokenizer, see
//! [`super::quantity`]; with a distribution of sizes each tier's part caches its requests'
//! prefix, at most that part's input, and storage is counted once):
//!
//! - prefix tokens = R × P; of which read from the cache (hits) = R × P × h, billed at the cache
//!   read price (`cached_input`), and written to it (misses) = R × P − hits, billed at the cache
//!   write price (`cache_write`), or at the input price where the model has none;
//! - the rest of the input, R × I − R × P, at the input price;
//! - storage = P × H token-hours, at `cache_storage_per_mtok_hour` (no line where the model does
//!   not bill storage).
//!
//! A model caches the prefix when it has a cache read price (its own, a tier's or an override's)
//! and P is at least its `min_cacheable_tokens`. Otherwise the whole input bills at the input
//! price, nothing is stored, and the bill says why ([`Status`]). This is the one place the rule
//! is written: the bill and the sweep's fast path both count through [`super::quantity`], which
//! calls it.

use super::quantity::{Count, Overflow, Volumes};
use crate::scenario::cache::Cache;
use rust_decimal::Decimal;
use serde::Serialize;

/// What a model makes of a workload's cached prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Status {
    /// The prefix is cached: hits, misses and storage are billed.
    Cached,
    /// The prefix is shorter than the model caches: the whole input bills at the input price.
    BelowMinimum {
        /// The prefix a request can cache.
        prefix_tokens: u64,
        /// The model's `min_cacheable_tokens`.
        min_cacheable_tokens: u64,
    },
    /// The model has no cache prices: the whole input bills at the input price.
    NoCachePrices,
}

impl Status {
    /// Whether the prefix is billed as cached.
    pub fn cached(self) -> bool {
        self == Status::Cached
    }

    /// A sentence for the notes of `cost`, or `None` when the prefix is cached.
    pub fn note(self, workload: &str, model: &str) -> Option<String> {
        match self {
            Status::Cached => None,
            Status::BelowMinimum {
                prefix_tokens,
                min_cacheable_tokens,
            } => Some(format!(
                "Workload `{workload}`: its cached prefix of {prefix_tokens} tokens is below the {min_cacheable_tokens} tokens {model} caches, so the whole input bills at the input price."
            )),
            Status::NoCachePrices => Some(format!(
                "Workload `{workload}`: {model} has no prompt-cache prices, so its cached prefix bills as plain input at the input price."
            )),
        }
    }
}

/// How a model caches: the shortest prefix it caches, when it has cache prices at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Caching {
    /// `Some(min_cacheable_tokens)` (0 when the profile sets none) for a model with a cache read
    /// price; `None` for a model without.
    pub min_tokens: Option<u64>,
}

impl Caching {
    /// What the model makes of a cached prefix of `prefix_tokens` a request, in its own tokens.
    pub fn status(self, prefix_tokens: u64) -> Status {
        match self.min_tokens {
            None => Status::NoCachePrices,
            Some(min) if prefix_tokens < min => Status::BelowMinimum {
                prefix_tokens,
                min_cacheable_tokens: min,
            },
            Some(_) => Status::Cached,
        }
    }
}

/// The volumes of a workload (or of one tier's part of it) whose prefix is cached: `plain` (with
/// nothing cached: requests, input and output) with its hits, misses and storage filled in, for
/// `prefix_tokens` prefix tokens in all and `stored` tokens kept in the cache.
pub fn cached_volumes<N: Count>(
    plain: &Volumes<N>,
    cache: &Cache,
    prefix_tokens: N,
    stored: u64,
) -> Result<Volumes<N>, Overflow> {
    let whole = |n, what| N::whole(n).ok_or(Overflow(what));
    let hit_rate = N::of(cache.hit_rate).ok_or(Overflow("cache hits"))?;
    let hours = N::of(cache.storage_hours_per_month).ok_or(Overflow("cache storage"))?;
    let hits = prefix_tokens
        .times(hit_rate)
        .ok_or(Overflow("cache hits"))?;
    Ok(Volumes {
        cached_input_tokens: hits,
        cache_write_tokens: prefix_tokens.minus(hits).ok_or(Overflow("cache writes"))?,
        cache_storage_token_hours: whole(stored, "cache storage")?
            .times(hours)
            .ok_or(Overflow("cache storage"))?,
        ..*plain
    })
}

/// The prompt-cache part of a bill, as `cost` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CacheBill {
    /// What the model made of the prefix.
    #[serde(flatten)]
    pub status: Status,
    /// Tokens a month written to the cache (misses).
    pub cache_write_tokens: Decimal,
    /// Token-hours a month of cache storage.
    pub cache_storage_token_hours: Decimal,
}

#[cfg(test)]
#[path = "cache_tests.rs"]
mod tests;
