//! Request sizes as a scenario writes them: `input_tokens` and `output_tokens` take a number, a
//! lognormal `{ p50 = 2000, p95 = 12000 }` (optional `max`), or buckets
//! `{ buckets = [[1000, 0.5], [8000, 0.5]] }`. This module reads them, checks them with a located
//! message for every fault, and answers the context questions a distribution raises: the size of
//! the `[requirements] context_percentile` request, and the share of requests that overflow a
//! window.
//!
//! Context pairs prompts and answers by rank: the request at percentile u has the u-th percentile
//! prompt and the u-th percentile answer, as if the longest prompts got the longest answers. This
//! can only overstate what must fit, and it makes the two context rules agree: a model qualifies
//! exactly when at most 1 − `context_percentile` of requests overflow it.

use super::Workload;
use crate::cost::distribution::{Bucket, Lognormal, Size};
use crate::diag::KeyPath;
use crate::num::Num;
use crate::validate::Checker;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The percentile request that must fit a model's window when a scenario does not say.
pub const DEFAULT_CONTEXT_PERCENTILE: Decimal = Decimal::from_parts(99, 0, 0, false, 2);

/// `input_tokens` or `output_tokens` as written: a number or a distribution.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RawTokens {
    /// Every request carries this many tokens.
    Count(Num),
    /// The tokens vary from request to request.
    Distribution(Box<RawDistribution>),
}

/// A request-size distribution as written: `p50` and `p95` (and optionally `max`), or `buckets`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawDistribution {
    /// Lognormal: the median request, tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p50: Option<Num>,
    /// Lognormal: the size 95% of requests do not exceed, tokens; above `p50`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub p95: Option<Num>,
    /// Lognormal: the cap; a longer request is cut to exactly this many tokens (at least `p95`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max: Option<Num>,
    /// `[tokens, share of requests]` pairs: every request of a bucket carries exactly that many
    /// tokens, and the shares sum to exactly 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buckets: Option<Vec<(Num, Num)>>,
}

impl From<Num> for RawTokens {
    fn from(n: Num) -> RawTokens {
        RawTokens::Count(n)
    }
}

struct TokensVisitor;

impl<'de> Visitor<'de> for TokensVisitor {
    type Value = RawTokens;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        // A number is what most files hold: a wrong type gets the number's own help.
        f.write_str(crate::num::EXPECTING)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawTokens, E> {
        Num::deserialize(de::value::I64Deserializer::new(v)).map(RawTokens::Count)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawTokens, E> {
        Num::deserialize(de::value::U64Deserializer::new(v)).map(RawTokens::Count)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<RawTokens, E> {
        Num::deserialize(de::value::F64Deserializer::new(v)).map(RawTokens::Count)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<RawTokens, E> {
        Num::deserialize(de::value::StrDeserializer::new(v)).map(RawTokens::Count)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawTokens, A::Error> {
        RawDistribution::deserialize(de::value::MapAccessDeserializer::new(map))
            .map(|d| RawTokens::Distribution(Box::new(d)))
    }
}

impl<'de> Deserialize<'de> for RawTokens {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawTokens, D::Error> {
        d.deserialize_any(TokensVisitor)
    }
}

impl JsonSchema for RawTokens {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Tokens".into()
    }

    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // Draft 7 (see `schema.rs`): a reference with a description is wrapped in `allOf`, and a
        // pair is an `items` array.
        let num = g.subschema_for::<Num>();
        let described =
            |d: &str| schemars::json_schema!({ "description": d, "allOf": [num.clone()] });
        schemars::json_schema!({
            "description": "Tokens a request: a number, a lognormal { p50, p95, max? } or { buckets = [[tokens, share], …] } with shares summing to 1.",
            "anyOf": [
                num,
                {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["p50", "p95"],
                    "properties": {
                        "p50": described("The median request, tokens."),
                        "p95": described("The size 95% of requests do not exceed, tokens; above p50."),
                        "max": described("The cap: a longer request is cut to exactly this many tokens (at least p95).")
                    }
                },
                {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["buckets"],
                    "properties": {
                        "buckets": {
                            "description": "[tokens, share of requests] pairs; the shares sum to exactly 1.",
                            "type": "array",
                            "minItems": 1,
                            "items": {
                                "type": "array",
                                "items": [num.clone(), num.clone()],
                                "minItems": 2,
                                "maxItems": 2
                            }
                        }
                    }
                }
            ]
        })
    }
}

/// Checks `key` (`input_tokens` or `output_tokens`) of the workload at `path`: a whole number of
/// at least `min`, or a distribution. Returns the whole tokens a request (a distribution's mean,
/// rounded) and the distribution, or `None` after reporting the faults.
pub(super) fn tokens(
    ck: &mut Checker,
    path: &KeyPath,
    key: &str,
    raw: &RawTokens,
    min: u64,
) -> Option<(u64, Option<Size>)> {
    let at = path.key(key);
    match raw {
        RawTokens::Count(n) => ck.whole(&at, *n, min).map(|n| (n, None)),
        RawTokens::Distribution(d) => {
            let size = distribution(ck, &at, key, d, min)?;
            let mean = size.mean().round().to_u64().unwrap_or(u64::MAX).max(min);
            Some((mean, Some(size)))
        }
    }
}

fn distribution(
    ck: &mut Checker,
    at: &KeyPath,
    key: &str,
    d: &RawDistribution,
    min: u64,
) -> Option<Size> {
    let lognormal = d.p50.is_some() || d.p95.is_some() || d.max.is_some();
    match (&d.buckets, lognormal) {
        (Some(_), true) => {
            ck.err(
                at,
                format!("`{key}` gives both buckets and p50/p95/max"),
                format!("keep one: {key} = {{ p50 = 2000, p95 = 12000 }} or {key} = {{ buckets = [[1000, 0.5], [8000, 0.5]] }}"),
            );
            None
        }
        (Some(b), false) => buckets(ck, at, key, b, min),
        (None, true) => lognormal_size(ck, at, key, d),
        (None, false) => {
            ck.err(
                at,
                format!("`{key}` is an empty table"),
                format!("write a number, {key} = {{ p50 = 2000, p95 = 12000 }} or {key} = {{ buckets = [[1000, 0.5], [8000, 0.5]] }}"),
            );
            None
        }
    }
}

fn lognormal_size(ck: &mut Checker, at: &KeyPath, key: &str, d: &RawDistribution) -> Option<Size> {
    let need = |ck: &mut Checker, name: &str, v: Option<Num>| match v {
        Some(n) => ck.whole(&at.key(name), n, 1),
        None => {
            ck.err(
                at,
                format!("the lognormal `{key}` has no `{name}`"),
                format!("give both percentiles: {key} = {{ p50 = 2000, p95 = 12000 }}"),
            );
            None
        }
    };
    let p50 = need(ck, "p50", d.p50);
    let p95 = need(ck, "p95", d.p95);
    let max = d.max.and_then(|n| ck.whole(&at.key("max"), n, 1));
    let (p50, p95) = (p50?, p95?);
    if p95 <= p50 {
        ck.err(
            &at.key("p95"),
            format!("`p95` ({p95}) must be above `p50` ({p50})"),
            format!("p95 is the size 95% of requests do not exceed, so it is larger than the median; for one fixed size write {key} = {p50}"),
        );
        return None;
    }
    if let Some(m) = max {
        if m < p95 {
            ck.err(
                &at.key("max"),
                format!("`max` ({m}) is below `p95` ({p95})"),
                "the cap cuts only the longest requests: make it at least p95, or lower p95",
            );
            return None;
        }
    }
    if d.max.is_some() && max.is_none() {
        return None;
    }
    Some(Size::Lognormal(Lognormal {
        p50,
        p95,
        max,
        extra: 0,
    }))
}

fn buckets(
    ck: &mut Checker,
    at: &KeyPath,
    key: &str,
    raw: &[(Num, Num)],
    min: u64,
) -> Option<Size> {
    let at = at.key("buckets");
    if raw.is_empty() {
        ck.err(
            &at,
            format!("`{key}` has no buckets"),
            "add [tokens, share] pairs, such as buckets = [[1000, 0.5], [8000, 0.5]]",
        );
        return None;
    }
    let before = ck.diags.len();
    let mut out: Vec<Bucket> = Vec::with_capacity(raw.len());
    for (i, (tokens, share)) in raw.iter().enumerate() {
        let tokens = ck.whole(&at.index(i), *tokens, min);
        let share = ck.fraction_named(&at.index(i), *share, "a bucket's share");
        if let (Some(tokens), Some(share)) = (tokens, share) {
            if let Some(j) = out.iter().position(|b| b.tokens == tokens) {
                ck.err(
                    &at.index(i),
                    format!(
                        "two buckets have {tokens} tokens (buckets {} and {})",
                        j + 1,
                        i + 1
                    ),
                    "merge them into one bucket with the sum of their shares",
                );
            }
            out.push(Bucket { tokens, share });
        }
    }
    if ck.diags.len() > before {
        return None;
    }
    let sum: Decimal = out.iter().map(|b| b.share).sum();
    if sum != Decimal::ONE {
        ck.err(
            &at,
            format!("the bucket shares of `{key}` sum to {}, not 1", sum.normalize()),
            "each share is the fraction of all requests of that size, so together they must be exactly 1 (decimals such as 0.1 are read exactly)",
        );
        return None;
    }
    out.sort_by_key(|b| b.tokens);
    Some(Size::Buckets(out))
}

/// Checks `[requirements] context_percentile`: strictly between 0 and 1.
pub(super) fn context_percentile(ck: &mut Checker, path: &KeyPath, n: Option<Num>) -> Decimal {
    let Some(n) = n else {
        return DEFAULT_CONTEXT_PERCENTILE;
    };
    let v = n.get();
    if v <= Decimal::ZERO || v >= Decimal::ONE {
        ck.err(
            path,
            format!("`context_percentile` must be above 0 and below 1, found {v}"),
            "it is the share of requests that must fit a model's window: 0.99 (the default) lets 1% overflow",
        );
        return DEFAULT_CONTEXT_PERCENTILE;
    }
    v
}

impl Workload {
    /// Input tokens of the request at percentile `p`.
    pub fn input_at(&self, p: Decimal) -> u64 {
        self.input_size
            .as_ref()
            .map_or(self.input_tokens, |s| s.percentile(p))
    }

    /// Output tokens of the request at percentile `p`: what a model's output limit must allow.
    pub fn output_at(&self, p: Decimal) -> u64 {
        self.output_size
            .as_ref()
            .map_or(self.output_tokens, |s| s.percentile(p))
    }

    /// The context the request at percentile `p` needs, prompt plus answer: the workload's
    /// `context_tokens` when the file does not set it.
    pub fn context_at(&self, p: Decimal) -> u64 {
        self.input_at(p).saturating_add(self.output_at(p))
    }

    /// Whether its prompt or answer size varies.
    pub fn varies(&self) -> bool {
        self.input_size.is_some() || self.output_size.is_some()
    }

    /// The share of its requests whose prompt plus answer exceed `window` tokens, prompts and
    /// answers paired by rank (see the module documentation).
    pub fn overflow_share(&self, window: u64) -> f64 {
        let w = window as f64;
        match (&self.input_size, &self.output_size) {
            (None, None) => {
                if self.input_tokens.saturating_add(self.output_tokens) > window {
                    1.0
                } else {
                    0.0
                }
            }
            (Some(i), None) => i.above(w - self.output_tokens as f64),
            (None, Some(o)) => o.above(w - self.input_tokens as f64),
            (Some(i), Some(o)) => {
                // The sum of two quantile functions rises with u: find where it passes the window.
                let fits = |u: f64| i.quantile(u) + o.quantile(u) <= w;
                if fits(1.0 - f64::EPSILON) {
                    return 0.0;
                }
                let (mut lo, mut hi) = (0.0f64, 1.0f64);
                for _ in 0..100 {
                    let mid = 0.5 * (lo + hi);
                    if fits(mid) {
                        lo = mid;
                    } else {
                        hi = mid;
                    }
                }
                1.0 - lo
            }
        }
    }
}

impl super::Scenario {
    /// Whether any workload's prompt or answer size varies.
    pub fn has_distributions(&self) -> bool {
        self.workloads.iter().any(Workload::varies)
    }

    /// The share of all token requests that overflow a window of `window` tokens, weighted by
    /// each workload's requests a month.
    pub fn overflow_share(&self, window: u64) -> f64 {
        let mut total = 0.0;
        let mut over = 0.0;
        for w in self.workloads.iter().filter(|w| w.requests.is_some()) {
            let r = w
                .monthly_requests(self.days_per_month)
                .ok()
                .and_then(|r| r.to_f64())
                .unwrap_or(0.0);
            total += r;
            over += r * w.overflow_share(window);
        }
        if total > 0.0 {
            over / total
        } else {
            0.0
        }
    }
}

/// A share of requests as a percentage with three significant digits: `22.1%`, `0.0312%`, `0%`.
pub fn percent(share: f64) -> String {
    let pct = share * 100.0;
    if pct <= 0.0 || !pct.is_finite() {
        return "0%".into();
    }
    let places = (2.0 - pct.log10().floor()).clamp(0.0, 12.0) as usize;
    format!("{pct:.places$}%")
}
