//! Evaluating one grid point: the winner and runner-up under the scenario's objective.
//!
//! Two paths give the same answer. The general path applies the point's values to a scratch copy
//! of the scenario and calls [`crate::rank::rank`], so every rule holds by construction. The fast
//! path, used when every varied path only changes volumes, token counts, context needs, the
//! calendar or the budget, does the work that does not depend on the varied paths once per sweep
//! (requirements, fit, prices in fixed point) and per point only prices each candidate with
//! integers (see [`super::fixed`]) and picks the top two. Whatever the fast path cannot decide
//! exactly (an amount it cannot hold, a near-tie in the balanced score) it hands to the general
//! path or to the `Decimal` formulas of `rank`.

use super::fixed::{self, FixedModel, FixedPrices, Volumes};
use super::path::{Setter, Target};
use super::values::Values;
use crate::catalogue::fx::FxTable;
use crate::catalogue::Catalogue;
use crate::cost::{horizon_cost, model_cost};
use crate::error::Result;
use crate::fit;
use crate::rank::{
    cost_score, order, rank, requirement_failures, score_failures, setting_counts, Deployment,
};
use crate::scenario::raw::Objective;
use crate::scenario::Scenario;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

/// Relative error allowed for floating-point estimates of converted costs before the exact cost
/// is computed; the estimates are good to about 1e-15.
const MARGIN: f64 = 1e-9;

/// A balanced-score gap the floating-point estimate decides alone; closer calls are recomputed
/// with the `Decimal` formula. The estimate is within 1e-6 of `rank`'s six-decimal score.
const NEAR_TIE: f64 = 1e-5;

/// A candidate as rows name it: a catalogue model bought through its API (the fast, allocation-free
/// case), or a row of `rank` with its own label (a self-hosted estimate, a routed mix).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Who {
    /// Index into `Catalogue::models`.
    Model(usize),
    /// Any other row of `rank`.
    Named(String),
}

/// The model that wins a point.
#[derive(Debug, Clone, PartialEq)]
pub struct Pick {
    /// Which candidate.
    pub who: Who,
    /// Its monthly cost.
    pub monthly: Decimal,
    /// Its fit.
    pub fit: Option<Decimal>,
}

/// The outcome at one grid point.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The winner, if any model qualifies.
    pub winner: Option<Pick>,
    /// The runner-up.
    pub runner_up: Option<Who>,
    /// The winner's horizon cost, when a horizon path is varied.
    pub horizon: Option<Decimal>,
}

/// A sweep, resolved and checked: the base scenario, its axes, and what was precomputed.
pub struct Engine<'c> {
    /// The validated scenario.
    pub base: Scenario,
    /// The catalogue.
    pub cat: &'c Catalogue,
    /// One setter per axis.
    pub setters: Vec<Setter>,
    /// The values of each axis.
    pub axes: Vec<Values>,
    /// Whether rows carry the horizon cost.
    pub horizon: bool,
    fx: FxTable,
    ids: HashMap<String, usize>,
    id_rank: Vec<u32>,
    fast: Option<Fast>,
    candidates: usize,
}

struct Fast {
    /// Catalogue indices of models that pass every requirement not touched by the varied paths.
    static_ok: Vec<usize>,
    cands: Vec<Cand>,
    f_max: u32,
    dynamic_ctx: bool,
}

struct Cand {
    /// Position in `static_ok`.
    sidx: usize,
    cat: usize,
    fixed: Option<FixedModel>,
    /// For a model priced in another currency: its exact cost in that currency and the exchange
    /// factor, to tell cheaply when its exact converted cost cannot matter.
    approx: Option<(FixedModel, f64)>,
}

/// Fit and score checks for one set of models passing the requirements.
struct FitTable {
    ok: Vec<bool>,
    fit: Vec<Option<Decimal>>,
    fit_f: Vec<f64>,
    fit_rank: Vec<u32>,
    by_fit: Vec<usize>,
}

/// Per-thread scratch space: a scenario the point's values are written into, and caches.
pub struct Worker {
    /// The scenario at the current point.
    pub scn: Scenario,
    vols: Vec<Volumes>,
    mask: Vec<bool>,
    fits: Option<Rc<FitTable>>,
    cache: HashMap<Vec<bool>, Rc<FitTable>>,
    /// Per candidate at the current point: the cost code (see `code`), or `i128::MIN` when the
    /// candidate does not qualify.
    costs: Vec<i128>,
    /// The exact cost of candidates priced by the `Decimal` engine at the current point.
    decs: Vec<Option<Decimal>>,
    /// Candidates priced in another currency, with their estimated cost code.
    deferred: Vec<(usize, f64)>,
    /// Models priced so far by this worker.
    pub evaluations: u64,
}

impl<'c> Engine<'c> {
    /// Builds an engine; `setters` and `axes` are parallel and every value has been checked.
    pub fn new(
        base: Scenario,
        cat: &'c Catalogue,
        setters: Vec<Setter>,
        axes: Vec<Values>,
    ) -> Engine<'c> {
        let mut base = base;
        base.top = None;
        let fx = base.fx(cat);
        let ids = cat
            .models
            .iter()
            .enumerate()
            .map(|(i, m)| (m.id.clone(), i))
            .collect();
        let mut order: Vec<usize> = (0..cat.models.len()).collect();
        order.sort_by(|a, b| cat.models[*a].id.cmp(&cat.models[*b].id));
        let mut id_rank = vec![0u32; order.len()];
        for (r, i) in order.into_iter().enumerate() {
            id_rank[i] = r as u32;
        }
        let horizon = setters.iter().any(Setter::horizon);
        let mut e = Engine {
            base,
            cat,
            setters,
            axes,
            horizon,
            fx,
            ids,
            id_rank,
            fast: None,
            candidates: 0,
        };
        e.fast = e.plan_fast();
        e.candidates = match &e.fast {
            Some(f) => f.cands.len(),
            None => {
                let neutral = neutral(&e.base);
                cat.models
                    .iter()
                    .filter(|m| m.price.is_some() && requirement_failures(&neutral, m).is_empty())
                    .count()
            }
        };
        e
    }

    /// Models that may be priced at a point (those that pass the requirements the varied paths do
    /// not touch and have a price).
    pub fn candidates(&self) -> usize {
        self.candidates
    }

    /// Whether the integer fast path is in use.
    pub fn is_fast(&self) -> bool {
        self.fast.is_some()
    }

    /// Points in the grid, or `None` if the count overflows.
    pub fn points(&self) -> Option<u64> {
        self.axes
            .iter()
            .try_fold(1u64, |n, a| n.checked_mul(a.len()))
    }

    /// A model's id.
    pub fn model_id(&self, i: usize) -> &str {
        &self.cat.models[i].id
    }

    /// How a candidate is written in rows and summaries.
    pub fn name<'a>(&'a self, w: &'a Who) -> &'a str {
        match w {
            Who::Model(i) => self.model_id(*i),
            Who::Named(s) => s,
        }
    }

    fn who(&self, r: &crate::rank::Ranked) -> Who {
        match (
            &r.deployment,
            r.answered_by.is_empty(),
            self.ids.get(&r.model),
        ) {
            (Deployment::Api, true, Some(&i)) => Who::Model(i),
            (Deployment::Api, _, _) => Who::Named(r.model.clone()),
            (d, _, _) => Who::Named(format!("{} ({})", r.model, d.as_str())),
        }
    }

    /// Fresh scratch space for one thread.
    pub fn worker(&self) -> Worker {
        Worker {
            scn: self.base.clone(),
            vols: Vec::new(),
            mask: Vec::new(),
            fits: None,
            cache: HashMap::new(),
            costs: Vec::new(),
            decs: Vec::new(),
            deferred: Vec::new(),
            evaluations: 0,
        }
    }

    /// Writes value `v` of axis `a` into the worker's scenario.
    pub fn set(&self, w: &mut Worker, a: usize, v: Decimal) {
        self.setters[a].apply(&mut w.scn, v);
    }

    /// Evaluates the point whose values are already in the worker's scenario.
    pub fn eval(&self, w: &mut Worker) -> Result<Row> {
        if let Some(row) = self.eval_fast(w) {
            return Ok(row);
        }
        self.eval_general(w)
    }

    /// The general path: `rank` itself.
    pub fn eval_general(&self, w: &mut Worker) -> Result<Row> {
        let r = rank(&w.scn, self.cat)?;
        w.evaluations += (r.ranked.len() + r.excluded.len()) as u64;
        let pick = |i: usize| r.ranked.get(i);
        Ok(Row {
            winner: pick(0).map(|x| Pick {
                who: self.who(x),
                monthly: x.monthly_cost,
                fit: x.fit,
            }),
            runner_up: pick(1).map(|x| self.who(x)),
            horizon: if self.horizon {
                pick(0).map(|x| x.horizon_cost)
            } else {
                None
            },
        })
    }

    fn plan_fast(&self) -> Option<Fast> {
        let s = &self.base;
        // Self-hosted estimates and routed mixes are ranked by `rank` itself.
        if s.selfhost.is_some() || s.has_routes() {
            return None;
        }
        if !self.setters.iter().all(Setter::fast)
            || s.workloads
                .iter()
                .any(|w| w.is_media() || w.requests.is_none())
        {
            return None;
        }
        if s.workloads.len() > 8 {
            return None;
        }
        let neutral = neutral(s);
        let static_ok: Vec<usize> = (0..self.cat.models.len())
            .filter(|&i| requirement_failures(&neutral, &self.cat.models[i]).is_empty())
            .collect();
        let prices: Vec<(usize, usize, Option<FixedPrices>)> = static_ok
            .iter()
            .enumerate()
            .filter(|(_, &i)| {
                self.cat.models[i]
                    .price
                    .as_ref()
                    .is_some_and(|p| p.has_token_prices())
            })
            .map(|(sidx, &i)| (sidx, i, FixedPrices::from_model(s, &self.cat.models[i])))
            .collect();
        let foreign: Vec<Option<FixedPrices>> = prices
            .iter()
            .map(|p| match &p.2 {
                Some(_) => None,
                None => FixedPrices::in_own_currency(s, &self.cat.models[p.1]),
            })
            .collect();
        let f_max = prices
            .iter()
            .filter_map(|p| p.2.as_ref().map(FixedPrices::extra_scale))
            .chain(foreign.iter().flatten().map(FixedPrices::extra_scale))
            .max()
            .unwrap_or(0);
        let cands = prices
            .into_iter()
            .zip(foreign)
            .map(|((sidx, cat, p), own)| {
                let m = &self.cat.models[cat];
                let factor = self
                    .fx
                    .convert(Decimal::ONE, m.currency, s.currency)
                    .ok()
                    .and_then(|f| f.to_f64());
                Cand {
                    sidx,
                    cat,
                    fixed: p.and_then(|p| p.scaled(f_max)),
                    approx: own.and_then(|p| p.scaled(f_max)).zip(factor),
                }
            })
            .collect();
        let dynamic_ctx = self.setters.iter().any(|st| match &st.target {
            Target::Workload { field, .. } => {
                matches!(*field, "input_tokens" | "output_tokens" | "context_tokens")
            }
            Target::MinContextTokens => true,
            _ => false,
        });
        Some(Fast {
            static_ok,
            cands,
            f_max,
            dynamic_ctx,
        })
    }

    fn eval_fast(&self, w: &mut Worker) -> Option<Row> {
        let fast = self.fast.as_ref()?;
        if fast.dynamic_ctx || w.fits.is_none() {
            self.update_mask(fast, w);
        }
        let fits = Rc::clone(w.fits.as_ref()?);
        let t = fixed::volumes(&w.scn, &mut w.vols)?;
        let scale = t + 14 + fast.f_max;
        if scale > fixed::MAX_SCALE {
            return None;
        }
        let budget = match w.scn.requirements.max_monthly_cost {
            None => i128::MAX,
            Some(max) => code(max, scale).unwrap_or(i128::MAX),
        };
        w.costs.clear();
        w.costs.resize(fast.cands.len(), i128::MIN);
        w.decs.clear();
        w.decs.resize(fast.cands.len(), None);
        w.deferred.clear();
        for (ci, c) in fast.cands.iter().enumerate() {
            if !fits.ok[ci] {
                continue;
            }
            if let (None, Some((own, factor))) = (&c.fixed, &c.approx) {
                // Estimated here; priced exactly below only if it could matter.
                let a = own.monthly(&w.vols)? as f64 * factor * 2.0;
                w.evaluations += 1;
                if a <= budget as f64 * (1.0 + MARGIN) + 4.0 {
                    w.deferred.push((ci, a));
                }
                continue;
            }
            let cost = match &c.fixed {
                Some(f) => f.monthly(&w.vols)?.checked_mul(2)?,
                None => match model_cost(&w.scn, &self.cat.models[c.cat], &self.fx) {
                    Ok(Ok(mc)) => {
                        w.decs[ci] = Some(mc.monthly_cost);
                        code(mc.monthly_cost, scale)?
                    }
                    Ok(Err(_)) => continue,
                    Err(_) => return None,
                },
            };
            w.evaluations += 1;
            if cost == budget && cost % 2 != 0 {
                // Both within one unit of the last digit: only the exact values can tell.
                return None;
            }
            if cost <= budget {
                w.costs[ci] = cost;
            }
        }
        let (mut best, mut second) = self.top_two(fast, &fits, &w.costs, &w.decs, scale)?;
        if !w.deferred.is_empty() {
            let mut changed = false;
            for k in 0..w.deferred.len() {
                let (ci, a) = w.deferred[k];
                if !self.may_matter(&fits, &w.costs, second, ci, a, budget) {
                    continue;
                }
                let mc = match model_cost(&w.scn, &self.cat.models[fast.cands[ci].cat], &self.fx) {
                    Ok(Ok(mc)) => mc.monthly_cost,
                    Ok(Err(_)) => continue,
                    Err(_) => return None,
                };
                let cost = code(mc, scale)?;
                if cost == budget && cost % 2 != 0 {
                    return None;
                }
                if cost <= budget {
                    w.costs[ci] = cost;
                    w.decs[ci] = Some(mc);
                    changed = true;
                }
            }
            if changed {
                (best, second) = self.top_two(fast, &fits, &w.costs, &w.decs, scale)?;
            }
        }
        let winner = match best {
            None => None,
            Some(ci) => Some(Pick {
                who: Who::Model(fast.cands[ci].cat),
                monthly: exact(&w.costs, &w.decs, ci, scale)?,
                fit: fits.fit[ci],
            }),
        };
        let horizon = match (&winner, self.horizon) {
            (Some(p), true) => {
                Some(horizon_cost(p.monthly, w.scn.horizon_months, w.scn.monthly_growth).ok()?)
            }
            _ => None,
        };
        Some(Row {
            winner,
            runner_up: second.map(|ci| Who::Model(fast.cands[ci].cat)),
            horizon,
        })
    }

    /// Whether a model estimated at `a` (a cost code, approximately) could rank in the top two or
    /// be the cheapest, given the exactly priced candidates. Margins are far wider than the
    /// estimate's error, so a model judged irrelevant is irrelevant.
    fn may_matter(
        &self,
        fits: &FitTable,
        costs: &[i128],
        second: Option<usize>,
        ci: usize,
        a: f64,
        budget: i128,
    ) -> bool {
        let Some(s2) = second else { return true };
        let near = |c: i128| a <= c as f64 * (1.0 + MARGIN) + 4.0;
        if budget != i128::MAX && a >= budget as f64 * (1.0 - MARGIN) - 4.0 {
            return true;
        }
        match self.base.objective {
            Objective::Cheapest => near(costs[s2]),
            Objective::BestFit => fits.fit_rank[ci] >= fits.fit_rank[s2],
            Objective::Balanced => {
                let cheapest = costs.iter().copied().filter(|&c| c > 0).min();
                let Some(min) = cheapest else { return true };
                if near(min) || fits.fit[ci].is_none() != fits.fit[s2].is_none() {
                    return true;
                }
                let cs = |c: f64| (100.0 - 25.0 * (c / min as f64).log10()).clamp(0.0, 100.0);
                fits.fit_f[ci] + cs(a) + 1e-3 >= fits.fit_f[s2] + cs(costs[s2] as f64)
            }
        }
    }

    fn update_mask(&self, fast: &Fast, w: &mut Worker) {
        let s = &w.scn;
        let need = s
            .workloads
            .iter()
            .map(|x| x.context_tokens)
            .max()
            .unwrap_or(0);
        let out_need = s
            .workloads
            .iter()
            .map(|x| x.output_tokens)
            .max()
            .unwrap_or(0);
        let min = s.requirements.min_context_tokens;
        let mask: Vec<bool> = fast
            .static_ok
            .iter()
            .map(|&i| {
                let m = &self.cat.models[i];
                // The context and output checks of `requirement_failures`, for a text scenario.
                let ctx = m
                    .context_window
                    .is_some_and(|h| h >= need && min.is_none_or(|mn| h >= mn));
                ctx && m.max_output_tokens.is_none_or(|mo| mo >= out_need)
            })
            .collect();
        if w.fits.is_some() && mask == w.mask {
            return;
        }
        let table = match w.cache.get(&mask) {
            Some(t) => Rc::clone(t),
            None => {
                let t = Rc::new(self.fit_table(fast, s, &mask));
                w.cache.insert(mask.clone(), Rc::clone(&t));
                t
            }
        };
        w.mask = mask;
        w.fits = Some(table);
    }

    fn fit_table(&self, fast: &Fast, s: &Scenario, mask: &[bool]) -> FitTable {
        let passing = fast
            .static_ok
            .iter()
            .zip(mask)
            .filter(|(_, ok)| **ok)
            .map(|(&i, _)| &self.cat.models[i]);
        let counts = setting_counts(s, passing);
        let n = fast.cands.len();
        let mut ok = vec![false; n];
        let mut fit = vec![None; n];
        for (ci, c) in fast.cands.iter().enumerate() {
            if !mask[c.sidx] {
                continue;
            }
            let m = &self.cat.models[c.cat];
            let f = fit::fit(m, &s.fit, &self.cat.registry, &counts);
            ok[ci] = score_failures(s, &counts, m, &f).is_empty();
            fit[ci] = f.fit;
        }
        let mut distinct: Vec<Decimal> = fit.iter().flatten().copied().collect();
        distinct.sort();
        distinct.dedup();
        let fit_rank = fit
            .iter()
            .map(|f| f.map_or(0, |v| 1 + distinct.partition_point(|d| *d < v) as u32))
            .collect::<Vec<_>>();
        let mut by_fit: Vec<usize> = (0..n).collect();
        by_fit.sort_by(|a, b| fit_rank[*b].cmp(&fit_rank[*a]));
        let fit_f = fit
            .iter()
            .map(|f| f.and_then(|v| v.to_f64()).unwrap_or(0.0))
            .collect();
        FitTable {
            ok,
            fit,
            fit_f,
            fit_rank,
            by_fit,
        }
    }

    /// The first two candidates in ranking order, or `None` if the order needs the general path.
    fn top_two(
        &self,
        fast: &Fast,
        fits: &FitTable,
        costs: &[i128],
        decs: &[Option<Decimal>],
        scale: u32,
    ) -> Option<(Option<usize>, Option<usize>)> {
        let objective = self.base.objective;
        let (mut best, mut second) = (None, None);
        if objective != Objective::Balanced {
            let id = |ci: usize| self.id_rank[fast.cands[ci].cat];
            let before = |a: usize, b: usize| {
                if costs[a] == costs[b] && costs[a] % 2 != 0 {
                    return None;
                }
                let by_cost = costs[a].cmp(&costs[b]);
                let by_fit = fits.fit_rank[b].cmp(&fits.fit_rank[a]);
                let o = if objective == Objective::Cheapest {
                    by_cost.then(by_fit)
                } else {
                    by_fit.then(by_cost)
                };
                Some(o.then(id(a).cmp(&id(b))) == Ordering::Less)
            };
            for ci in (0..costs.len()).filter(|&ci| costs[ci] != i128::MIN) {
                insert(&mut best, &mut second, ci, before)?;
            }
            return Some((best, second));
        }
        let cheapest = costs
            .iter()
            .enumerate()
            .filter(|(_, &c)| c > 0)
            .min_by_key(|(_, &c)| c)
            .map(|(i, _)| i);
        if cheapest.is_some_and(|ci| {
            costs.iter().filter(|&&c| c == costs[ci]).count() > 1 && costs[ci] % 2 != 0
        }) {
            return None;
        }
        let cheapest_dec = match cheapest {
            Some(ci) => Some(exact(costs, decs, ci, scale)?),
            None => None,
        };
        let cheapest = cheapest.map(|ci| costs[ci]);
        let lmin = cheapest.map(|c| (c as f64).log10());
        let mut keys = vec![f64::NEG_INFINITY; costs.len()];
        for &ci in &fits.by_fit {
            if costs[ci] == i128::MIN {
                continue;
            }
            if let (Some(s2), Some(_)) = (second, fits.fit[ci]) {
                // Candidates come in falling fit order and a key is fit + at most 100 cost points,
                // so none from here on can overtake the runner-up.
                if fits.fit[s2].is_some() && fits.fit_f[ci] + 100.0 + NEAR_TIE < keys[s2] {
                    break;
                }
            }
            if fits.fit[ci].is_some() {
                let c = costs[ci];
                let cs = match (cheapest, lmin) {
                    (Some(min), Some(lm)) if c > min => {
                        (100.0 - 25.0 * ((c as f64).log10() - lm)).clamp(0.0, 100.0)
                    }
                    _ => 100.0,
                };
                keys[ci] = fits.fit_f[ci] + cs;
            }
            let before = |a: usize, b: usize| -> Option<bool> {
                let (fa, fb) = (fits.fit[a], fits.fit[b]);
                if fa.is_some() && fb.is_some() && (keys[a] - keys[b]).abs() > NEAR_TIE {
                    return Some(keys[a] > keys[b]);
                }
                // A near-tie or a missing fit: the exact rule of `rank`.
                let cheap = cheapest_dec;
                let (ca, cb) = (exact(costs, decs, a, scale)?, exact(costs, decs, b, scale)?);
                let bal = |f: Option<Decimal>, c: Decimal| {
                    f.map(|f| (f + cost_score(c, cheap)) / Decimal::TWO)
                };
                let (ia, ib) = (
                    self.model_id(fast.cands[a].cat),
                    self.model_id(fast.cands[b].cat),
                );
                Some(
                    order(
                        objective,
                        (ca, fa, bal(fa, ca), ia),
                        (cb, fb, bal(fb, cb), ib),
                    ) == Ordering::Less,
                )
            };
            insert(&mut best, &mut second, ci, before)?;
        }
        Some((best, second))
    }
}

/// Keeps the first two of a stream in the order `before`.
fn insert(
    best: &mut Option<usize>,
    second: &mut Option<usize>,
    x: usize,
    before: impl Fn(usize, usize) -> Option<bool>,
) -> Option<()> {
    match *best {
        None => *best = Some(x),
        Some(b) if before(x, b)? => {
            *second = *best;
            *best = Some(x);
        }
        Some(_) => match *second {
            Some(s2) if !before(x, s2)? => {}
            _ => *second = Some(x),
        },
    }
    Some(())
}

/// The base scenario with every requirement that depends on token counts neutralised, so that
/// the remaining failures hold at every point of a fast sweep.
fn neutral(base: &Scenario) -> Scenario {
    let mut n = base.clone();
    for w in n.workloads.iter_mut().filter(|w| w.requests.is_some()) {
        w.context_tokens = 0;
        w.output_tokens = 0;
    }
    n.requirements.min_context_tokens = None;
    n.requirements.max_monthly_cost = None;
    n
}

/// An amount as an integer that orders exactly like it: 2 × (amount × 10^scale) when that is
/// whole, else 2 × floor(amount × 10^scale) + 1, which sits strictly between its neighbours.
/// Two equal odd codes cannot be ordered and send the point to the exact path.
fn code(d: Decimal, scale: u32) -> Option<i128> {
    let (m, s) = fixed::parts(d);
    if s <= scale {
        return m.checked_mul(fixed::pow10(scale - s)?)?.checked_mul(2);
    }
    let p = fixed::pow10(s - scale)?;
    let floor = m.div_euclid(p);
    floor
        .checked_mul(2)?
        .checked_add(i128::from(m.rem_euclid(p) != 0))
}

/// The exact cost of candidate `ci`.
fn exact(costs: &[i128], decs: &[Option<Decimal>], ci: usize, scale: u32) -> Option<Decimal> {
    match decs[ci] {
        Some(d) => Some(d),
        None => fixed::to_decimal(costs[ci] / 2, scale),
    }
}

#[cfg(test)]
mod tests {
    use crate::catalogue::Catalogue;
    use crate::scenario::raw::Objective;
    use crate::sweep::{build, for_each_row};
    use std::path::Path;

    /// Every point of the grid gives the same row on the fast path as through `rank` itself.
    #[track_caller]
    fn same_as_rank(vary: &[&str], objective: Option<Objective>) {
        let cat = Catalogue::embedded().unwrap();
        let path = Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/support-chatbot.toml"
        ));
        let vary: Vec<String> = vary.iter().map(|s| s.to_string()).collect();
        let e = build(path, &vary, &cat, objective).unwrap();
        assert!(e.is_fast(), "{vary:?} should take the fast path");
        let mut w = e.worker();
        let mut n = 0;
        let mut winners = std::collections::BTreeSet::new();
        for_each_row(&e, |coords, fast| {
            for (a, &c) in coords.iter().enumerate() {
                e.set(&mut w, a, e.axes[a].get(c));
            }
            let slow = e.eval_general(&mut w).unwrap();
            assert_eq!(fast, &slow, "{vary:?} at {coords:?}");
            winners.insert(fast.winner.as_ref().map(|p| p.who.clone()));
            n += 1;
        })
        .unwrap();
        assert_eq!(n, e.points().unwrap());
        // The grids are chosen so that the winner changes: the test compares more than one answer.
        assert!(winners.len() > 1, "{vary:?}: only {winners:?}");
    }

    #[test]
    fn fast_path_equals_rank_on_volume_and_budget_grids() {
        same_as_rank(
            &[
                "workload.chat.requests_per_day=100..10000000/9:log",
                "requirements.max_monthly_cost=50..50000/7:log",
            ],
            None,
        );
        same_as_rank(
            &[
                "workload.chat.requests_per_day=100..10000000/9:log",
                "requirements.max_monthly_cost=50..50000/7:log",
            ],
            Some(Objective::BestFit),
        );
        same_as_rank(
            &[
                "workload.nightly-summaries.requests_per_month=1000..100000000/9:log",
                "workload.chat.cached_input_share=0..1/5",
                "requirements.max_monthly_cost=1000,100000",
            ],
            Some(Objective::Cheapest),
        );
    }

    #[test]
    fn fast_path_equals_rank_when_context_needs_change() {
        // Input tokens cross the 8k, 16k, 32k and 128k context windows and the long-prompt tiers.
        same_as_rank(
            &[
                "workload.chat.input_tokens=1000..191000/20",
                "workload.chat.output_tokens=100,3000,5000",
            ],
            None,
        );
        same_as_rank(
            &[
                "requirements.min_context_tokens=1000..1000000/9:log",
                "days_per_month=1,30",
            ],
            Some(Objective::BestFit),
        );
        same_as_rank(
            &[
                "workload.nightly-summaries.batch_share=0..1/3",
                "workload.chat.context_tokens=1000..250000/4",
            ],
            Some(Objective::Cheapest),
        );
    }
}
