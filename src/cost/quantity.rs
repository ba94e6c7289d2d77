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
//! I and O are the tokens a request is billed for on the model ([`super::tokens`]): the counts as
//! written, or converted to the model's tokenizer, with its images' tokens added to the input.
//! A cached prefix is in the same basis tokens as the input: the model bills it converted with the
//! same ratio (no images), at most the request's billed input; with a distribution of sizes, each
//! tier's part caches its requests' prefix, at most that part's input tokens.
//!
//! A request is billed entirely at the highest tier whose threshold its input tokens exceed, so
//! with one request size a workload is one [`Part`] at one tier, and with a distribution of
//! sizes one part per tier its requests reach ([`split`]). The quantities depend on
//! the model only through its [`Profile`]; fast paths compute them once per distinct profile.
//!
//! The rule is written once over the arithmetic of [`Count`]: the bill counts in `Decimal`, and
//! the sweep's fast path counts in exact integers with the same code, so the two cannot disagree
//! on what is counted.

use super::cache::{cached_volumes, Caching, Status};
use super::distribution::Scale;
use super::kind::{Meter, Term};
use super::tokens::{Size, Sizing};
use crate::catalogue::model::{Model, Price};
use crate::scenario::{Scenario, Workload};
use rust_decimal::Decimal;
use std::fmt::Debug;

/// What of a model shapes a workload's quantities: the thresholds of its long-prompt tiers,
/// ascending (tier 0 is the list price, tier i applies above `thresholds[i − 1]` input tokens),
/// its tokenizer and image rule ([`Sizing`]), and whether, and from what prefix length, it caches
/// a prompt prefix ([`Caching`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Profile {
    thresholds: Vec<u64>,
    /// How the model sizes a request.
    pub sizing: Sizing,
    /// How the model caches a prompt prefix.
    pub caching: Caching,
}

impl Profile {
    /// The profile of a model with these prices, with the scenario's overrides (a negotiated
    /// cache read price makes a model cache).
    pub fn of(s: &Scenario, model: &Model, price: &Price) -> Profile {
        let read = price.cached_input.is_some()
            || price.tiers.iter().any(|t| t.cached_input.is_some())
            || s.pricing
                .overrides
                .get(&model.id)
                .is_some_and(|o| o.cached_input.is_some());
        Profile {
            thresholds: price.tiers.iter().map(|t| t.above_input_tokens).collect(),
            sizing: Sizing::of(model),
            caching: Caching {
                min_tokens: read.then(|| price.cache.min_cacheable_tokens.unwrap_or(0)),
            },
        }
    }

    /// The profile as these workloads see it: its tiers, and its sizing and caching only as far as
    /// some workload can tell them apart ([`Sizing::seen_by`]; caching matters only to a workload
    /// with a `[workload.cache]`). [`split`] gives the same parts on both for each of these
    /// workloads, whatever their volumes and token counts, so a fast path may count a workload
    /// once for every model whose profiles agree here.
    pub fn seen_by(&self, workloads: &[Workload]) -> Profile {
        let cached = workloads.iter().any(|w| w.cache.is_some());
        Profile {
            thresholds: self.thresholds.clone(),
            sizing: self.sizing.seen_by(workloads),
            caching: if cached {
                self.caching
            } else {
                Caching::default()
            },
        }
    }

    /// The prefix a request of `w` caches when the model caches it: converted with the model's
    /// ratio at `scale` (text only), at most the request's billed input `size.input`.
    fn billed_prefix(w: &Workload, size: Size, scale: &Scale) -> Option<u64> {
        let c = w.cache.as_ref()?;
        Some(
            scale
                .text()
                .whole(c.prefix_tokens)
                .unwrap_or(u64::MAX)
                .min(size.input),
        )
    }

    /// What the model makes of `w`'s cached prefix, when it has one (see [`Profile::prefix`]).
    pub fn cache_status(&self, w: &Workload, size: Size, scale: &Scale) -> Option<Status> {
        Profile::billed_prefix(w, size, scale).map(|p| self.caching.status(p))
    }

    /// The prefix tokens a request of `w` caches on this model, `None` when it caches none.
    fn prefix(&self, w: &Workload, size: Size, scale: &Scale) -> Option<u64> {
        Profile::billed_prefix(w, size, scale).filter(|&p| self.caching.status(p).cached())
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
    /// The requests billed at it.
    pub requests: N,
    /// The quantity of each term, by [`Term::index`].
    pub terms: [N; Term::COUNT],
}

/// A workload's metered quantities on a model for a month.
#[derive(Debug, Clone, PartialEq)]
pub struct Quantities {
    /// The tokens each request is billed for.
    pub size: Size,
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
}

/// The quantities of a workload with `requests` requests a month, on a model with `profile`,
/// whose requests are `size` (from [`Sizing::request`]).
pub fn quantities(
    w: &Workload,
    requests: Decimal,
    profile: &Profile,
    size: Size,
) -> Result<Quantities, Overflow> {
    let scale = profile
        .sizing
        .scale(w)
        .map_err(|_| Overflow("billed tokens"))?;
    let prefix = profile.prefix(w, size, &scale);
    let d = demand_sized(w, requests, size, &scale, prefix)?;
    let mut parts = Vec::with_capacity(1);
    split(&d, w, profile, &mut parts)?;
    // The cache volumes are those of the parts, each capped at its own input.
    let mut volumes = d.volumes;
    if prefix.is_some() {
        let sum = |meter| {
            let t = Term {
                meter,
                batched: false,
            };
            parts.iter().map(|p| p.terms[t.index()]).sum::<Decimal>()
        };
        volumes.cached_input_tokens = sum(Meter::CachedRead);
        volumes.cache_write_tokens = sum(Meter::CacheWrite);
        volumes.cache_storage_token_hours = sum(Meter::CacheStorage);
    }
    Ok(Quantities {
        size,
        volumes,
        parts,
    })
}

/// What a workload with `requests` requests a month asks for, each request of its tokens as
/// written. A request size given as a distribution counts at its mean
/// ([`super::distribution::Size::mean`]).
pub fn demand<N: Count>(w: &Workload, requests: N) -> Result<Demand<N>, Overflow> {
    let prefix = w.cache.as_ref().map(|c| c.prefix_within(w.input_tokens));
    demand_sized(w, requests, nominal(w), &Scale::ONE, prefix)
}

/// A request of the workload's tokens as written.
fn nominal(w: &Workload) -> Size {
    Size {
        input: w.input_tokens,
        output: w.output_tokens,
        image_tokens: 0,
    }
}

/// What a workload with `requests` requests a month of `size` each asks for, on a model that
/// bills a request of x basis tokens at `scale`: a size that varies counts at its billed mean.
/// `prefix` is the cached prefix of a request, where the model caches one (at most the mean
/// input).
fn demand_sized<N: Count>(
    w: &Workload,
    requests: N,
    size: Size,
    scale: &Scale,
    prefix: Option<u64>,
) -> Result<Demand<N>, Overflow> {
    let mul = |a: N, b: N, what| a.times(b).ok_or(Overflow(what));
    let (input, output) = per_request(w, size, scale)?;
    let input_tokens = mul(requests, input, "input tokens")?;
    let output_tokens = mul(requests, output, "output tokens")?;
    let prefix = match prefix {
        None => None,
        Some(p) => {
            let mean = mean_input(w, size, scale)?;
            let each = N::of(Decimal::from(p).min(mean)).ok_or(Overflow("cached prefix tokens"))?;
            Some((mul(requests, each, "cached prefix tokens")?, p))
        }
    };
    count(w, requests, input_tokens, output_tokens, prefix)
}

/// The mean input tokens a request of `size` carries on a model that bills basis tokens at
/// `scale`.
fn mean_input(w: &Workload, size: Size, scale: &Scale) -> Result<Decimal, Overflow> {
    match &w.input_size {
        Some(s) => s.billed_mean(scale),
        None => Some(Decimal::from(size.input)),
    }
    .ok_or(Overflow("input tokens"))
}

/// The input and output tokens a request of `size` carries on average on a model that bills
/// basis tokens at `scale`.
fn per_request<N: Count>(w: &Workload, size: Size, scale: &Scale) -> Result<(N, N), Overflow> {
    let input = N::of(mean_input(w, size, scale)?).ok_or(Overflow("input tokens"))?;
    let output = match &w.output_size {
        Some(s) => s.billed_mean(&scale.text()).and_then(N::of),
        None => N::whole(size.output),
    }
    .ok_or(Overflow("output tokens"))?;
    Ok((input, output))
}

/// The volumes and terms of `requests` requests carrying `input_tokens` and `output_tokens` in
/// all: the one rule for a whole workload and for each tier's part of it. `prefix`, for a model
/// that caches the workload's prefix, is the part's prefix tokens and the tokens it stores (the
/// prefix of one request, on one part only, so storage is billed once).
fn count<N: Count>(
    w: &Workload,
    requests: N,
    input_tokens: N,
    output_tokens: N,
    prefix: Option<(N, u64)>,
) -> Result<Demand<N>, Overflow> {
    let mul = |a: N, b: N, what| a.times(b).ok_or(Overflow(what));
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
        output_tokens,
    };
    let volumes = match (&w.cache, prefix) {
        (Some(c), Some((tokens, stored))) => cached_volumes(&volumes, c, tokens, stored)?,
        _ => volumes,
    };
    let mut terms = [N::ZERO; Term::COUNT];
    for &meter in Meter::ALL {
        let q = quantity(meter, &volumes)?;
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
    Ok(Demand { volumes, terms })
}

/// How a model with `profile` bills a demand: its parts, each at its tier, appended to `parts`
/// (a buffer the caller may keep, so that a hot loop allocates nothing). A tier applies per
/// request, chosen by the input the model bills ([`Sizing::request`], [`Sizing::scale`]): with one
/// request size the whole demand is one part at the tier that size reaches; with an input
/// distribution each tier its billed sizes reach bills its segment
/// ([`super::distribution::Size::billed_segments`]): its share s of the requests, their expected
/// billed input tokens e per request of the workload, and s × the mean billed output (sizes of
/// prompts and answers are taken as independent). `d` is the workload's demand as written
/// ([`demand`]) or as this model bills it; where the model bills other counts, it is counted again.
pub fn split<N: Count>(
    d: &Demand<N>,
    w: &Workload,
    profile: &Profile,
    parts: &mut Vec<Part<N>>,
) -> Result<(), Overflow> {
    let refused = |_| Overflow("billed tokens");
    let size = profile.sizing.request(w).map_err(refused)?;
    let scale = profile.sizing.scale(w).map_err(refused)?;
    let r = d.volumes.requests;
    let prefix = profile.prefix(w, size, &scale);
    let terms = |d: &Demand<N>| -> Result<[N; Term::COUNT], Overflow> {
        if size == nominal(w) && scale.is_one() && w.cache.is_none() {
            Ok(d.terms)
        } else {
            Ok(demand_sized(w, r, size, &scale, prefix)?.terms)
        }
    };
    let Some(input) = &w.input_size else {
        parts.push(Part {
            tier: profile.tier(size.input),
            requests: r,
            terms: terms(d)?,
        });
        return Ok(());
    };
    let segments = input
        .billed_segments(&profile.thresholds, &scale)
        .ok_or(Overflow("input tokens"))?;
    if let [one] = segments.as_slice() {
        parts.push(Part {
            tier: one.tier,
            requests: r,
            terms: terms(d)?,
        });
        return Ok(());
    }
    let (_, output) = per_request::<N>(w, size, &scale)?;
    for (i, seg) in segments.into_iter().enumerate() {
        let of = |x, what| N::of(x).ok_or(Overflow(what));
        let requests = r
            .times(of(seg.share, "requests")?)
            .ok_or(Overflow("requests"))?;
        let input = r
            .times(of(seg.tokens, "input tokens")?)
            .ok_or(Overflow("input tokens"))?;
        let out = requests.times(output).ok_or(Overflow("output tokens"))?;
        // Each request of the part caches the prefix; the part's prefix is at most its input.
        let cached = match prefix {
            None => None,
            Some(p) => {
                let each = (seg.share * Decimal::from(p)).min(seg.tokens);
                let tokens = r
                    .times(of(each, "cached prefix tokens")?)
                    .ok_or(Overflow("cached prefix tokens"))?;
                Some((tokens, if i == 0 { p } else { 0 }))
            }
        };
        let c = count(w, requests, input, out, cached)?;
        parts.push(Part {
            tier: seg.tier,
            requests,
            terms: c.terms,
        });
    }
    Ok(())
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
            sizing: Sizing::default(),
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

    /// Every shipped scenario (languages, characters, images, prompt caches, size distributions)
    /// on every catalogue model: the parts on the profile as the workloads see it are the parts on
    /// the full profile, at volumes from one request to a billion.
    #[test]
    fn a_profile_as_the_workloads_see_it_bills_them_the_same() {
        use crate::catalogue::Catalogue;
        let cat = Catalogue::embedded().unwrap();
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        assert!(files.len() >= 10, "{files:?}");
        let (mut compared, mut full, mut seen) = (0, Vec::new(), Vec::new());
        for f in &files {
            let s = Scenario::from_path(f, &cat).unwrap();
            for m in &cat.models {
                let Some(price) = m.price.as_ref().filter(|p| p.has_token_prices()) else {
                    continue;
                };
                let p = Profile::of(&s, m, price);
                let q = p.seen_by(&s.workloads);
                if f.ends_with("support-chatbot.toml") {
                    full.push(p.clone());
                    seen.push(q.clone());
                }
                for w in s.workloads.iter().filter(|w| w.requests.is_some()) {
                    for r in [1u64, 7, 1_000, 123_457, 1_000_000_000] {
                        let d = demand(w, Decimal::from(r)).unwrap();
                        let (mut a, mut b) = (Vec::new(), Vec::new());
                        let ra = split(&d, w, &p, &mut a);
                        let rb = split(&d, w, &q, &mut b);
                        assert_eq!((ra, a), (rb, b), "{} on {} in {f:?}", w.name, m.id);
                        compared += 1;
                    }
                }
            }
        }
        assert!(compared > 1_000, "{compared}");
        // On plain text with no prompt cache, models differ only by their tiers.
        let distinct = |v: &mut Vec<Profile>| {
            v.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
            v.dedup();
            v.len()
        };
        let mut tiers: Vec<_> = full.iter().map(|p| p.thresholds.clone()).collect();
        tiers.sort();
        tiers.dedup();
        assert_eq!(distinct(&mut seen), tiers.len());
        assert!(distinct(&mut full) > tiers.len());
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
            input_size: None,
            output_size: None,
            images_per_month: Decimal::ZERO,
            video_seconds_per_month: Decimal::ZERO,
            routing: None,
            content: Default::default(),
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
