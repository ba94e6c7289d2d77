//! Evaluating one grid point: the winner and runner-up under the scenario's objective.
//!
//! Two paths give the same answer. The general (exact) path applies the point's values to a
//! scratch copy of the scenario and calls [`crate::rank::rank`], so every rule holds by
//! construction. The fast path is used when every varied path is one it is told how to follow
//! ([`Setter::effect`]: volumes, token counts, context needs, the calendar, the budget, the
//! horizon). It does the work that does not depend on the varied paths once per sweep
//! (requirements, fit, each model's coefficients from the cost kernel) and per point only counts
//! each changed workload's quantities with the kernel, prices every candidate in exact fixed
//! point (see [`super::fixed`]) and picks the top two. Whatever the fast path cannot decide
//! exactly (an amount it cannot hold, a near-tie in the balanced score) it hands to the general
//! path or to the `Decimal` formulas of `rank`.
//!
//! A workload's bill on each model is kept from point to point and priced again only when an axis
//! that feeds it moves (with the last axis fastest, usually one workload a point). Quantities are
//! held at one scale t for the whole sweep; a point whose values need more decimal places raises
//! t for the rest of the sweep and prices every workload again.

use super::field::Bills;
use super::fixed::{
    self, decimal_coefficients, parts_at, scale_of, terms_at, Coefficients, FixedPart, Unfit,
    MAX_SCALE,
};
use super::path::Setter;
use super::top::{self, to_f64, Exact, Scan, Table, OUT};
use super::values::Values;
use crate::catalogue::fx::FxTable;
use crate::catalogue::Catalogue;
use crate::cost::quantity::{demand, split, Count, Part, Profile};
use crate::cost::tokens::Refusal;
use crate::cost::Term;
use crate::cost::{horizon_cost, model_cost_each};
use crate::eligibility::{requirement_failures, score_failures};
use crate::error::Result;
use crate::fit;
use crate::rank::rank_with;
use crate::ranking::{Deployment, Ranked};
use crate::routed_rank::{mix_point, MixPoint};
use crate::scenario::{Requests, Scenario};
use crate::score::Balance;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::HashMap;

/// Relative error allowed for floating-point estimates of converted costs before the exact cost
/// is computed; the estimates are good to about 1e-15.
const MARGIN: f64 = 1e-9;

/// Dirty bits of a worker: bit i for workload i (the fast path has at most 8), then these.
const CONTEXT: u32 = 1 << 8;
const BUDGET: u32 = 1 << 9;
const ALL: u32 = (1 << 10) - 1;

/// The name rows give the routed mix when a swept path changes its routes.
pub const MIX: &str = "mix";

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
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// The winner, if any model qualifies.
    pub winner: Option<Pick>,
    /// The runner-up.
    pub runner_up: Option<Who>,
    /// The winner's horizon cost, when a horizon path is varied.
    pub horizon: Option<Decimal>,
    /// For a scenario with routes: the mix's monthly cost and blended fit, whether or not it
    /// wins or qualifies, so cost can be read against quality at every point.
    pub mix: Option<MixPoint>,
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
    /// Whether rows carry the mix's cost and fit (the scenario has routes).
    pub mix: bool,
    /// Whether a path changes a route or cascade; the mix's name would then change with it, so
    /// rows call it [`MIX`].
    mix_varies: bool,
    fx: FxTable,
    ids: HashMap<String, usize>,
    id_rank: Vec<u32>,
    fast: Option<Fast>,
    candidates: usize,
    /// Per axis: the dirty bits its values set.
    touch: Vec<u32>,
    /// By catalogue index: whether the model's fit includes estimated scores (judged on the base
    /// scenario's candidates), so rows can mark it as `rank` does.
    estimated: Vec<bool>,
}

struct Fast {
    /// Catalogue indices of models that pass every requirement not touched by the varied paths.
    static_ok: Vec<usize>,
    cands: Vec<Cand>,
    /// The distinct quantity profiles of the candidates: each workload is counted once per profile.
    profiles: Vec<Profile>,
    /// The scale k of every coefficient: integers in units of 10^−k.
    k: u32,
    /// The largest coefficient of any candidate held in fixed point.
    largest: u64,
    /// Distinct context windows and output limits of `static_ok`, ascending: the context and
    /// output checks only change when a need crosses one of them.
    ctx_cuts: Vec<u64>,
    out_cuts: Vec<u64>,
}

struct Cand {
    /// Position in `static_ok`.
    sidx: usize,
    cat: usize,
    /// Index into `Fast::profiles`.
    profile: usize,
    /// The kernel's coefficients in fixed point, in the model's own currency; `None` when they
    /// cannot be held, and the `Decimal` kernel prices the model at every point.
    coef: Option<Coefficients>,
    /// For a model priced in another currency: about what one unit of its currency is worth in
    /// the scenario's, to tell cheaply when its exact converted cost cannot matter.
    factor: Option<f64>,
}

impl Cand {
    /// Whether its fixed-point bill is its exact cost (held, and in the scenario's currency).
    fn exact(&self) -> bool {
        self.coef.is_some() && self.factor.is_none()
    }
}

/// Per-point results, by position in the current [`Table`], kept apart from the tables so both
/// can be borrowed at once.
#[derive(Default)]
struct Scratch {
    /// The cost code (see `code`) of each position, or [`OUT`] when it does not qualify.
    costs: Vec<i128>,
    /// The exact cost of positions priced by the `Decimal` engine at the current point.
    decs: Vec<Option<Decimal>>,
    /// Positions priced in another currency, with their estimated cost code.
    deferred: Vec<(usize, f64)>,
    /// Scratch for `top::top_two`.
    scan: Scan,
    /// Models priced so far.
    evaluations: u64,
}

/// Per-thread scratch space: a scenario the point's values are written into, and caches.
pub struct Worker {
    /// The scenario at the current point.
    pub scn: Scenario,
    /// The scale t of quantities: integers in units of 10^−t.
    t: u32,
    /// Scratch for the kernel's quantities.
    parts: Vec<Part<fixed::Exact>>,
    /// Per workload × profile: the workload's quantities at scale t, as counted at this point.
    held: Vec<Vec<FixedPart>>,
    /// Per workload × profile: the quantities its `contrib` row was priced at.
    priced: Vec<Vec<FixedPart>>,
    /// Per workload × profile: how those quantities moved at the workload's last pricing, part by
    /// part (see [`step`]).
    step: Vec<Vec<[i64; Term::COUNT]>>,
    /// Per workload: whether `step` and `dcost` describe its last pricing.
    stepped: Vec<bool>,
    /// Per workload × position: how that step changed the bill. Within a price tier a bill is
    /// linear in the quantities, so when the next point repeats the step each bill moves by this
    /// again, an exact addition in place of the products.
    dcost: Vec<i128>,
    /// Per workload: the sum over its parts of their largest quantity, on its largest profile.
    most: Vec<u128>,
    /// Per workload × position: the workload's bill on that model at scale t + k.
    contrib: Vec<i128>,
    /// Per position: the sum of its `contrib` over workloads.
    total: Vec<i128>,
    /// Per position: its profile and coefficients (`None` for one the `Decimal` kernel prices),
    /// copied from its candidate when the positions change, so the hot loop reads them in order.
    coef: Vec<(usize, Option<Coefficients>)>,
    /// What changed since the last point (see `CONTEXT`, `BUDGET`).
    dirty: u32,
    /// The budget as a cost code at the current scale.
    budget: i128,
    mask_key: Option<(usize, usize, usize)>,
    tables: Vec<Table>,
    table_of: HashMap<(usize, usize, usize), usize>,
    fits: Option<usize>,
    sc: Scratch,
    /// Points handed to the general path by [`Engine::eval`].
    pub general: u64,
}

impl Worker {
    /// Models priced so far by this worker.
    pub fn evaluations(&self) -> u64 {
        self.sc.evaluations
    }
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
        let mix = base.has_routes();
        let mix_varies = setters.iter().any(Setter::routing);
        let touch = setters.iter().map(|st| touches(st, &base)).collect();
        let mut e = Engine {
            base,
            cat,
            setters,
            axes,
            horizon,
            mix,
            mix_varies,
            fx,
            ids,
            id_rank,
            fast: None,
            candidates: 0,
            touch,
            estimated: Vec::new(),
        };
        e.estimated = {
            let neutral = neutral(&e.base);
            let passes: Vec<bool> = cat
                .models
                .iter()
                .map(|m| requirement_failures(&neutral, m).is_empty())
                .collect();
            let passing = cat.models.iter().zip(&passes).filter(|(_, p)| **p);
            let scorer = fit::Scorer::new(&e.base, cat, passing.map(|(m, _)| m));
            cat.models
                .iter()
                .zip(&passes)
                .map(|(m, p)| *p && m.price.is_some() && scorer.fit(m).status.is_estimate())
                .collect()
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

    /// Whether a winner's fit includes estimated scores.
    pub fn fit_is_estimate(&self, w: &Who) -> bool {
        match w {
            Who::Model(i) => self.estimated.get(*i).copied().unwrap_or(false),
            Who::Named(_) => false,
        }
    }

    /// The candidates whose fits include estimated scores.
    pub fn estimated_models(&self) -> Vec<&str> {
        self.estimated
            .iter()
            .enumerate()
            .filter(|(_, e)| **e)
            .map(|(i, _)| self.model_id(i))
            .collect()
    }

    /// How a candidate is written in rows and summaries.
    pub fn name<'a>(&'a self, w: &'a Who) -> &'a str {
        match w {
            Who::Model(i) => self.model_id(*i),
            Who::Named(s) => s,
        }
    }

    /// How a row of `rank` is named in sweep rows.
    pub fn who(&self, r: &Ranked) -> Who {
        match (
            &r.deployment,
            r.answered_by.is_empty(),
            self.ids.get(&r.model),
        ) {
            (Deployment::Api, true, Some(&i)) => Who::Model(i),
            (Deployment::Api, false, _) if self.mix_varies => Who::Named(MIX.into()),
            (Deployment::Api, _, _) => Who::Named(r.model.clone()),
            (d, _, _) => Who::Named(format!("{} ({})", r.model, d.as_str())),
        }
    }

    /// Fresh scratch space for one thread.
    pub fn worker(&self) -> Worker {
        let nw = self.base.workloads.len();
        let np = self.fast.as_ref().map_or(0, |f| f.profiles.len());
        Worker {
            scn: self.base.clone(),
            t: 0,
            parts: Vec::new(),
            held: vec![Vec::new(); nw * np],
            priced: vec![Vec::new(); nw * np],
            step: vec![Vec::new(); nw * np],
            stepped: vec![false; nw],
            dcost: Vec::new(),
            most: vec![0; nw],
            contrib: Vec::new(),
            total: Vec::new(),
            coef: Vec::new(),
            dirty: ALL,
            budget: i128::MAX,
            mask_key: None,
            tables: Vec::new(),
            table_of: HashMap::new(),
            fits: None,
            sc: Scratch::default(),
            general: 0,
        }
    }

    /// Writes value `v` of axis `a` into the worker's scenario.
    pub fn set(&self, w: &mut Worker, a: usize, v: Decimal) {
        self.setters[a].apply(&mut w.scn, v);
        w.dirty |= self.touch[a];
    }

    /// Evaluates the point whose values are already in the worker's scenario.
    pub fn eval(&self, w: &mut Worker) -> Result<Row> {
        let mut row = Row::default();
        self.eval_into(w, &mut row)?;
        Ok(row)
    }

    /// [`Engine::eval`] into a row that is reused from point to point, as the grid walk does:
    /// a row is large enough that moving a fresh one out of every evaluation shows in a sweep.
    pub fn eval_into(&self, w: &mut Worker, row: &mut Row) -> Result<()> {
        if self.eval_fast(w, row).is_some() {
            return Ok(());
        }
        if self.fast.is_some() {
            w.general += 1;
        }
        *row = self.eval_general(w)?;
        Ok(())
    }

    /// The general path: `rank` itself.
    pub fn eval_general(&self, w: &mut Worker) -> Result<Row> {
        // Totals only: a point reports each row's cost, never its bill workload by workload.
        let r = rank_with(&w.scn, self.cat, crate::rank::Bills::Totals)?;
        w.sc.evaluations += (r.ranked.len() + r.excluded.len()) as u64;
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
            mix: if self.mix {
                mix_point(&w.scn, self.cat, &r)?
            } else {
                None
            },
        })
    }

    fn plan_fast(&self) -> Option<Fast> {
        let s = &self.base;
        // Self-hosted estimates and routed mixes are ranked by `rank` itself, and media are priced
        // by plans, a step function outside the kernel's linear form. Prices that move over the
        // horizon (a schedule, a yearly change) are billed month by month by the kernel.
        if s.selfhost.is_some()
            || s.has_routes()
            || !s.pricing.schedule.is_empty()
            || !s.pricing.change_per_year.is_empty()
        {
            return None;
        }
        // An answer-size distribution meets `max_output_tokens` at its context percentile, which
        // the fit tables below do not follow; a prompt-size distribution is split by the kernel.
        if !self.setters.iter().all(|st| st.effect().is_some())
            || s.workloads
                .iter()
                .any(|w| w.is_media() || w.requests.is_none() || w.output_size.is_some())
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
        // Each candidate priced per token, with the kernel's coefficients at every tier.
        let priced: Vec<_> = static_ok
            .iter()
            .enumerate()
            .filter_map(|(sidx, &i)| {
                let m = &self.cat.models[i];
                let price = m.price.as_ref().filter(|p| p.has_token_prices())?;
                let profile = Profile::of(s, m, price);
                // A model that cannot bill a workload's requests (images it does not read) is
                // excluded by the kernel, as `rank` excludes it.
                if s.workloads
                    .iter()
                    .any(|w| matches!(profile.sizing.request(w), Err(Refusal::Reason(_))))
                {
                    return None;
                }
                // Models whose profiles the workloads cannot tell apart share their counts. No
                // swept path adds a language, images or a cache to a workload, so this holds at
                // every point.
                let profile = profile.seen_by(&s.workloads);
                Some((sidx, i, profile, decimal_coefficients(s, m)))
            })
            .collect();
        // One scale for every coefficient, so that every bill lands on the same scale and
        // compares as a plain integer.
        let k = priced
            .iter()
            .filter_map(|p| p.3.as_deref().map(scale_of))
            .filter(|&k| k <= MAX_SCALE)
            .max()
            .unwrap_or(0);
        let mut profiles: Vec<Profile> = Vec::new();
        let mut cands = Vec::with_capacity(priced.len());
        for (sidx, cat, profile, dc) in priced {
            let m = &self.cat.models[cat];
            let profile = match profiles.iter().position(|p| *p == profile) {
                Some(i) => i,
                None => {
                    profiles.push(profile);
                    profiles.len() - 1
                }
            };
            let factor = if m.currency == s.currency {
                None
            } else {
                self.fx
                    .convert(Decimal::ONE, m.currency, s.currency)
                    .ok()
                    .and_then(|f| f.to_f64())
            };
            // A model in another currency whose rate cannot be estimated is priced exactly.
            let coef = dc
                .and_then(|dc| Coefficients::at(&dc, k))
                .filter(|_| factor.is_some() || m.currency == s.currency);
            cands.push(Cand {
                sidx,
                cat,
                profile,
                coef,
                factor,
            });
        }
        let largest = cands
            .iter()
            .filter_map(|c| c.coef.as_ref().map(|c| c.largest))
            .max()
            .unwrap_or(0);
        let cuts = |f: fn(&crate::catalogue::model::Model) -> Option<u64>| {
            let mut v: Vec<u64> = static_ok
                .iter()
                .filter_map(|&i| f(&self.cat.models[i]))
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        Some(Fast {
            ctx_cuts: cuts(|m| m.context_window),
            out_cuts: cuts(|m| m.max_output_tokens),
            static_ok,
            cands,
            profiles,
            k,
            largest,
        })
    }

    fn eval_fast(&self, w: &mut Worker, row: &mut Row) -> Option<()> {
        let fast = self.fast.as_ref()?;
        let fits = self.fit_point(fast, w)?;
        let scale = self.price(fast, w, fits)?;
        let budget = w.budget;
        self.decide(&w.tables[fits], &mut w.sc, &w.scn, scale, budget, row)
    }

    /// The fit table of the worker's point (see [`Engine::update_mask`]).
    fn fit_point(&self, fast: &Fast, w: &mut Worker) -> Option<usize> {
        if w.dirty & CONTEXT != 0 || w.fits.is_none() {
            self.update_mask(fast, w);
            w.dirty &= !CONTEXT;
        }
        w.fits
    }

    /// The monthly cost of every candidate the fast path prices exactly in fixed point at the
    /// worker's point, by catalogue index: what the property tests hold equal to the cost kernel.
    /// `None` when the point leaves the fast path.
    pub fn fast_costs(&self, w: &mut Worker) -> Option<Vec<(usize, Decimal)>> {
        let fast = self.fast.as_ref()?;
        let fits = self.fit_point(fast, w)?;
        let scale = self.price(fast, w, fits)?;
        let t = &w.tables[fits];
        (0..t.len())
            .filter(|&j| t.fixed[j])
            .map(|j| Some((t.cat[j], fixed::to_decimal(w.total[j], scale)?)))
            .collect()
    }

    /// Counts the quantities of every workload in `dirty` with the cost kernel, once per
    /// profile, at the worker's scale.
    fn count(&self, fast: &Fast, w: &mut Worker, dirty: u32) -> std::result::Result<(), Unfit> {
        let np = fast.profiles.len();
        let mut bits = dirty;
        while bits != 0 {
            let wi = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let wl = &w.scn.workloads[wi];
            let r = wl
                .monthly_requests(w.scn.days_per_month)
                .map_err(|_| Unfit::Large)?;
            // The kernel's own quantity rule, counted in exact integers.
            let r = fixed::Exact::of(r).ok_or(Unfit::Large)?;
            let d = demand(wl, r).map_err(|_| Unfit::Large)?;
            // The demand at scale t, which a profile's parts usually carry unchanged.
            let base = terms_at(&d.terms, w.t)?;
            let mut most = 0u128;
            for (p, profile) in fast.profiles.iter().enumerate() {
                w.parts.clear();
                split(&d, wl, profile, &mut w.parts).map_err(|_| Unfit::Large)?;
                let held = &mut w.held[wi * np + p];
                held.clear();
                most = most.max(parts_at(&w.parts, w.t, Some((&d.terms, &base)), held)?);
            }
            w.most[wi] = most;
        }
        Ok(())
    }

    /// Prices every candidate of the point, pricing again only the workloads whose inputs changed.
    /// Returns the scale of the cost codes, or `None` when the point leaves the fast path.
    fn price(&self, fast: &Fast, w: &mut Worker, fits: usize) -> Option<u32> {
        let nw = w.scn.workloads.len();
        let bills = (1u32 << nw) - 1;
        loop {
            match self.count(fast, w, w.dirty & bills) {
                Ok(()) => break,
                Err(Unfit::Scale(need)) if need > w.t && need + fast.k <= MAX_SCALE => {
                    // A value with more decimal places than the sweep has held so far: every bill
                    // moves to the finer scale, so every workload is priced again.
                    w.t = need;
                    w.dirty |= bills | BUDGET;
                    restart(w);
                }
                Err(_) => return None,
            }
        }
        if !fixed::fits(w.most.iter().sum(), fast.largest) {
            return None;
        }
        let scale = w.t + fast.k;
        if w.dirty & BUDGET != 0 {
            w.budget = budget_code(&w.scn, scale);
            w.dirty &= !BUDGET;
        }
        let table = &w.tables[fits];
        let (m, np) = (table.len(), fast.profiles.len());
        // Within the bound just checked, neither a bill nor a total can overflow.
        let mut bits = w.dirty & bills;
        while bits != 0 {
            let wi = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            let at = wi * np..(wi + 1) * np;
            let (valid, same) = step(
                &w.held[at.clone()],
                &w.priced[at.clone()],
                &mut w.step[at.clone()],
            );
            let row = &mut w.contrib[wi * m..(wi + 1) * m];
            let dcost = &mut w.dcost[wi * m..(wi + 1) * m];
            let totals = &mut w.total[..m];
            if w.stepped[wi] && valid && same {
                // The same step as last time: every bill moves by the same amount again.
                for ((slot, total), d) in row.iter_mut().zip(totals.iter_mut()).zip(&*dcost) {
                    *slot += *d;
                    *total += *d;
                }
            } else {
                let held = &w.held[at.clone()];
                for (((slot, total), d), (profile, coef)) in row
                    .iter_mut()
                    .zip(totals.iter_mut())
                    .zip(dcost.iter_mut())
                    .zip(&w.coef)
                {
                    if let Some(coef) = coef {
                        let new = coef.bill(&held[*profile]);
                        *d = new - *slot;
                        *total += *d;
                        *slot = new;
                    }
                }
            }
            w.stepped[wi] = valid;
            for i in at {
                std::mem::swap(&mut w.held[i], &mut w.priced[i]);
            }
        }
        w.dirty &= !bills;
        let (sc, budget) = (&mut w.sc, w.budget);
        sc.costs.clear();
        sc.costs.resize(m, OUT);
        // A code for each position, and the cheapest positive one.
        let (mut least, mut at) = (i128::MAX, usize::MAX);
        for (j, ((c, &exact), total)) in sc
            .costs
            .iter_mut()
            .zip(&table.fixed)
            .zip(&w.total[..m])
            .enumerate()
        {
            let cost = total * 2;
            *c = if exact && cost <= budget { cost } else { OUT };
            if *c > 0 && *c < least {
                (least, at) = (*c, j);
            }
        }
        // Codes of fixed-point costs are even, so only an inexact one can tie and need rank.
        let shared = at != usize::MAX
            && least % 2 != 0
            && sc.costs.iter().filter(|&&c| c == least).count() > 1;
        sc.scan.least = Some(((at != usize::MAX).then_some(at), shared));
        sc.decs.clear();
        sc.decs.resize(m, None);
        sc.deferred.clear();
        sc.evaluations += m as u64;
        for j in (0..m).filter(|&j| !table.fixed[j]) {
            sc.evaluations -= 1;
            let c = &fast.cands[table.live[j]];
            self.price_other(c, j, sc, &w.scn, scale, budget, w.total[j])?;
            if sc.costs[j] != OUT {
                // Priced by the `Decimal` engine just now: the cheapest must be looked for again.
                sc.scan.least = None;
            }
        }
        Some(scale)
    }

    /// Prices position `j`, a candidate not priced exactly in fixed point: a model in another
    /// currency is estimated from `own` (its exact bill in its own currency, at `scale`) and
    /// deferred; anything else goes through the `Decimal` kernel.
    #[allow(clippy::too_many_arguments)]
    fn price_other(
        &self,
        c: &Cand,
        j: usize,
        sc: &mut Scratch,
        scn: &Scenario,
        scale: u32,
        budget: i128,
        own: i128,
    ) -> Option<()> {
        sc.costs[j] = OUT;
        sc.decs[j] = None;
        if let (Some(_), Some(factor)) = (&c.coef, c.factor) {
            // Estimated here; priced exactly in `decide` only if it could matter.
            let a = to_f64(own) * factor * 2.0;
            sc.evaluations += 1;
            if a <= to_f64(budget) * (1.0 + MARGIN) + 4.0 {
                sc.deferred.push((j, a));
            }
            return Some(());
        }
        let cost = match model_cost_each(scn, &self.cat.models[c.cat], &self.fx, &mut |_| {}) {
            Ok(Ok(mc)) => {
                sc.decs[j] = Some(mc.monthly_cost);
                code(mc.monthly_cost, scale)?
            }
            Ok(Err(_)) => return Some(()),
            Err(_) => return None,
        };
        sc.evaluations += 1;
        if cost == budget && cost % 2 != 0 {
            // Both within one unit of the last digit: only the exact values can tell.
            return None;
        }
        if cost <= budget {
            sc.costs[j] = cost;
        }
        Some(())
    }

    /// The winner and runner-up from the priced candidates.
    fn decide(
        &self,
        t: &Table,
        sc: &mut Scratch,
        scn: &Scenario,
        scale: u32,
        budget: i128,
        row: &mut Row,
    ) -> Option<()> {
        let objective = self.base.objective;
        let exact = Costs {
            engine: self,
            table: t,
            costs: &sc.costs,
            decs: &sc.decs,
            scale,
        };
        let (mut best, mut second) = top::top_two(objective, t, &sc.costs, &mut sc.scan, &exact)?;
        if !sc.deferred.is_empty() {
            let mut changed = false;
            for k in 0..sc.deferred.len() {
                let (j, a) = sc.deferred[k];
                if !top::may_matter(objective, t, &sc.costs, &sc.scan, second, j, a, budget) {
                    continue;
                }
                let mc =
                    match model_cost_each(scn, &self.cat.models[t.cat[j]], &self.fx, &mut |_| {}) {
                        Ok(Ok(mc)) => mc.monthly_cost,
                        Ok(Err(_)) => continue,
                        Err(_) => return None,
                    };
                let cost = code(mc, scale)?;
                if cost == budget && cost % 2 != 0 {
                    return None;
                }
                if cost <= budget {
                    sc.costs[j] = cost;
                    sc.decs[j] = Some(mc);
                    changed = true;
                }
            }
            if changed {
                let exact = Costs {
                    engine: self,
                    table: t,
                    costs: &sc.costs,
                    decs: &sc.decs,
                    scale,
                };
                (best, second) = top::top_two(objective, t, &sc.costs, &mut sc.scan, &exact)?;
            }
        }
        // Everything that can fail is done before the row is touched.
        let winner = match best {
            None => None,
            Some(j) => Some(Pick {
                who: Who::Model(t.cat[j]),
                monthly: exact_cost(&sc.costs, &sc.decs, j, scale)?,
                fit: t.fit[j],
            }),
        };
        let horizon = match (&winner, self.horizon) {
            (Some(p), true) => {
                Some(horizon_cost(p.monthly, scn.horizon_months, scn.monthly_growth).ok()?)
            }
            _ => None,
        };
        row.winner = winner;
        row.runner_up = second.map(|j| Who::Model(t.cat[j]));
        row.horizon = horizon;
        // The fast path never runs on a scenario with routes.
        row.mix = None;
        Some(())
    }

    /// Points the worker at the fit table for the current context and output needs. The checks
    /// only change when a need crosses a model's limit, so the table is keyed by where each need
    /// falls among the limits.
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
        let min = s.requirements.min_context_tokens.unwrap_or(0);
        // Where `x` falls among `cuts`: the number of cuts below it. Most points fall where the last
        // one did, which two comparisons confirm.
        let place = |cuts: &[u64], x: u64, last: Option<usize>| match last {
            Some(i) if (i == 0 || cuts[i - 1] < x) && cuts.get(i).is_none_or(|&c| c >= x) => i,
            _ => cuts.partition_point(|&h| h < x),
        };
        let last = w.mask_key;
        let key = (
            place(&fast.ctx_cuts, need, last.map(|k| k.0)),
            place(&fast.ctx_cuts, min, last.map(|k| k.1)),
            place(&fast.out_cuts, out_need, last.map(|k| k.2)),
        );
        if w.fits.is_some() && last == Some(key) {
            return;
        }
        w.mask_key = Some(key);
        let before = w.fits;
        w.fits = match w.table_of.get(&key) {
            Some(&t) => Some(t),
            None => {
                let mask = self.mask(fast, need, min, out_need);
                w.tables.push(self.fit_table(fast, &w.scn, &mask));
                w.table_of.insert(key, w.tables.len() - 1);
                Some(w.tables.len() - 1)
            }
        };
        if w.fits != before {
            // Positions now stand for other candidates: start the running sums afresh.
            let m = w.fits.map_or(0, |t| w.tables[t].len());
            w.contrib.clear();
            w.contrib.resize(m * s.workloads.len(), 0);
            w.total.clear();
            w.total.resize(m, 0);
            w.dcost.clear();
            w.dcost.resize(m * s.workloads.len(), 0);
            restart(w);
            w.coef.clear();
            if let Some(t) = w.fits {
                w.coef.extend(w.tables[t].live.iter().map(|&ci| {
                    let c = &fast.cands[ci];
                    (c.profile, c.coef.clone())
                }));
            }
            w.sc.decs.clear();
            w.dirty |= CONTEXT - 1;
        }
    }

    /// Which of `static_ok` pass the context and output checks of `requirement_failures`, for a
    /// text scenario.
    fn mask(&self, fast: &Fast, need: u64, min: u64, out_need: u64) -> Vec<bool> {
        fast.static_ok
            .iter()
            .map(|&i| {
                let m = &self.cat.models[i];
                let ctx = m.context_window.is_some_and(|h| h >= need && h >= min);
                ctx && m.max_output_tokens.is_none_or(|mo| mo >= out_need)
            })
            .collect()
    }

    fn fit_table(&self, fast: &Fast, s: &Scenario, mask: &[bool]) -> Table {
        let passing = fast
            .static_ok
            .iter()
            .zip(mask)
            .filter(|(_, ok)| **ok)
            .map(|(&i, _)| &self.cat.models[i]);
        let scorer = fit::Scorer::new(s, self.cat, passing);
        let mut live = Vec::new();
        for (ci, c) in fast.cands.iter().enumerate() {
            if !mask[c.sidx] {
                continue;
            }
            let m = &self.cat.models[c.cat];
            let f = scorer.fit(m);
            if score_failures(s, &scorer, m, &f).is_empty() {
                live.push((f.fit, ci));
            }
        }
        // Fittest first, no fit last (`Option` orders `None` lowest), as `top::top_two` expects.
        live.sort_by_key(|x| std::cmp::Reverse(x.0));
        let mut t = Table::default();
        for &(_, ci) in &live {
            let c = &fast.cands[ci];
            t.live.push(ci);
            t.cat.push(c.cat);
            t.fixed.push(c.exact());
            t.id_rank.push(self.id_rank[c.cat]);
        }
        t.with_fits(live.into_iter().map(|(f, _)| f).collect(), Balance::of(s))
    }
}

/// Exact costs and ids of a point's positions, for `top`'s exact rule.
struct Costs<'a, 'c> {
    engine: &'a Engine<'c>,
    table: &'a Table,
    costs: &'a [i128],
    decs: &'a [Option<Decimal>],
    scale: u32,
}

impl Exact for Costs<'_, '_> {
    fn cost(&self, j: usize) -> Option<Decimal> {
        exact_cost(self.costs, self.decs, j, self.scale)
    }

    fn id(&self, j: usize) -> &str {
        self.engine.model_id(self.table.cat[j])
    }
}

/// The dirty bits an axis sets: the workloads whose bills it moves, the context and output checks,
/// the budget (see [`Setter::effect`]).
fn touches(st: &Setter, base: &Scenario) -> u32 {
    let Some(effect) = st.effect() else {
        // Paths off the fast path leave it unused.
        return ALL;
    };
    let bit = |i: usize| if i < 8 { 1 << i } else { ALL };
    let bills = match effect.bills {
        None => 0,
        Some(Bills::Workload(i)) => bit(i),
        Some(Bills::PerDay) => base
            .workloads
            .iter()
            .enumerate()
            .filter(|(_, w)| matches!(w.requests, Some(Requests::PerDay(_))))
            .fold(0, |bits, (i, _)| bits | bit(i)),
    };
    bills | if effect.context { CONTEXT } else { 0 } | if effect.budget { BUDGET } else { 0 }
}

/// Starts every running bill afresh: zero contributions and totals, and no step to repeat.
fn restart(w: &mut Worker) {
    w.contrib.fill(0);
    w.total.fill(0);
    w.priced.iter_mut().for_each(Vec::clear);
    w.stepped.fill(false);
}

/// How a workload's quantities moved from those it was priced at (`priced`) to this point's
/// (`held`), profile by profile, written into `step`. Returns whether the move is a step at all
/// (every part at the same tier, no overflow), so that each bill changed linearly, and whether it
/// is the same step as the one `step` held before.
fn step(
    held: &[Vec<FixedPart>],
    priced: &[Vec<FixedPart>],
    step: &mut [Vec<[i64; Term::COUNT]>],
) -> (bool, bool) {
    let mut same = true;
    for ((now, before), delta) in held.iter().zip(priced).zip(step) {
        if now.len() != before.len() {
            return (false, false);
        }
        if delta.len() != now.len() {
            delta.clear();
            delta.resize(now.len(), [0; Term::COUNT]);
            same = false;
        }
        for ((a, b), d) in now.iter().zip(before).zip(delta.iter_mut()) {
            if a.tier != b.tier {
                return (false, false);
            }
            for ((x, y), slot) in a.terms.iter().zip(&b.terms).zip(d.iter_mut()) {
                let Some(v) = x.checked_sub(*y) else {
                    return (false, false);
                };
                same &= v == *slot;
                *slot = v;
            }
        }
    }
    (true, same)
}

/// The budget as a cost code at `scale`; an amount too large to hold there cannot bind.
fn budget_code(s: &Scenario, scale: u32) -> i128 {
    match s.requirements.max_monthly_cost {
        None => i128::MAX,
        Some(max) => code(max, scale).unwrap_or(i128::MAX),
    }
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

/// The exact cost of position `j`.
fn exact_cost(costs: &[i128], decs: &[Option<Decimal>], j: usize, scale: u32) -> Option<Decimal> {
    match decs.get(j).copied().flatten() {
        Some(d) => Some(d),
        None => fixed::to_decimal(costs[j] / 2, scale),
    }
}

#[cfg(test)]
mod tests {
    use crate::catalogue::Catalogue;
    use crate::scenario::raw::Objective;
    use crate::sweep::{build, walk};
    use rust_decimal::Decimal;
    use std::path::Path;
    use std::str::FromStr;

    const CHATBOT: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/support-chatbot.toml"
    );

    fn engine<'c>(
        cat: &'c Catalogue,
        vary: &[&str],
        objective: Option<Objective>,
    ) -> super::Engine<'c> {
        engine_at(Path::new(CHATBOT), cat, vary, objective)
    }

    fn engine_at<'c>(
        path: &Path,
        cat: &'c Catalogue,
        vary: &[&str],
        objective: Option<Objective>,
    ) -> super::Engine<'c> {
        let vary: Vec<String> = vary.iter().map(|s| s.to_string()).collect();
        build(path, &vary, cat, objective).unwrap()
    }

    /// Every point of the grid gives the same row on the fast path as through `rank` itself, and
    /// no point leaves the fast path.
    #[track_caller]
    fn same_as_rank(vary: &[&str], objective: Option<Objective>) {
        same_as_rank_at(Path::new(CHATBOT), vary, objective);
    }

    #[track_caller]
    fn same_as_rank_at(path: &Path, vary: &[&str], objective: Option<Objective>) {
        let cat = Catalogue::embedded().unwrap();
        let e = engine_at(path, &cat, vary, objective);
        assert!(e.is_fast(), "{vary:?} should take the fast path");
        let (mut w, mut fast_w) = (e.worker(), e.worker());
        let mut n = 0;
        let mut winners = std::collections::BTreeSet::new();
        walk(
            &e,
            &mut fast_w,
            0,
            e.points().unwrap(),
            |coords, _, fast| {
                for (a, &c) in coords.iter().enumerate() {
                    e.set(&mut w, a, e.axes[a].get(c));
                }
                let slow = e.eval_general(&mut w).unwrap();
                assert_eq!(fast, &slow, "{vary:?} at {coords:?}");
                winners.insert(fast.winner.as_ref().map(|p| p.who.clone()));
                n += 1;
            },
        )
        .unwrap();
        assert_eq!(n, e.points().unwrap());
        assert_eq!(fast_w.general, 0, "{vary:?}: points handed to rank");
        // The grids are chosen so that the winner changes: the test compares more than one answer.
        assert!(winners.len() > 1, "{vary:?}: only {winners:?}");
    }

    #[test]
    fn fast_path_equals_rank_on_rounded_linear_ranges() {
        // Steps of 136.11…, 0.0309… and 30.03…: every inner point is rounded (see `values`).
        same_as_rank(
            &[
                "workload.chat.requests_per_day=100..5000/37",
                "requirements.max_monthly_cost=1..1000/7",
            ],
            None,
        );
        same_as_rank(
            &[
                "workload.chat.cached_input_share=0..1/34",
                "requirements.max_monthly_cost=1..100000/4",
            ],
            Some(Objective::BestFit),
        );
    }

    #[test]
    fn points_off_the_planned_places_are_still_exact() {
        // Crossover bisection asks for values with more decimals than any grid value; the engine
        // prices them on the checked path at their own scale, and they agree with `rank`.
        let cat = Catalogue::embedded().unwrap();
        let vary = [
            "workload.chat.requests_per_day=1000,2000",
            "requirements.max_monthly_cost=1000",
        ];
        let e = engine(&cat, &vary, Some(Objective::BestFit));
        let (mut fast, mut slow) = (e.worker(), e.worker());
        let budget = Decimal::from(1000);
        e.set(&mut fast, 1, budget);
        e.set(&mut slow, 1, budget);
        let mut winners = std::collections::BTreeSet::new();
        for v in [
            "1.23456789",
            "151.912345678",
            "0.000001",
            "2500.123456789",
            "7",
            "1e5",
        ] {
            let v = Decimal::from_scientific(v).unwrap_or_else(|_| Decimal::from_str(v).unwrap());
            e.set(&mut fast, 0, v);
            e.set(&mut slow, 0, v);
            let row = e.eval(&mut fast).unwrap();
            assert_eq!(row, e.eval_general(&mut slow).unwrap(), "at {v}");
            winners.insert(row.winner.map(|p| p.who));
        }
        assert_eq!(fast.general, 0, "every point stayed on the fast path");
        assert!(winners.len() > 1, "{winners:?}");
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
    fn fast_path_equals_rank_when_the_last_axis_repeats_its_step() {
        // The innermost axis moves a volume by the same step from point to point, so costs are
        // carried by adding the last change again; prompts cross context windows and price tiers
        // between rows, and outputs cross models' output limits within a row.
        same_as_rank(
            &[
                "workload.chat.input_tokens=1000..191000/11",
                "workload.chat.output_tokens=100..8100/41",
            ],
            None,
        );
        same_as_rank(
            &[
                "requirements.max_monthly_cost=300,3000,30000",
                "workload.chat.cached_input_share=0..1/3",
                "workload.chat.requests_per_day=1000..81000/81",
            ],
            Some(Objective::BestFit),
        );
        same_as_rank(
            &[
                "requirements.max_monthly_cost=20,200,2000",
                "workload.chat.requests_per_day=100,100000",
                "workload.nightly-summaries.batch_share=0..1/11",
            ],
            Some(Objective::Cheapest),
        );
    }

    #[test]
    fn fast_path_equals_rank_at_other_exchange_rates() {
        // The chatbot's candidates include estimated fits and two without a fit; at 7.5 and at
        // 60 points per tenfold the balanced order differs from the default's.
        let dir = tempfile::tempdir().unwrap();
        for p in ["7.5", "60"] {
            let path = dir.path().join(format!("p{p}.toml"));
            let text = std::fs::read_to_string(CHATBOT)
                .unwrap()
                .replace("[rank]", &format!("[rank]\npoints_per_tenfold = {p}"));
            std::fs::write(&path, text).unwrap();
            same_as_rank_at(
                &path,
                &[
                    "workload.chat.requests_per_day=100..10000000/9:log",
                    "requirements.max_monthly_cost=50..50000/7:log",
                ],
                None,
            );
        }
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
