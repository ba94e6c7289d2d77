//! The prompt-caching terms of a model's price: the cache write price, the shortest prefix the
//! vendor caches, the storage price of an explicit cache, and when and where they were read.
//!
//! They live apart from the list price because caching came later than most list prices: each
//! catalogued cache price is dated on its own (`cache_as_of`, `cache_source`), and a model whose
//! list price predates caching shows that in its notes rather than misdating either figure. The
//! cache read price is the list table's `cached_input`, which the simple `cached_input_share`
//! form uses too.

use super::raw::RawPrice;
use crate::diag::KeyPath;
use crate::validate::Checker;
use rust_decimal::Decimal;
use serde::Serialize;

/// A model's prompt-caching terms, beyond the cache read price (`cached_input`).
#[derive(Debug, Clone, Default, Serialize, PartialEq, schemars::JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct CacheTerms {
    /// Per 1M tokens written to the cache on a miss; `None` bills a miss at the input price.
    #[schemars(with = "Option<crate::num::DecimalText>")]
    pub cache_write: Option<Decimal>,
    /// The shortest prefix the vendor caches; a shorter one is billed as plain input.
    pub min_cacheable_tokens: Option<u64>,
    /// Per 1M tokens kept in an explicit cache for an hour.
    #[schemars(with = "Option<crate::num::DecimalText>")]
    pub cache_storage_per_mtok_hour: Option<Decimal>,
    /// Date the cache prices were read, when later than the list price's `as_of`.
    pub cache_as_of: Option<String>,
    /// Where the cache prices were read, when not the list price's `source`.
    pub cache_source: Option<String>,
}

impl CacheTerms {
    /// Whether any caching term is set.
    pub fn any(&self) -> bool {
        self.cache_write.is_some()
            || self.min_cacheable_tokens.is_some()
            || self.cache_storage_per_mtok_hour.is_some()
    }
}

/// Checks the caching fields of a `[model.price]` table at `path`. Every caching term needs the
/// cache read price, `cached_input`: a model that caches always prices a hit.
pub fn check(ck: &mut Checker, path: &KeyPath, p: &RawPrice) -> CacheTerms {
    let money = |ck: &mut Checker, key: &str, n| ck.non_negative(&path.key(key), n);
    let terms = CacheTerms {
        cache_write: p.cache_write.and_then(|n| money(ck, "cache_write", n)),
        min_cacheable_tokens: p
            .min_cacheable_tokens
            .and_then(|n| ck.whole(&path.key("min_cacheable_tokens"), n, 0)),
        cache_storage_per_mtok_hour: p
            .cache_storage_per_mtok_hour
            .and_then(|n| money(ck, "cache_storage_per_mtok_hour", n)),
        cache_as_of: p.cache_as_of.clone().filter(|s| !s.trim().is_empty()),
        cache_source: p.cache_source.clone().filter(|s| !s.trim().is_empty()),
    };
    if let Some(d) = &terms.cache_as_of {
        ck.date(&path.key("cache_as_of"), d, false);
    }
    if p.cached_input.is_none() {
        let set = [
            ("cache_write", p.cache_write.is_some()),
            ("min_cacheable_tokens", p.min_cacheable_tokens.is_some()),
            (
                "cache_storage_per_mtok_hour",
                p.cache_storage_per_mtok_hour.is_some(),
            ),
        ];
        if let Some((key, _)) = set.iter().find(|(_, on)| *on) {
            ck.err(
                &path.key(key),
                format!("`{key}` is set but the price has no `cached_input` (the cache read price)"),
                "add cached_input = <price per 1M tokens read from the cache>, or remove the caching fields",
            );
        }
    }
    terms
}
