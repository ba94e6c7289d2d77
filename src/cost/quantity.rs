//! How much of each meter a workload uses on a model in a month, split by the price tier each part
//! is billed at.
//!
//! For a workload with R requests a month (`requests_per_day × days_per_month`, or
//! `requests_per_month`), each of `input_tokens` I and `output_tokens` O, a cached share c and a
//! batch share b:
//!
//! - input tokens = R × I, of which cached = R × I × c; fresh input = R × I − cached;
//! - output tokens = R × O;
//! - with a `[workload.cache]` instead of c, the prefix's hits, misses and storage
//!   ([`super::cache`]), and fresh input = R × I − hits − misses;
//! - each batchable meter's batched part = its quantity × b.
//!
//! A request is billed entirely at the highest tier whose threshold its input tokens exceed, so
//! with one average request size a workload is one [`Part`] at one tier. The quantities depend on
//! the model only through its [`Profile`]; fast paths compute them once per distinct profile.
//!
//! The rule is written once over the arithmetic of [`Count`]: the bill counts in `Decimal`, and
//! the sweep's fast path counts in exact integers with the same code, so the two cannot disagree
//! on what is counted.

use super::cache::{cached_volumes, Caching};
use super::kind::{Meter, Term};
use crate::catalogue::model::{Model, Price};
use crate::scenario::{Scenario, Workload};
use rust_decimal::Decimal;
use std::fmt::Debug;

/// What of a model shapes a workload's quantities: the thresholds of its long-prompt tiers,
/// ascending (tier 0 is the list price, tier i applies above `thresholds[i − 1]` input tokens).
/// It also says whether, and from what prefix length, the model caches a prompt prefix. A model's
/// tokenizer ratio and image rule would belong here too.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Profile {
    thresholds: Vec<u64>,
    /// How the model caches a prompt prefix.
    pub caching: Caching,
}

impl Profile {
    /// The profile of a model's prices, with the scenario's overrides (a negotiated cache read
    /// price makes a model cache).
    pub fn of(s: &Scenario, m: &Model, price: &Price) -> Profile {
        let read = price.cached_input.is_some()
            || price.tiers.iter().any(|t| t.cached_input.is_some())
            || s.pricing
                .overrides
                .get(&m.id)
                .is_some_and(|o| o.cached_input.is_some());
        Profile {
            thresholds: price.tiers.iter().map(|t| t.above_input_tokens).collect(),
            caching: Caching {
                min_tokens: read.then(|| price.cache.min_cacheable_tokens.unwrap_or(0)),
            },
        }
    }

    /// The tier a request with `input_tokens` is billed at: the highest whose threshold it exceeds,
    /// or 0 (the list price).
    pub fn tier(&self, input_tokens: u64) -> usize {
        self.thresholds
            .iter()
            .rposition(|&above| input_tokens > above)
            .map_or(0, |i| i + 1)
    }

    /// The threshold of a tier, `None` for the list price.
    pub fn threshold(&self, tier: usize) -> Option<u64> {
        tier.checked_sub(1)
            .and_then(|i| self.thresholds.get(i).copied())
    }

    /// How many tiers there are, the list price included.
    pub fn tiers(&self) -> usize {
        self.thresholds.len() + 1
    }
}

/// The arithmetic a quantity rule counts with.
pub trait Count: Copy + Debug + PartialEq {
    /// Zero.
    const ZERO: Self;
    /// A whole number, or `None` when it cannot be held.
    fn whole(n: u64) -> Option<Self>;
    /// A decimal input (a request rate, a share), or `None` when it cannot be held.
    fn of(d: Decimal) -> Option<Self>;
    /// `self × other`, or `None` on overflow.
    fn times(self, other: Self) -> Option<Self>;
    /// `self − other`, or `None` on overflow.
    fn minus(self, other: Self) -> Option<Self>;
    /// Whether it is zero.
    fn is_zero(&self) -> bool;
}

impl Count for Decimal {
    const ZERO: Decimal = Decimal::ZERO;

    fn whole(n: u64) -> Option<Decimal> {
        Some(Decimal::from(n))
    }

    fn of(d: Decimal) -> Option<Decimal> {
        Some(d)
    }

    fn times(self, other: Decimal) -> Option<Decimal> {
        self.checked_mul(other)
    }

    fn minus(self, other: Decimal) -> Option<Decimal> {
        self.checked_sub(other)
    }

    fn is_zero(&self) -> bool {
        Decimal::is_zero(self)
    }
}

/// A workload's raw monthly volumes, as the bill reports them.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Volumes<N = Decimal> {
    /// Requests a month.
    pub requests: N,
    /// Input tokens, cached ones included.
    pub input_tokens: N,
    /// Of which served from cache: the cache reads.
    pub cached_input_tokens: N,
    /// Of which written to a cache (misses of a `[workload.cache]` prefix).
    pub cache_write_tokens: N,
    /// Token-hours of cache storage.
    pub cache_storage_token_hours: N,
    /// Output tokens.
    pub output_tokens: N,
}

/// The requests billed at one tier, with the quantity of each term.
#[derive(Debug, Clone, PartialEq)]
pub struct Part<N = Decimal> {
    /// The tier (see [`Profile::tier`]).
    pub tier: usize,
    /// The quantity of each term, by [`Term::index`].
    pub terms: [N; Term::COUNT],
}

/// A workload's metered quantities on a model for a month.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantities {
    /// The volumes they come from.
    pub volumes: Volumes,
    /// The parts, one per tier billed.
    pub parts: Vec<Part>,
}

/// An overflow while counting, naming the quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow(pub &'static str);

/// What a workload asks for in a month, before any model's profile: its volumes and the quantity
/// of each term.
#[derive(Debug, Clone, PartialEq)]
pub struct Demand<N = Decimal> {
    /// The volumes.
    pub volumes: Volumes<N>,
    /// The quantity of each term, by [`Term::index`].
    pub terms: [N; Term::COUNT],
    /// For a workload with a `[workload.cache]`, the same demand with nothing cached: what a model
    /// that does not cache the prefix bills.
    pub uncached: Option<(Volumes<N>, [N; Term::COUNT])>,
}

impl<N: Count> Demand<N> {
    /// The volumes and terms a model with `profile` bills: the uncached ones when the workload
    /// caches a prefix the model does not.
    pub fn billed(&self, w: &Workload, profile: &Profile) -> (&Volumes<N>, &[N; Term::COUNT]) {
        match (&w.cache, &self.uncached) {
            (Some(c), Some((v, t))) if !profile.caching.status(c, w.input_tokens).cached() => {
                (v, t)
            }
            _ => (&self.volumes, &self.terms),
        }
    }
}

/// The quantities of a workload with `requests` requests a month, on a model with `profile`.
pub fn quantities(
    w: &Workload,
    requests: Decimal,
    profile: &Profile,
) -> Result<Quantities, Overflow> {
    let d = demand(w, requests)?;
    let mut parts = Vec::with_capacity(1);
    split(&d, w, profile, &mut parts);
    Ok(Quantities {
        volumes: *d.billed(w, profile).0,
        parts,
    })
}

/// What a workload with `requests` requests a month asks for.
pub fn demand<N: Count>(w: &Workload, requests: N) -> Result<Demand<N>, Overflow> {
    let mul = |a: N, b: N, what| a.times(b).ok_or(Overflow(what));
    let whole = |n, what| N::whole(n).ok_or(Overflow(what));
    let input_tokens = mul(
        requests,
        whole(w.input_tokens, "input tokens")?,
        "input tokens",
    )?;
    // The simple form of caching; a workload with a `[workload.cache]` has none.
    let cached = match w.cache {
        None => N::of(w.cached_input_share).ok_or(Overflow("cached tokens"))?,
        Some(_) => N::ZERO,
    };
    let batch = N::of(w.batch_share).ok_or(Overflow("batch"))?;
    let volumes = Volumes {
        requests,
        input_tokens,
        cached_input_tokens: if cached.is_zero() {
            N::ZERO
        } else {
            mul(input_tokens, cached, "cached tokens")?
        },
        cache_write_tokens: N::ZERO,
        cache_storage_token_hours: N::ZERO,
        output_tokens: mul(
            requests,
            whole(w.output_tokens, "output tokens")?,
            "output tokens",
        )?,
    };
    let terms_of = |volumes: &Volumes<N>| {
        let mut terms = [N::ZERO; Term::COUNT];
        for &meter in Meter::ALL {
            let q = quantity(meter, volumes)?;
            terms[Term {
                meter,
                batched: false,
            }
            .index()] = q;
            if meter.spec().batchable && !batch.is_zero() {
                terms[Term {
                    meter,
                    batched: true,
                }
                .index()] = mul(q, batch, "batch")?;
            }
        }
        Ok(terms)
    };
    match &w.cache {
        None => Ok(Demand {
            terms: terms_of(&volumes)?,
            volumes,
            uncached: None,
        }),
        Some(c) => {
            let cached = cached_volumes(&volumes, c, w.input_tokens)?;
            Ok(Demand {
                terms: terms_of(&cached)?,
                volumes: cached,
                uncached: Some((volumes, terms_of(&volumes)?)),
            })
        }
    }
}

/// How a model with `profile` bills a demand: its parts, each at its tier, appended to `parts`
/// (a buffer the caller may keep, so that a hot loop allocates nothing). Every request of a
/// workload carries its average input, so the whole demand is one part at the tier that input
/// reaches. A model that does not cache the workload's prefix bills its uncached terms
/// ([`Demand::billed`]); a profile that changes the counts themselves (a tokenizer's ratio) would
/// apply its rule here too.
pub fn split<N: Count>(d: &Demand<N>, w: &Workload, profile: &Profile, parts: &mut Vec<Part<N>>) {
    parts.push(Part {
        tier: profile.tier(w.input_tokens),
        terms: *d.billed(w, profile).1,
    });
}

/// How much of a meter the volumes use.
fn quantity<N: Count>(meter: Meter, v: &Volumes<N>) -> Result<N, Overflow> {
    match meter {
        Meter::Input => v
            .input_tokens
            .minus(v.cached_input_tokens)
            .and_then(|fresh| fresh.minus(v.cache_write_tokens))
            .ok_or(Overflow("input tokens")),
        Meter::CachedRead => Ok(v.cached_input_tokens),
        Meter::CacheWrite => Ok(v.cache_write_tokens),
        Meter::Output => Ok(v.output_tokens),
        Meter::CacheStorage => Ok(v.cache_storage_token_hours),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_billed_at_the_highest_tier_it_exceeds() {
        let p = Profile {
            thresholds: vec![128_000, 200_000],
            caching: Caching::default(),
        };
        // At a threshold is not above it.
        assert_eq!(
            [0, 128_000, 128_001, 200_000, 200_001].map(|n| p.tier(n)),
            [0, 0, 1, 1, 2]
        );
        assert_eq!(
            (p.threshold(0), p.threshold(2), p.tiers()),
            (None, Some(200_000), 3)
        );
    }

    #[test]
    fn demand_counts_fresh_cached_and_batched_tokens() {
        let w = Workload {
            name: "w".into(),
            requests: None,
            input_tokens: 2_000,
            output_tokens: 500,
            cached_input_share: Decimal::new(4, 1),
            cache: None,
            batch_share: Decimal::new(25, 2),
            context_tokens: 2_500,
            images_per_month: Decimal::ZERO,
            video_seconds_per_month: Decimal::ZERO,
            routing: None,
        };
        // 1,000 requests: 2M input tokens, 40% cached: 1.2M fresh, 0.8M cached; 0.5M output.
        // A quarter of each is batched: 0.3M, 0.2M, 0.125M.
        let d = demand(&w, Decimal::from(1_000)).unwrap();
        let at = |meter, batched| d.terms[Term { meter, batched }.index()].normalize();
        assert_eq!(
            [Meter::Input, Meter::CachedRead, Meter::Output].map(|m| (at(m, false), at(m, true))),
            [
                (Decimal::from(1_200_000), Decimal::from(300_000)),
                (Decimal::from(800_000), Decimal::from(200_000)),
                (Decimal::from(500_000), Decimal::from(125_000)),
            ]
        );
    }
}
