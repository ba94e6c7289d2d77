//! Running the trials: estimate every candidate's first month and horizon in every trial, count
//! each trial's winner, pick the trials at the 10th, 50th and 90th percentiles, and price those
//! trials exactly with the kernel.
//!
//! **Percentiles** are nearest-rank: of n trials sorted by cost, P10 is the ⌈0.1 n⌉-th, P50 the
//! ⌈0.5 n⌉-th and P90 the ⌈0.9 n⌉-th (ties in trial order). The order comes from the estimate
//! ([`super::estimate`], the kernel's bilinear forms of [`super::linear`] summed trial by trial);
//! the figure reported is the kernel's exact `monthly_cost` or `horizon_cost` of that trial's
//! scenario ([`super::draws::scenario_of`], its workloads made one at a time). With every range
//! degenerate each trial's scenario is the deterministic one, so every percentile is the
//! deterministic figure, digit for digit.

use super::draws::draw;
use super::estimate::{estimate, Estimates, Form, Trend};
use super::sample;
use super::{Fan, ModelForecast, Outlook, Percentiles};
use crate::catalogue::fx::FxTable;
use crate::catalogue::Catalogue;
use crate::cost::model_cost_over;
use crate::error::{Error, Result};
use crate::rank::Ranked;
use crate::scenario::forecast::Forecast;
use crate::scenario::raw::Objective;
use crate::scenario::{Scenario, Workload};
use crate::score::Balance;
use rayon::prelude::*;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// What orders each candidate's trials.
struct Keys {
    /// First month, `[candidate][trial]`.
    monthly: Vec<Vec<f64>>,
    /// Horizon, `[candidate][trial]`.
    horizon: Vec<Vec<f64>>,
}

/// The growth factors (1 + g)^k of each month of the horizon.
fn growth_row(g: f64, months: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(months);
    let mut x = 1.0;
    for _ in 0..months {
        out.push(x);
        x *= 1.0 + g;
    }
    out
}

/// What one trial gives: each candidate's first month and horizon, and each fan model's cost in
/// each month, as (month, cost).
struct Trial {
    bills: Vec<(f64, f64)>,
    fans: Vec<Vec<(usize, f64)>>,
}

/// The forecast of the API candidates of `ranked` (every eligible row, before any `top` cut).
pub fn run(
    s: &Scenario,
    f: &Forecast,
    cat: &Catalogue,
    fx: &FxTable,
    ranked: &[Ranked],
    fan_models: usize,
) -> Result<Outlook> {
    let d = draw(f);
    let n = f.trials as usize;
    let candidates: Vec<&Ranked> = ranked
        .iter()
        .filter(|r| r.answered_by.is_empty() && r.deployment.as_str() == "api")
        .collect();
    // Every ranked API model has a bill, so each has an estimate; one without is left out.
    let models = candidates
        .iter()
        .map(|r| cat.find_model(&r.model))
        .collect::<Result<Vec<_>>>()?;
    let est = estimate(s, f, &d, &models, fx)?;
    let candidates: Vec<&Ranked> = est.forms.iter().map(|k| candidates[k.candidate]).collect();
    // Each trial's first month and horizon of every candidate, from its segments' estimates.
    let months = s.horizon_months as usize;
    let fixed_growth = growth_row(s.monthly_growth.to_f64().unwrap_or(0.0), months);
    let fanned = est.forms.len().min(fan_models);
    let trials: Vec<Trial> = (0..n)
        .into_par_iter()
        .map(|t| {
            let drawn;
            let growth: &[f64] = match est.growth {
                Some(slot) => {
                    drawn = growth_row(est.wide(t, slot), months);
                    &drawn
                }
                None => &fixed_growth,
            };
            let bills = (0..est.forms.len())
                .map(|k| {
                    let mut total = 0.0;
                    months_of(&est, t, k, s.horizon_months, growth, |_, v| total += v);
                    (est.segments(t, k)[0], total)
                })
                .collect();
            let fans = (0..fanned)
                .map(|k| {
                    let mut by_month = Vec::with_capacity(months);
                    months_of(&est, t, k, s.horizon_months, growth, |m, v| {
                        by_month.push((m, v))
                    });
                    by_month
                })
                .collect();
            Trial { bills, fans }
        })
        .collect();
    let forms = est.forms.len();
    drop(est);
    let est = Keys {
        monthly: (0..forms)
            .map(|c| trials.iter().map(|x| x.bills[c].0).collect())
            .collect(),
        horizon: (0..forms)
            .map(|c| trials.iter().map(|x| x.bills[c].1).collect())
            .collect(),
    };
    let fan_months: Vec<Vec<[f64; 3]>> = (0..fanned)
        .map(|c| fan(trials.iter().map(|x| x.fans[c].as_slice()), months, n))
        .collect();
    drop(trials);
    // The routed mix, priced trial by trial, ranks beside the models in every trial.
    let mix = super::mix::trials(s, f, &d, cat, fx, ranked)?;
    let mix_horizons = mix.as_ref().map(|m| m.horizons()).unwrap_or_default();
    let mut field = Field {
        names: candidates.iter().map(|r| r.model.as_str()).collect(),
        horizons: est.horizon.iter().map(Vec::as_slice).collect(),
        fits: candidates
            .iter()
            .map(|r| Fits::Fixed(r.fit.and_then(|f| f.to_f64())))
            .collect(),
    };
    if let Some(m) = &mix {
        field.names.push(&m.row.model);
        field.horizons.push(&mix_horizons);
        field.fits.push(Fits::PerTrial(
            m.fits.iter().map(|f| f.and_then(|x| x.to_f64())).collect(),
        ));
    }
    let wins = wins(s, &field, n);
    let share = |w: u32| (Decimal::from(w) / Decimal::from(n as u64)).round_dp(6);

    let mut models = Vec::with_capacity(candidates.len());
    for (c, r) in candidates.iter().enumerate() {
        let m = cat.find_model(&r.model)?;
        let exact = |t: usize, horizon: bool| -> Result<Decimal> {
            // The trial's scenario, its workloads made one at a time.
            let trial = d.trial(s, t);
            let workloads = |each: &mut dyn FnMut(&Workload) -> bool| trial.workloads(each);
            // The draws move volumes, hit rates, growth and trends, never whether a model has a
            // price.
            let cost = model_cost_over(&trial.settings, s, &workloads, m, fx, &mut |_| {})?
                .map_err(|crate::cost::Unpriced::Reason(why)| {
                    Error::Usage(format!("{} has no price in a trial: {why}", r.model))
                })?;
            Ok(if horizon {
                cost.horizon_cost
            } else {
                cost.monthly_cost
            })
        };
        let pick = |v: &[f64], horizon: bool| -> Result<Percentiles> {
            let [a, b, c] = nearest_ranks(v);
            Ok(Percentiles {
                p10: exact(a, horizon)?,
                p50: exact(b, horizon)?,
                p90: exact(c, horizon)?,
            })
        };
        models.push(ModelForecast {
            model: r.model.clone(),
            monthly: pick(&est.monthly[c], false)?,
            horizon: pick(&est.horizon[c], true)?,
            wins: wins[c],
            win_share: share(wins[c]),
        });
    }
    if let Some(m) = &mix {
        let w = wins[candidates.len()];
        models.push(ModelForecast {
            model: m.row.model.clone(),
            monthly: m.percentiles(false),
            horizon: m.percentiles(true),
            wins: w,
            win_share: share(w),
        });
    }
    let fans = candidates
        .iter()
        .zip(fan_months)
        .map(|(r, months)| Fan {
            model: r.model.clone(),
            months,
        })
        .collect();
    Ok(Outlook {
        trials: f.trials,
        seed: f.seed,
        models,
        fans,
    })
}

/// Each month's cost of form `k` in trial `t`, with growth factors `growth`, handed to `each`
/// in month order: month m of a segment costs its bill × growth(m) × f^(m − start), f the
/// monthly price factor.
fn months_of(
    est: &Estimates,
    t: usize,
    k: usize,
    months: u32,
    growth: &[f64],
    mut each: impl FnMut(usize, f64),
) {
    let Form { starts, trend, .. } = &est.forms[k];
    let f = match *trend {
        Trend::Fixed(x) => x,
        Trend::Drawn(slot) => sample::monthly_factor(est.wide(t, slot)),
    };
    for (si, (&start, &bill)) in starts.iter().zip(est.segments(t, k)).enumerate() {
        let end = starts.get(si + 1).copied().unwrap_or(months);
        let mut p = 1.0;
        for m in start..end {
            each(m as usize, bill * growth[m as usize] * p);
            p *= f;
        }
    }
}

/// P10, P50 and P90 of each month's cost, for the fan chart (floating point: a picture), from
/// each trial's (month, cost) in trial order.
fn fan<'a>(
    trials: impl Iterator<Item = &'a [(usize, f64)]>,
    months: usize,
    n: usize,
) -> Vec<[f64; 3]> {
    let mut by_month = vec![Vec::with_capacity(n); months];
    for trial in trials {
        for &(k, v) in trial {
            by_month[k].push(v);
        }
    }
    by_month
        .iter()
        .map(|v| nearest_ranks(v).map(|t| v[t]))
        .collect()
}

/// The trials at the nearest ranks ⌈0.1 n⌉, ⌈0.5 n⌉ and ⌈0.9 n⌉ (1-based) of `v`, ties in trial
/// order.
pub fn nearest_ranks(v: &[f64]) -> [usize; 3] {
    let n = v.len();
    let mut idx: Vec<usize> = (0..n).collect();
    idx.sort_unstable_by(|&a, &b| v[a].total_cmp(&v[b]).then(a.cmp(&b)));
    let at = |p: usize| idx[((p * n).div_ceil(10)).max(1) - 1];
    [at(1), at(5), at(9)]
}

/// A candidate's fit: the same in every trial (a model), or one per trial (a routed mix, whose
/// blended fit moves with its drawn shares).
enum Fits {
    Fixed(Option<f64>),
    PerTrial(Vec<Option<f64>>),
}

/// The candidates every trial ranks: their names, horizons by trial, and fits.
struct Field<'a> {
    names: Vec<&'a str>,
    horizons: Vec<&'a [f64]>,
    fits: Vec<Fits>,
}

/// How many trials each candidate wins under the objective, ranked on its horizon cost.
fn wins(s: &Scenario, field: &Field, n: usize) -> Vec<u32> {
    let k = field.names.len();
    let mut wins = vec![0u32; k];
    if k == 0 {
        return wins;
    }
    let p = Balance::of(s).points_f64();
    let ln10 = sample::ln(10.0);
    let mut scores = vec![None; k];
    let mut fits = vec![None; k];
    for t in 0..n {
        for (c, f) in fits.iter_mut().enumerate() {
            *f = match &field.fits[c] {
                Fits::Fixed(x) => *x,
                Fits::PerTrial(v) => v[t],
            };
        }
        let cost = |c: usize| field.horizons[c][t];
        if s.objective == Objective::Balanced {
            let cheapest = (0..k)
                .map(cost)
                .filter(|&x| x > 0.0)
                .fold(f64::INFINITY, f64::min);
            for (c, sc) in scores.iter_mut().enumerate() {
                let cs = if cost(c) <= cheapest || !cheapest.is_finite() {
                    100.0
                } else {
                    (100.0 - p * sample::ln(cost(c) / cheapest) / ln10).clamp(0.0, 100.0)
                };
                *sc = fits[c].map(|f| (f + cs) / 2.0);
            }
        }
        let better = |a: usize, b: usize| -> bool {
            let desc = |x: Option<f64>, y: Option<f64>| match (x, y) {
                (Some(x), Some(y)) => y.total_cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            };
            let by_cost = cost(a).total_cmp(&cost(b));
            let by_fit = desc(fits[a], fits[b]);
            let o = match s.objective {
                Objective::Cheapest => by_cost.then(by_fit),
                Objective::BestFit => by_fit.then(by_cost),
                Objective::Balanced => desc(scores[a], scores[b]).then(by_fit).then(by_cost),
            };
            o.then_with(|| field.names[a].cmp(field.names[b])).is_lt()
        };
        let mut best = 0;
        for c in 1..k {
            if better(c, best) {
                best = c;
            }
        }
        wins[best] += 1;
    }
    wins
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_ranks_of_ten_trials() {
        // n = 10: ranks ⌈1⌉ = 1, ⌈5⌉ = 5, ⌈9⌉ = 9 (1-based) of the sorted values 10, 20, …, 100.
        let v = [50.0, 10.0, 100.0, 30.0, 20.0, 90.0, 40.0, 70.0, 60.0, 80.0];
        let [a, b, c] = nearest_ranks(&v);
        assert_eq!([v[a], v[b], v[c]], [10.0, 50.0, 90.0]);
        // n = 1: every percentile is the one trial.
        assert_eq!(nearest_ranks(&[3.0]), [0, 0, 0]);
        // Ties go in trial order: all equal, so ranks 1, 5 and 9 are trials 0, 4 and 8.
        assert_eq!(nearest_ranks(&[1.0; 10]), [0, 4, 8]);
    }
}
