//! Request sizes that vary from request to request, and how they meet per-request price tiers.
//!
//! A workload's `input_tokens` or `output_tokens` may be a distribution instead of one number:
//!
//! - **buckets**: `[tokens, share]` pairs; every request of a bucket has exactly that many tokens
//!   and the shares sum to exactly 1. Everything about them is exact `Decimal`.
//! - **lognormal** through `p50` and `p95`: ln X is normal with μ = ln p50 and
//!   σ = (ln p95 − ln p50) ÷ z₀.₉₅ (z₀.₉₅ = 1.6448536269514722), optionally capped at `max`
//!   (a request above the cap carries exactly `max` tokens), plus a fixed `extra` that a cascade's
//!   escalation overhead adds to every request.
//!
//! A long-prompt tier applies per request, so a distribution is billed as **segments**: for each
//! tier, the share of requests whose input falls in it and the expected input tokens those
//! requests carry per request of the workload (the partial expectation E[X; a < X ≤ b]).
//! For the lognormal these are closed forms:
//!
//! - P(a < X ≤ b) = Φ(β) − Φ(α), with α = (ln a − μ) ÷ σ and β = (ln b − μ) ÷ σ;
//! - E[X; a < X ≤ b] = e^(μ + σ²/2) × (Φ(β − σ) − Φ(α − σ));
//!
//! with the cap's mass, P(X > max) × max, added to the segment holding `max`. Φ is computed from
//! `erfc` (the `libm` crate, a pure-Rust port of musl, so the figures are the same on every
//! platform), and a difference of two Φ in the upper tail is taken as a difference of two upper
//! tails, so a small tail segment keeps its relative accuracy (about 1e-15, far inside 1e-9).
//!
//! **Only the quantity touches floating point, never money.** Each share and each partial
//! expectation is rounded to [`SIGNIFICANT`] significant digits (and at most [`PLACES`] decimal
//! places) as a `Decimal`, a relative change of at most 5e-12. The largest segment then takes
//! the remainder, so that the shares sum to exactly 1 and the segments' tokens to exactly the
//! rounded mean, whatever the tiers: every model sees the same monthly token volume. From there
//! the kernel multiplies these exact `Decimal` quantities by exact prices, as for any other
//! workload.
//!
//! **Sizes are in the workload's basis tokens.** A model whose tokenizer or image rule bills other
//! counts ([`super::tokens`]) bills a request of x basis tokens as round(x × r ÷ b) + i tokens
//! ([`Scale`]), and its tier is chosen by that billed size:
//!
//! - each bucket is converted exactly, rounded per request like a single size, so bucket bills
//!   stay exact `Decimal`;
//! - a lognormal times a constant is a lognormal, so the model's tier thresholds T are translated
//!   back to basis tokens, (T − i) × b ÷ r, and each segment's billed tokens are
//!   (r ÷ b) × E[X; segment] + i × P(segment). The per-request rounding to whole tokens is not
//!   applied to a continuous size: it moves a request by at most half a token, and a
//!   segment's expected tokens by at most half a token per request, far below the precision of
//!   the distribution's own two percentiles.

use crate::scenario::content::scale_round;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;

/// Significant digits kept when a floating-point share or expectation becomes a `Decimal`.
pub const SIGNIFICANT: u32 = 12;
/// Decimal places kept at most (a share below 1e-18 of requests counts as none).
pub const PLACES: u32 = 18;
/// z₀.₉₅, the standard normal's 95th percentile.
pub const Z95: f64 = 1.644_853_626_951_472_2;

/// How many tokens a request carries, when it varies.
#[derive(Debug, Clone, PartialEq)]
pub enum Size {
    /// Lognormal through two percentiles.
    Lognormal(Lognormal),
    /// Fixed sizes with the share of requests at each, ascending by tokens, shares summing to 1.
    Buckets(Vec<Bucket>),
}

/// A lognormal request size.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lognormal {
    /// The median, tokens.
    pub p50: u64,
    /// The 95th percentile, tokens; above `p50`.
    pub p95: u64,
    /// The cap: a request above it carries exactly this many tokens.
    pub max: Option<u64>,
    /// Tokens every request carries on top (a cascade's escalation overhead), 0 as written.
    pub extra: u64,
}

/// One bucket: `share` of the requests carry exactly `tokens` tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    /// Tokens a request.
    pub tokens: u64,
    /// Share of requests.
    pub share: Decimal,
}

/// The requests of a workload billed at one tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// The tier (see `quantity::Profile::tier`).
    pub tier: usize,
    /// Share of the workload's requests in it.
    pub share: Decimal,
    /// Their tokens per request of the whole workload: Σ over them of tokens × share.
    pub tokens: Decimal,
}

/// How a model bills a request of x basis tokens: round(x × `num` ÷ `den`) + `plus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scale {
    /// The model's tokens per 1,000 characters (or 1).
    pub num: Decimal,
    /// The basis tokenizer's tokens per 1,000 characters (or 1).
    pub den: Decimal,
    /// Tokens added to every request (its images' tokens).
    pub plus: u64,
}

impl Scale {
    /// The counts as written.
    pub const ONE: Scale = Scale {
        num: Decimal::ONE,
        den: Decimal::ONE,
        plus: 0,
    };

    /// Whether it leaves every count as written.
    pub fn is_one(&self) -> bool {
        self.num == self.den && self.plus == 0
    }

    /// The same ratio with nothing added (for output tokens, which carry no images).
    pub fn text(&self) -> Scale {
        Scale { plus: 0, ..*self }
    }

    /// The billed size of a request of `tokens` basis tokens, `None` on overflow.
    pub fn whole(&self, tokens: u64) -> Option<u64> {
        let t = if self.num == self.den {
            tokens
        } else {
            scale_round(tokens, self.num, self.den)?
        };
        t.checked_add(self.plus)
    }

    /// The ratio in floating point (for the lognormal's thresholds).
    fn factor(&self) -> f64 {
        (self.num / self.den).to_f64().unwrap_or(1.0)
    }
}

impl Size {
    /// The same sizes billed at `scale` (buckets exactly; see the module documentation).
    fn buckets_at(buckets: &[Bucket], scale: &Scale) -> Option<Vec<Bucket>> {
        buckets
            .iter()
            .map(|b| {
                Some(Bucket {
                    tokens: scale.whole(b.tokens)?,
                    share: b.share,
                })
            })
            .collect()
    }

    /// The mean tokens a request is billed for at `scale`, `None` on overflow: exact for buckets,
    /// (r ÷ b) × [`Size::mean`] + i for a lognormal.
    pub fn billed_mean(&self, scale: &Scale) -> Option<Decimal> {
        if scale.is_one() {
            return Some(self.mean());
        }
        match self {
            Size::Buckets(b) => Some(Size::Buckets(Size::buckets_at(b, scale)?).mean()),
            Size::Lognormal(_) => self
                .mean()
                .checked_mul(scale.num)?
                .checked_div(scale.den)?
                .checked_add(Decimal::from(scale.plus)),
        }
    }

    /// The segments of the billed sizes at `scale` over the model's tier `thresholds` (in billed
    /// tokens), `None` on overflow: the shares sum to exactly 1 and the tokens, billed tokens,
    /// to exactly [`Size::billed_mean`].
    pub fn billed_segments(&self, thresholds: &[u64], scale: &Scale) -> Option<Vec<Segment>> {
        if scale.is_one() {
            return Some(self.segments(thresholds));
        }
        match self {
            Size::Buckets(b) => {
                Some(Size::Buckets(Size::buckets_at(b, scale)?).segments(thresholds))
            }
            Size::Lognormal(l) => {
                let (k, plus) = (scale.factor(), scale.plus as f64);
                let back = |t: u64| (t as f64 - plus) / k;
                Some(l.segments(
                    thresholds,
                    back,
                    |p, e| (p, k * e + plus * p),
                    self.billed_mean(scale)?,
                ))
            }
        }
    }

    /// The mean tokens a request, exact for buckets, rounded as described above for a lognormal.
    pub fn mean(&self) -> Decimal {
        match self {
            Size::Buckets(b) => b.iter().map(|b| Decimal::from(b.tokens) * b.share).sum(),
            Size::Lognormal(l) => decimal(l.mean()),
        }
    }

    /// The segments of a request size over tier `thresholds` (ascending; tier i applies above
    /// `thresholds[i − 1]` tokens), leaving out tiers no request reaches. The shares sum to
    /// exactly 1 and the tokens to exactly [`Size::mean`].
    pub fn segments(&self, thresholds: &[u64]) -> Vec<Segment> {
        let tier = |n: u64| thresholds.iter().rposition(|&t| n > t).map_or(0, |i| i + 1);
        match self {
            Size::Buckets(buckets) => {
                let mut out: Vec<Segment> = Vec::new();
                for b in buckets {
                    let t = tier(b.tokens);
                    let tokens = Decimal::from(b.tokens) * b.share;
                    match out.last_mut() {
                        Some(s) if s.tier == t => {
                            s.share += b.share;
                            s.tokens += tokens;
                        }
                        _ => out.push(Segment {
                            tier: t,
                            share: b.share,
                            tokens,
                        }),
                    }
                }
                out.retain(|s| !s.share.is_zero());
                out
            }
            Size::Lognormal(l) => l.segments(thresholds, |t| t as f64, |p, e| (p, e), self.mean()),
        }
    }

    /// The size of the request at percentile `p` (0 < p < 1), in whole tokens, rounded up: the
    /// smallest size that at least a share `p` of requests do not exceed.
    pub fn percentile(&self, p: Decimal) -> u64 {
        match self {
            Size::Buckets(b) => {
                let mut seen = Decimal::ZERO;
                for x in b {
                    seen += x.share;
                    if seen >= p {
                        return x.tokens;
                    }
                }
                b.last().map_or(0, |x| x.tokens)
            }
            Size::Lognormal(l) => l.quantile(p.to_f64().unwrap_or(0.99)).ceil() as u64,
        }
    }

    /// The share of requests above `tokens` tokens.
    pub fn above(&self, tokens: f64) -> f64 {
        match self {
            Size::Buckets(b) => b
                .iter()
                .filter(|x| x.tokens as f64 > tokens)
                .map(|x| x.share.to_f64().unwrap_or(0.0))
                .sum(),
            Size::Lognormal(l) => l.above(tokens),
        }
    }

    /// The size at quantile `u` in floating point (for pairing two sizes).
    pub fn quantile(&self, u: f64) -> f64 {
        match self {
            Size::Buckets(b) => {
                let mut seen = 0.0;
                for x in b {
                    seen += x.share.to_f64().unwrap_or(0.0);
                    if seen >= u {
                        return x.tokens as f64;
                    }
                }
                b.last().map_or(0.0, |x| x.tokens as f64)
            }
            Size::Lognormal(l) => l.quantile(u),
        }
    }

    /// The same size with `extra` tokens added to every request.
    pub fn plus(&self, extra: u64) -> Option<Size> {
        Some(match self {
            Size::Buckets(b) => Size::Buckets(
                b.iter()
                    .map(|x| {
                        Some(Bucket {
                            tokens: x.tokens.checked_add(extra)?,
                            share: x.share,
                        })
                    })
                    .collect::<Option<_>>()?,
            ),
            Size::Lognormal(l) => Size::Lognormal(Lognormal {
                extra: l.extra.checked_add(extra)?,
                ..*l
            }),
        })
    }
}

impl Lognormal {
    /// Its segments over tier `thresholds`, each translated to this size's tokens by `back`,
    /// with each segment's share and expectation mapped by `billed`; the largest segment takes
    /// the remainder so that the tokens sum to exactly `mean`.
    fn segments(
        &self,
        thresholds: &[u64],
        back: impl Fn(u64) -> f64,
        billed: impl Fn(f64, f64) -> (f64, f64),
        mean: Decimal,
    ) -> Vec<Segment> {
        let mut out = Vec::new();
        let mut lo = 0.0;
        for t in 0..=thresholds.len() {
            let hi = thresholds.get(t).map_or(f64::INFINITY, |&x| back(x));
            let (p, e) = if hi <= lo {
                (0.0, 0.0)
            } else {
                let (p, e) = self.between(lo, hi);
                billed(p, e)
            };
            let (share, tokens) = (decimal(p), decimal(e));
            if !share.is_zero() {
                out.push(Segment {
                    tier: t,
                    share,
                    tokens,
                });
            }
            lo = lo.max(hi);
        }
        // The largest segment takes the remainder, so that the totals are exact.
        if let Some(big) = (0..out.len()).max_by_key(|&i| out[i].share) {
            let rest_share: Decimal = (0..out.len())
                .filter(|&i| i != big)
                .map(|i| out[i].share)
                .sum();
            let rest_tokens: Decimal = (0..out.len())
                .filter(|&i| i != big)
                .map(|i| out[i].tokens)
                .sum();
            out[big].share = Decimal::ONE - rest_share;
            out[big].tokens = mean - rest_tokens;
        }
        out
    }

    /// μ, the mean of ln X.
    pub fn mu(&self) -> f64 {
        (self.p50 as f64).ln()
    }

    /// σ, the standard deviation of ln X.
    pub fn sigma(&self) -> f64 {
        ((self.p95 as f64).ln() - (self.p50 as f64).ln()) / Z95
    }

    /// The mean tokens a request, cap and extra included.
    pub fn mean(&self) -> f64 {
        self.between(0.0, f64::INFINITY).1
    }

    /// The share of requests with more than `lo` and at most `hi` tokens, and their tokens per
    /// request of the workload (the partial expectation), cap and extra included.
    pub fn between(&self, lo: f64, hi: f64) -> (f64, f64) {
        let e = self.extra as f64;
        // On the capped size Y = min(X, max): tokens T = e + Y.
        let (a, b) = ((lo - e).max(0.0), hi - e);
        if b <= a {
            return (0.0, 0.0);
        }
        let cap = self.max.map_or(f64::INFINITY, |m| m as f64);
        if a >= cap {
            return (0.0, 0.0);
        }
        let (mu, s) = (self.mu(), self.sigma());
        let z = |x: f64| {
            if x <= 0.0 {
                f64::NEG_INFINITY
            } else if x.is_infinite() {
                f64::INFINITY
            } else {
                (libm::log(x) - mu) / s
            }
        };
        let m = libm::exp(mu + s * s / 2.0);
        let top = b.min(cap);
        let (za, zb) = (z(a), z(top));
        let mut p = normal_between(za, zb);
        let mut tokens = m * normal_between(za - s, zb - s);
        if cap.is_finite() && b >= cap {
            // The capped requests all carry `max` tokens.
            let over = normal_between(z(cap), f64::INFINITY);
            p += over;
            tokens += cap * over;
        }
        (p, tokens + e * p)
    }

    /// The share of requests with more than `tokens` tokens.
    pub fn above(&self, tokens: f64) -> f64 {
        self.between(tokens, f64::INFINITY).0
    }

    /// The size at quantile `u`, cap and extra included.
    pub fn quantile(&self, u: f64) -> f64 {
        let x = libm::exp(self.mu() + self.sigma() * normal_quantile(u));
        let cap = self.max.map_or(f64::INFINITY, |m| m as f64);
        x.min(cap) + self.extra as f64
    }
}

/// Φ(b) − Φ(a) for a ≤ b, taken from whichever tail keeps its relative accuracy.
pub fn normal_between(a: f64, b: f64) -> f64 {
    if b <= a {
        return 0.0;
    }
    // Φ(x) = erfc(−x/√2)/2, and the upper tail Q(x) = erfc(x/√2)/2.
    let phi = |x: f64| 0.5 * libm::erfc(-x / std::f64::consts::SQRT_2);
    let q = |x: f64| 0.5 * libm::erfc(x / std::f64::consts::SQRT_2);
    if a >= 0.0 {
        q(a) - q(b)
    } else if b <= 0.0 {
        phi(b) - phi(a)
    } else {
        1.0 - q(b) - phi(a)
    }
}

/// The standard normal quantile: Φ⁻¹(u), by bisection on Φ (exact to the last bits, and only
/// used for percentiles, never for a bill).
pub fn normal_quantile(u: f64) -> f64 {
    if u <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if u >= 1.0 {
        return f64::INFINITY;
    }
    let (mut lo, mut hi) = (-40.0f64, 40.0f64);
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid == lo || mid == hi {
            break;
        }
        if normal_between(f64::NEG_INFINITY, mid) < u {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// A floating-point share or expectation as the exact `Decimal` the bill uses: [`SIGNIFICANT`]
/// significant digits, at most [`PLACES`] decimal places.
pub fn decimal(x: f64) -> Decimal {
    if !x.is_finite() || x <= 0.0 {
        return Decimal::ZERO;
    }
    Decimal::from_f64(x)
        .and_then(|d| d.round_sf(SIGNIFICANT))
        .map(|d| d.round_dp(PLACES).normalize())
        .unwrap_or(Decimal::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn buckets_split_exactly_at_a_threshold() {
        let s = Size::Buckets(vec![
            Bucket {
                tokens: 1_000,
                share: dec("0.5"),
            },
            Bucket {
                tokens: 128_000,
                share: dec("0.3"),
            },
            Bucket {
                tokens: 150_000,
                share: dec("0.2"),
            },
        ]);
        // 128,000 is not above the threshold: tier 0 holds 0.5 + 0.3 of the requests and
        // 1,000 × 0.5 + 128,000 × 0.3 = 38,900 tokens a request; tier 1 holds 0.2 and 30,000.
        assert_eq!(
            s.segments(&[128_000]),
            vec![
                Segment {
                    tier: 0,
                    share: dec("0.8"),
                    tokens: dec("38900")
                },
                Segment {
                    tier: 1,
                    share: dec("0.2"),
                    tokens: dec("30000")
                },
            ]
        );
        assert_eq!(s.mean(), dec("68900"));
        assert_eq!(
            [dec("0.5"), dec("0.51"), dec("0.8"), dec("0.99")].map(|p| s.percentile(p)),
            [1_000, 128_000, 128_000, 150_000]
        );
    }

    #[test]
    fn the_normal_tails_are_accurate() {
        // Φ(1.96) = 0.9750021048517795; Q(8) = 6.22096057427178e-16 (tables).
        assert!((normal_between(f64::NEG_INFINITY, 1.96) - 0.975_002_104_851_779_5).abs() < 1e-15);
        assert!(
            (normal_between(8.0, f64::INFINITY) / 6.220_960_574_271_78e-16 - 1.0).abs() < 1e-12
        );
        assert!((normal_quantile(0.95) - Z95).abs() < 1e-14);
    }

    #[test]
    fn a_lognormal_goes_through_its_percentiles_and_keeps_exact_totals() {
        let l = Lognormal {
            p50: 2_000,
            p95: 12_000,
            max: None,
            extra: 0,
        };
        assert!((l.quantile(0.5) - 2_000.0).abs() < 1e-9);
        assert!((l.quantile(0.95) - 12_000.0).abs() < 1e-8);
        // Mean = p50 × e^(σ²/2), σ = ln 6 ÷ z₀.₉₅.
        let sigma = 6f64.ln() / Z95;
        let mean = 2_000.0 * (sigma * sigma / 2.0).exp();
        assert!((l.mean() / mean - 1.0).abs() < 1e-14, "{} {mean}", l.mean());
        let size = Size::Lognormal(l);
        let segs = size.segments(&[8_000, 32_000]);
        assert_eq!(segs.len(), 3);
        assert_eq!(segs.iter().map(|s| s.share).sum::<Decimal>(), Decimal::ONE);
        assert_eq!(segs.iter().map(|s| s.tokens).sum::<Decimal>(), size.mean());
    }

    #[test]
    fn a_cap_holds_the_tail_at_max() {
        let l = Lognormal {
            p50: 2_000,
            p95: 12_000,
            max: Some(12_000),
            extra: 500,
        };
        // 5% of requests are above p95 and carry 12,000 + 500 tokens.
        // Just below the cap's 12,500 tokens the segment holds the capped 5% and a sliver of
        // density (about 7.9e-6 per token, so under 1e-10 in 1e-5 token).
        let (p, e) = l.between(12_499.999_99, f64::INFINITY);
        assert!((p - 0.05).abs() < 1e-9, "{p}");
        assert!((e - 0.05 * 12_500.0).abs() < 1e-5, "{e}");
        assert_eq!(l.between(12_500.0, f64::INFINITY), (0.0, 0.0));
        assert!((l.quantile(0.99) - 12_500.0).abs() < 1e-9);
    }

    #[test]
    fn floats_become_twelve_significant_digits() {
        assert_eq!(decimal(0.123_456_789_012_345_6), dec("0.123456789012"));
        assert_eq!(decimal(98_765.432_101_234_5), dec("98765.4321012"));
        assert_eq!(decimal(1e-30), Decimal::ZERO);
        assert_eq!(decimal(f64::NAN), Decimal::ZERO);
    }

    /// Qwen's 595.5 tokens per 1,000 Chinese characters against cl100k_base's 1,023.5.
    fn qwen() -> Scale {
        Scale {
            num: dec("595.5"),
            den: dec("1023.5"),
            plus: 0,
        }
    }

    #[test]
    fn buckets_are_billed_and_tiered_at_the_models_own_size() {
        let size = Size::Buckets(vec![
            Bucket {
                tokens: 100_000,
                share: dec("0.5"),
            },
            Bucket {
                tokens: 150_000,
                share: dec("0.5"),
            },
        ]);
        // As written, 150,000 crosses 128k: half the requests at each tier.
        let as_written = size.segments(&[128_000]);
        assert_eq!(
            as_written
                .iter()
                .map(|s| (s.tier, s.share))
                .collect::<Vec<_>>(),
            [(0, dec("0.5")), (1, dec("0.5"))]
        );
        // In Qwen's tokens: 100,000 × 595.5 ÷ 1,023.5 = 58,182.71 → 58,183 and
        // 150,000 × 595.5 ÷ 1,023.5 = 87,274.06 → 87,274, rounded per request; both under 128k.
        // Mean (58,183 + 87,274) ÷ 2 = 72,728.5.
        let billed = size.billed_segments(&[128_000], &qwen()).unwrap();
        assert_eq!(
            billed,
            [Segment {
                tier: 0,
                share: Decimal::ONE,
                tokens: dec("72728.5"),
            }]
        );
        assert_eq!(size.billed_mean(&qwen()), Some(dec("72728.5")));
        // Two 1,024 × 1,024 images on Claude 3 (1,399 tokens each) add 2,798 a request:
        // 126,000 + 2,798 = 128,798 crosses 128k although the text alone does not.
        let one = Size::Buckets(vec![Bucket {
            tokens: 126_000,
            share: Decimal::ONE,
        }]);
        let images = Scale {
            num: Decimal::ONE,
            den: Decimal::ONE,
            plus: 2_798,
        };
        assert_eq!(
            one.billed_segments(&[128_000], &images).unwrap(),
            [Segment {
                tier: 1,
                share: Decimal::ONE,
                tokens: dec("128798"),
            }]
        );
    }

    #[test]
    fn a_scaled_lognormal_is_the_lognormal_of_the_scaled_percentiles() {
        // Twice the tokens: ln 2X is normal with μ + ln 2 and the same σ, so {1000, 4000} × 2
        // splits at 5,000 exactly as {2000, 8000} does at 5,000.
        let l = |p50, p95| Lognormal {
            p50,
            p95,
            max: None,
            extra: 0,
        };
        let twice = Scale {
            num: dec("2"),
            den: Decimal::ONE,
            plus: 0,
        };
        let got = Size::Lognormal(l(1_000, 4_000))
            .billed_segments(&[5_000], &twice)
            .unwrap();
        let want = Size::Lognormal(l(2_000, 8_000)).segments(&[5_000]);
        assert_eq!(got.len(), 2);
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g.tier, w.tier);
            let rel = |a: Decimal, b: Decimal| ((a - b) / b).abs();
            assert!(rel(g.share, w.share) < dec("1e-9"), "{g:?} {w:?}");
            assert!(rel(g.tokens, w.tokens) < dec("1e-9"), "{g:?} {w:?}");
        }
        // Image tokens add to every request: the tier boundary moves down by them, and each
        // segment's tokens gain plus × its share.
        let with_images = Scale {
            plus: 1_000,
            ..twice
        };
        let got = Size::Lognormal(l(1_000, 4_000))
            .billed_segments(&[6_000], &with_images)
            .unwrap();
        for (g, w) in got.iter().zip(&want) {
            let rel = |a: Decimal, b: Decimal| ((a - b) / b).abs();
            assert!(rel(g.share, w.share) < dec("1e-9"), "{g:?} {w:?}");
            let plus = w.share * dec("1000");
            assert!(rel(g.tokens, w.tokens + plus) < dec("1e-9"), "{g:?} {w:?}");
        }
    }
}
