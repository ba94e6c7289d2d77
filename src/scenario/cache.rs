//! `[workload.cache]`: a prompt prefix shared by every request of a workload, how often it is
//! found in the vendor's cache, and how long an explicit cache is kept.
//!
//! This is the billed form of prompt caching: each model bills hits at its cache read price,
//! misses at its cache write price (or its input price), and storage per token-hour, and only
//! caches a prefix at least its `min_cacheable_tokens` long (see `cost::cache`). The simple form,
//! `cached_input_share`, bills a fixed share of the input at the read price with no write premium;
//! a workload uses one form or the other.

use super::range::Uncertain;
use crate::diag::KeyPath;
use crate::num::Num;
use crate::validate::Checker;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A `[workload.cache]` table exactly as written.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCache {
    /// Required: tokens of the shared prefix of every request (system prompt, tools, documents),
    /// part of `input_tokens`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prefix_tokens: Option<Num>,
    /// Required: share of requests that find the prefix cached, 0 to 1, or a range of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hit_rate: Option<Uncertain>,
    /// Hours a month an explicit cache is kept, for vendors that bill storage (default 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_hours_per_month: Option<Num>,
}

/// A workload's validated prompt cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cache {
    /// Tokens of the shared prefix of every request, at least 1.
    pub prefix_tokens: u64,
    /// Share of requests that find the prefix cached, 0 to 1.
    pub hit_rate: Decimal,
    /// Hours a month an explicit cache is kept, at least 0.
    pub storage_hours_per_month: Decimal,
}

impl Cache {
    /// The prefix a request of `input_tokens` can cache: the whole input at most. A file never
    /// sets a longer prefix (it is refused), but a sweep may vary the two apart.
    pub fn prefix_within(&self, input_tokens: u64) -> u64 {
        self.prefix_tokens.min(input_tokens)
    }
}

/// Checks `[workload.cache]` of the workload at `path`, whose average request has `input_tokens`
/// (when valid) and which may also set `cached_input_share`.
pub fn check(
    ck: &mut Checker,
    path: &KeyPath,
    name: &str,
    raw: RawCache,
    input_tokens: Option<u64>,
    cached_input_share: bool,
) -> Option<Cache> {
    let before = ck.diags.len();
    let cp = path.key("cache");
    if cached_input_share {
        ck.err(
            &path.key("cached_input_share"),
            format!("workload `{name}` sets both `cached_input_share` and [workload.cache]"),
            "keep one: cached_input_share is the simple form (a share of input at the cache read price); [workload.cache] bills hits, misses and storage as vendors do",
        );
    }
    let prefix_tokens = match raw.prefix_tokens {
        Some(n) => ck.whole(&cp.key("prefix_tokens"), n, 1),
        None => {
            ck.err(
                &cp,
                format!("[workload.cache] of workload `{name}` has no `prefix_tokens`"),
                "add prefix_tokens = <tokens of the prompt prefix every request shares>",
            );
            None
        }
    };
    let hit_rate = match raw.hit_rate {
        // A range was checked and replaced by its point (`super::forecast`).
        Some(u) => ck.fraction(&cp.key("hit_rate"), u.point()),
        None => {
            ck.err(
                &cp,
                format!("[workload.cache] of workload `{name}` has no `hit_rate`"),
                "add hit_rate = <share of requests that find the prefix cached, 0 to 1>",
            );
            None
        }
    };
    let storage_hours_per_month = raw
        .storage_hours_per_month
        .and_then(|n| ck.non_negative(&cp.key("storage_hours_per_month"), n))
        .unwrap_or_default();
    if let (Some(p), Some(i)) = (prefix_tokens, input_tokens) {
        if p > i {
            ck.err(
                &cp.key("prefix_tokens"),
                format!("the cached prefix of workload `{name}` is {p} tokens, longer than its {i} input tokens"),
                "the prefix is part of each request's input: make prefix_tokens at most input_tokens",
            );
        }
    }
    if ck.diags.len() > before {
        return None;
    }
    Some(Cache {
        prefix_tokens: prefix_tokens?,
        hit_rate: hit_rate?,
        storage_hours_per_month,
    })
}
