//! The sampled inputs of every trial, and the scenario each trial is priced on.
//!
//! A three-point volume is drawn from the two-piece normal of the logarithms of its points (a
//! two-piece lognormal: positive, with the same 10%, 50% and 90% quantiles); a growth or a price
//! change from the two-piece normal of the points themselves, since either may be negative.
//!
//! A draw is floating point only until it becomes an input: it is then rounded, half to even, to
//! the decimal places its range was written with (at least 0 for a volume, so whole requests when
//! the range is written in whole requests, and at least 6 for a growth or a price change), and
//! clamped to the field's domain (a volume at 0, a growth or a change at −0.99 and 10). From there
//! on everything is the exact kernel. A degenerate range draws its point itself, no float at all.

use super::sample::{exp, ln, normal_cdf, two_piece, Rng};
use crate::scenario::forecast::{Forecast, Target};
use crate::scenario::range::Range;
use crate::scenario::{Requests, Scenario};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::{Decimal, RoundingStrategy};

/// Every input's value in every trial.
#[derive(Debug, Clone)]
pub struct Draws {
    /// `values[input][trial]`, exact.
    pub values: Vec<Vec<Decimal>>,
    /// The same as floating-point numbers, for the estimates.
    pub floats: Vec<Vec<f64>>,
}

/// Draws every trial of `f`. The stream is consumed in a fixed order (per trial: each correlated
/// group's common score, then each input's own score), so a seed fixes every value.
pub fn draw(f: &Forecast) -> Draws {
    let n = f.trials as usize;
    let mut values = vec![Vec::with_capacity(n); f.inputs.len()];
    let mut floats = vec![Vec::with_capacity(n); f.inputs.len()];
    let mut rng = Rng::new(f.seed);
    let mut group_of = vec![None; f.inputs.len()];
    for (g, c) in f.correlations.iter().enumerate() {
        let rho = c.rho.to_f64().unwrap_or(0.0);
        for &i in &c.inputs {
            group_of[i] = Some((g, rho.sqrt(), (1.0 - rho).sqrt()));
        }
    }
    let mut common = vec![0.0; f.correlations.len()];
    for _ in 0..n {
        for z in common.iter_mut() {
            *z = rng.normal();
        }
        for (i, input) in f.inputs.iter().enumerate() {
            let own = rng.normal();
            let z = match group_of[i] {
                Some((g, a, b)) => a * common[g] + b * own,
                None => own,
            };
            let v = value(&input.range, &input.target, z);
            floats[i].push(v.to_f64().unwrap_or(0.0));
            values[i].push(v);
        }
    }
    Draws { values, floats }
}

/// The input a normal score stands for.
fn value(r: &Range, target: &Target, z: f64) -> Decimal {
    if r.is_degenerate() {
        return r.point();
    }
    let f = |d: Decimal| d.to_f64().unwrap_or(0.0);
    let x = match (*r, target) {
        // A volume is positive and its uncertainty multiplicative: its two-piece normal is
        // fitted to the logarithms of the three points, so no draw is zero or negative.
        (Range::Quantiles { p10, p50, p90 }, Target::Volume(_)) if p10 > Decimal::ZERO => {
            exp(two_piece(ln(f(p10)), ln(f(p50)), ln(f(p90)), z))
        }
        (Range::Quantiles { p10, p50, p90 }, _) => two_piece(f(p10), f(p50), f(p90), z),
        (Range::Uniform { low, high }, _) => f(low) + (f(high) - f(low)) * normal_cdf(z),
    };
    let (lo, hi, dp) = match target {
        Target::Volume(_) => (0.0, f64::MAX, 0),
        Target::Growth | Target::Change(_) => (-0.99, 10.0, 6),
    };
    let x = x.clamp(lo, hi);
    Decimal::from_f64(x)
        .unwrap_or(Decimal::ZERO)
        .round_dp_with_strategy(r.scale().max(dp), RoundingStrategy::MidpointNearestEven)
}

/// The scenario of trial `t`: the deterministic scenario with each ranged input at its draw.
pub fn scenario_of(s: &Scenario, f: &Forecast, d: &Draws, t: usize) -> Scenario {
    let mut x = s.clone();
    for (i, input) in f.inputs.iter().enumerate() {
        let v = d.values[i][t];
        match &input.target {
            Target::Growth => x.monthly_growth = v,
            Target::Volume(w) => {
                if let Some(wl) = x.workloads.get_mut(*w) {
                    wl.requests = match wl.requests {
                        Some(Requests::PerMonth(_)) => Some(Requests::PerMonth(v)),
                        _ => Some(Requests::PerDay(v)),
                    };
                }
            }
            Target::Change(k) => {
                x.pricing.change_per_year.insert(k.clone(), v);
            }
        }
    }
    x
}
