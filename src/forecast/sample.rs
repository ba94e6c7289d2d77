//! Random draws that are the same on every platform.
//!
//! The generator is xoshiro256** seeded through SplitMix64 (Blackman and Vigna), written out here
//! so that no crate update can change a figure. Every transformation of its output uses only
//! IEEE 754 addition, multiplication, division and square root, which are correctly rounded on
//! every platform; the logarithm and exponential the normal distribution needs are computed here
//! from those, not taken from the platform's maths library, whose last digits differ between
//! systems. So the same seed gives the same draws, and the same figures, everywhere.
//!
//! **Three points.** A range `{ p10, p50, p90 }` is drawn from the two-piece normal through them:
//! below the median a normal with σ₋ = (p50 − p10) ÷ z₀.₉, above it one with σ₊ = (p90 − p50) ÷ z₀.₉,
//! each carrying half the probability, where z₀.₉ = 1.2815515655446004 is the standard normal's 90%
//! quantile. Its 10%, 50% and 90% quantiles are exactly the three points; it is symmetric when the
//! points are, and skewed the way they are when they are not (a growth of { -0.01, 0.03, 0.12 }
//! has a long upper tail). A range `{ low, high }` is uniform.
//!
//! **Correlation.** Inputs are independent unless `[[forecast.correlate]]` groups them. A group
//! with correlation ρ draws one common normal score Z and, for each member, its own score
//! ε: the member's score is √ρ·Z + √(1 − ρ)·ε (a one-factor Gaussian copula), so any two members'
//! normal scores have correlation ρ. A three-point member turns its score into a value through the
//! two-piece normal; a uniform member through the normal distribution function.

/// The standard normal's 90% quantile.
pub const Z90: f64 = 1.281_551_565_544_600_4;

/// xoshiro256**: 256 bits of state, period 2^256 − 1.
#[derive(Debug, Clone)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator seeded from `seed` through SplitMix64, as the algorithm's authors advise.
    pub fn new(seed: u64) -> Rng {
        let mut x = seed;
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform on the open interval (0, 1): 53 random bits, offset by half a step.
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A standard normal score, by inverting the distribution function at a uniform draw.
    pub fn normal(&mut self) -> f64 {
        inverse_normal(self.uniform())
    }
}

/// The natural logarithm of a positive finite number, from IEEE operations only.
pub fn ln(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return f64::NAN;
    }
    // x = m × 2^e with m in [√½, √2).
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64;
    let mut m = if e == 0 {
        // Subnormal: scale into the normal range first.
        let y = x * 18_014_398_509_481_984.0; // 2^54
        e = ((y.to_bits() >> 52) & 0x7ff) as i64 - 54;
        f64::from_bits((y.to_bits() & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000)
    } else {
        f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000)
    };
    e -= 1023;
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    // ln m = 2 atanh(s), s = (m − 1) ÷ (m + 1), |s| ≤ 0.1716: the series' 12th term is below 1e-18.
    let s = (m - 1.0) / (m + 1.0);
    let s2 = s * s;
    let mut term = s;
    let mut sum = 0.0;
    let mut k = 1.0;
    for _ in 0..12 {
        sum += term / k;
        term *= s2;
        k += 2.0;
    }
    2.0 * sum + e as f64 * std::f64::consts::LN_2
}

/// e^x from IEEE operations only; 0 below −745 and infinity above 709.
pub fn exp(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x < -745.0 {
        return 0.0;
    }
    if x > 709.0 {
        return f64::INFINITY;
    }
    // x = k ln 2 + r with |r| ≤ ½ ln 2; e^r by its Taylor series (the 20th term is below 1e-21).
    // ln 2 in two parts (Cody and Waite): k × LN2_HI is exact, so r keeps its digits for large k.
    // fdlibm's split: the high part has its low 32 bits clear.
    let ln2_hi = f64::from_bits(0x3fe6_2e42_fee0_0000);
    let ln2_lo = f64::from_bits(0x3dea_39ef_3579_3c76);
    let k = (x / std::f64::consts::LN_2).round();
    let r = (x - k * ln2_hi) - k * ln2_lo;
    let mut term = 1.0;
    let mut sum = 1.0;
    for i in 1..20 {
        term *= r / i as f64;
        sum += term;
    }
    // 2^k in two steps, so that k down to −1074 stays representable.
    let k = k as i64;
    let half = k / 2;
    sum * pow2(half) * pow2(k - half)
}

fn pow2(k: i64) -> f64 {
    f64::from_bits(((k + 1023).clamp(1, 2046) as u64) << 52)
}

/// Φ⁻¹(p): Acklam's rational approximation (relative error below 1.2e-9), with one Halley step
/// against [`normal_cdf`] that brings it to near machine precision.
pub fn inverse_normal(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.024_25;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let x = if p < LOW {
        tail((-2.0 * ln(p)).sqrt())
    } else if p > 1.0 - LOW {
        -tail((-2.0 * ln(1.0 - p)).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    // Halley's step: e = Φ(x) − p, u = e √(2π) e^{x²/2}.
    let e = normal_cdf(x) - p;
    let u = e * (2.0 * std::f64::consts::PI).sqrt() * exp(x * x / 2.0);
    x - u / (1.0 + x * u / 2.0)
}

/// Φ(x), the standard normal distribution function, from [`erfc`].
pub fn normal_cdf(x: f64) -> f64 {
    0.5 * erfc(-x / std::f64::consts::SQRT_2)
}

/// The complementary error function: the Taylor series of erf for |x| < 2.5, Lentz's continued
/// fraction beyond; both good to about 1e-15 relative, from IEEE operations only.
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    let ax = x.abs();
    let r = if ax < 2.5 {
        // erf(x) = 2/√π Σ (−1)^n x^(2n+1) ÷ (n! (2n + 1))
        let x2 = ax * ax;
        let mut term = ax;
        let mut sum = ax;
        let mut n = 0.0;
        while term.abs() > 1e-17 * sum.abs() {
            n += 1.0;
            term *= -x2 / n;
            sum += term / (2.0 * n + 1.0);
            if n > 200.0 {
                break;
            }
        }
        1.0 - sum * std::f64::consts::FRAC_2_SQRT_PI
    } else {
        // erfc(x) = e^{−x²}/√π × 1/(x + 1/2/(x + 1/(x + 3/2/(x + …)))) by the modified Lentz method.
        let tiny = 1e-300;
        let mut f = ax;
        let mut c = ax;
        let mut d = 0.0;
        for i in 1..300 {
            let a = i as f64 / 2.0;
            d = ax + a * d;
            d = if d.abs() < tiny { tiny } else { d };
            c = ax + a / c;
            c = if c.abs() < tiny { tiny } else { c };
            d = 1.0 / d;
            let delta = c * d;
            f *= delta;
            if (delta - 1.0).abs() < 1e-16 {
                break;
            }
        }
        exp(-ax * ax) / (f * std::f64::consts::PI.sqrt())
    };
    if x < 0.0 {
        2.0 - r
    } else {
        r
    }
}

/// A value of a three-point range from a standard normal score: the two-piece normal.
pub fn two_piece(p10: f64, p50: f64, p90: f64, z: f64) -> f64 {
    let sigma = if z < 0.0 { p50 - p10 } else { p90 - p50 } / Z90;
    p50 + sigma * z
}

/// The 12th root, (1 + change)^(1/12), by Newton's method from IEEE operations only.
pub fn monthly_factor(change: f64) -> f64 {
    let a = 1.0 + change;
    if change == 0.0 {
        return 1.0;
    }
    if a <= 0.0 {
        return 0.0;
    }
    let mut x = 1.0 + change / 12.0;
    for _ in 0..60 {
        let p = (0..10).fold(x, |acc, _| acc * x);
        let next = (11.0 * x + a / p) / 12.0;
        if next == x {
            break;
        }
        x = next;
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_the_published_one() {
        // xoshiro256** from the state {1, 2, 3, 4}: rotl(2 × 5, 7) × 9 = 11520, then 0, then
        // rotl(262149 × 5, 7) × 9 = 1509978240, worked through the update by hand.
        let mut r = Rng { s: [1, 2, 3, 4] };
        assert_eq!(
            [r.next_u64(), r.next_u64(), r.next_u64()],
            [11520, 0, 1_509_978_240]
        );
        // SplitMix64 from 0 gives 0xe220a8397b1dcdaf first, the reference implementation's.
        assert_eq!(Rng::new(0).s[0], 0xe220_a839_7b1d_cdaf);
        // Same seed, same stream; another seed, another stream.
        assert_eq!(Rng::new(7).next_u64(), Rng::new(7).next_u64());
        assert_ne!(Rng::new(7).next_u64(), Rng::new(8).next_u64());
        let u = Rng::new(1).uniform();
        assert!(u > 0.0 && u < 1.0);
    }

    #[test]
    fn portable_logarithm_and_exponential_match_the_library() {
        for x in [
            1e-300, 1e-10, 0.1, 0.5, 0.999, 1.0, 1.5, 2.0, 10.0, 12345.678, 1e300,
        ] {
            assert!(
                (ln(x) - x.ln()).abs() <= 1e-15 * x.ln().abs().max(1.0),
                "ln {x}"
            );
        }
        for x in [-700.0, -20.0, -1.0, -1e-9, 0.0, 0.3, 1.0, 5.5, 300.0] {
            assert!((exp(x) - x.exp()).abs() <= 1e-14 * x.exp(), "exp {x}");
        }
    }

    #[test]
    fn normal_quantiles_are_the_tabulated_ones() {
        // Tabulated: Φ⁻¹(0.9) = 1.2815515655446004, Φ⁻¹(0.975) = 1.959963984540054,
        // Φ⁻¹(0.001) = −3.090232306167813.
        assert!((inverse_normal(0.9) - Z90).abs() < 1e-12);
        assert!((inverse_normal(0.975) - 1.959_963_984_540_054).abs() < 1e-12);
        assert!((inverse_normal(0.001) + 3.090_232_306_167_813).abs() < 1e-11);
        assert!(inverse_normal(0.5).abs() < 1e-15);
        assert!((normal_cdf(Z90) - 0.9).abs() < 1e-14);
        assert!((normal_cdf(-Z90) - 0.1).abs() < 1e-14);
    }

    #[test]
    fn the_two_piece_normal_goes_through_its_three_points() {
        // At z = ±z₀.₉ and 0 the draw is exactly p10, p50 and p90.
        assert!((two_piece(-0.7, -0.5, -0.2, -Z90) - -0.7).abs() < 1e-15);
        assert_eq!(two_piece(-0.7, -0.5, -0.2, 0.0), -0.5);
        assert!((two_piece(-0.7, -0.5, -0.2, Z90) - -0.2).abs() < 1e-15);
    }

    #[test]
    fn monthly_factors_compound_to_the_yearly_change() {
        for c in [-0.7, -0.5, -0.2, 0.0, 0.3] {
            let f = monthly_factor(c);
            assert!((f.powi(12) - (1.0 + c)).abs() < 1e-14, "{c}");
        }
    }
}
