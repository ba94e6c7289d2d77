//! Ranking: which models qualify for a scenario, what each costs, how well each fits, in order.
//!
//! Each catalogued model is checked against the requirements ([`crate::eligibility`]), priced by
//! the cost kernel ([`crate::cost`]), fitted ([`crate::fit`]) and sorted by the scenario's objective
//! ([`crate::score`]) on the fit's point estimate: a model with no fit comes after every model with
//! one under `best_fit` and `balanced` (among themselves, by cost). A scenario with routes gets one
//! more row, the routed candidate ([`crate::routed_rank`]). The rows are the types of
//! [`crate::ranking`].

use crate::bill_summary::BillSummary;
use crate::catalogue::fx::FxTable;
use crate::catalogue::model::Model;
use crate::catalogue::Catalogue;
use crate::cost::{model_cost, model_cost_each, ModelCost, Unpriced, WorkloadCost};
use crate::eligibility::{over_budget, requirement_failures, score_failures, unverified_floors};
use crate::error::{Error, Result};
use crate::fit::Scorer;
use crate::reason::{Reason, ReasonCode};
use crate::scenario::raw::Objective;
use crate::scenario::{Scenario, Selfhost};
use crate::score::{order, Balance};
use crate::selfhost::fleet::plan;
use rust_decimal::Decimal;
use std::cmp::Ordering;

pub use crate::ranking::{Answer, Deployment, Excluded, Ranked, Ranking};

/// Ranks every catalogued model against a scenario.
pub fn rank(scenario: &Scenario, catalogue: &Catalogue) -> Result<Ranking> {
    rank_with(scenario, catalogue, Bills::Keep)
}

/// Whether a ranking keeps each API model's per-workload bills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bills {
    /// Every single API model's row keeps its bill workload by workload. Self-hosted and routed
    /// rows never do: [`bills_again`] makes theirs.
    Keep,
    /// API rows keep only their totals and [`Ranked::summary`] (their `cost.workloads` is empty):
    /// memory that does not grow with the workloads times the models.
    Totals,
}

/// [`rank`], keeping the API rows' per-workload bills or only their totals.
pub fn rank_with(scenario: &Scenario, catalogue: &Catalogue, bills: Bills) -> Result<Ranking> {
    let fx = scenario.fx(catalogue);
    // Settings are counted over the models that meet the hard requirements: those are the
    // candidates whose scores will be compared.
    let failures: Vec<Vec<Reason>> = catalogue
        .models
        .iter()
        .map(|m| requirement_failures(scenario, m))
        .collect();
    let candidates = catalogue
        .models
        .iter()
        .zip(&failures)
        .filter(|(_, f)| f.is_empty())
        .map(|(m, _)| m);
    let scorer = Scorer::new(scenario, catalogue, candidates);

    let mut out = Placed::default();
    for (m, reasons) in catalogue.models.iter().zip(failures) {
        let open = reasons.is_empty() && m.open_weights;
        let mut summary = BillSummary::default();
        let cost = match bills {
            Bills::Keep => model_cost(scenario, m, &fx)?.inspect(|c| summary = BillSummary::of(c)),
            Bills::Totals => model_cost_each(scenario, m, &fx, &mut |w| summary.add(&w))?,
        }
        .map_err(|Unpriced::Reason(r)| Reason::new(ReasonCode::Unpriced, r));
        place(
            scenario,
            &scorer,
            m,
            reasons,
            (cost, summary),
            Deployment::Api,
            &mut out,
        );
        // Self-hosted candidates share the hard requirements; a model that fails them is
        // already listed with its reasons.
        if let (true, Some(spec)) = (open, &scenario.selfhost) {
            selfhost_candidates(scenario, spec, catalogue, &scorer, &fx, m, &mut out)?;
        }
    }
    let Placed {
        mut ranked,
        mut excluded,
        mut over_budget,
        considered: selfhost_configurations,
    } = out;
    score_and_sort(&mut ranked, scenario.objective, Balance::of(scenario));
    if scenario.has_routes() {
        // Workloads without a route run on the best single API model, so the routed row is "my
        // routes, and otherwise what this ranking would pick".
        let rest = crate::routed_rank::rest_model(scenario, &ranked, catalogue);
        match crate::routed_rank::mix_row(scenario, catalogue, &fx, &scorer, rest)? {
            Ok(row) => ranked.push(row),
            Err((ex, budget_only_cost)) => {
                if let Some(c) = budget_only_cost {
                    over_budget.push((ex.model.clone(), c));
                }
                excluded.push(ex);
            }
        }
        score_and_sort(&mut ranked, scenario.objective, Balance::of(scenario));
    }
    let eligible = ranked.len();
    if let Some(top) = scenario.top {
        ranked.truncate(top);
    }
    let cheapest_over_budget = if eligible == 0 {
        over_budget.into_iter().min_by(|a, b| a.1.cmp(&b.1))
    } else {
        None
    };
    Ok(Ranking {
        scenario: scenario.name.clone(),
        currency: scenario.currency,
        objective: scenario.objective,
        ranked,
        excluded,
        eligible,
        cheapest_over_budget,
        selfhost_configurations,
    })
}
#[derive(Default)]
struct Placed {
    ranked: Vec<Ranked>,
    excluded: Vec<Excluded>,
    over_budget: Vec<(String, Decimal)>,
    considered: Vec<crate::selfhost::fleet::Considered>,
}

/// Checks score floors, fit policy and budget for a candidate, adding to the `reasons` it already
/// fails, and files it as ranked or excluded. `cost` is the bill, or why there is none.
fn place(
    s: &Scenario,
    scorer: &Scorer,
    m: &Model,
    mut reasons: Vec<Reason>,
    (cost, summary): (std::result::Result<ModelCost, Reason>, BillSummary),
    deployment: Deployment,
    out: &mut Placed,
) {
    let f = scorer.fit(m);
    reasons.extend(score_failures(s, scorer, m, &f));
    let cost = match cost {
        Ok(c) => Some(c),
        Err(r) => {
            reasons.push(r);
            None
        }
    };
    if let Some(c) = &cost {
        if let Some(why) = over_budget(s, c.monthly_cost) {
            if reasons.is_empty() {
                out.over_budget.push((m.id.clone(), c.monthly_cost));
            }
            reasons.push(why);
        }
    }
    match cost {
        Some(cost) if reasons.is_empty() => out.ranked.push(Ranked {
            rank: 0,
            model: m.id.clone(),
            vendor: m.vendor.clone(),
            name: m.name.clone(),
            monthly_cost: cost.monthly_cost,
            horizon_cost: cost.horizon_cost,
            fit: f.fit,
            balanced: None,
            pareto: false,
            fit_detail: f,
            cost,
            summary,
            deployment,
            answered_by: Vec::new(),
            rest: None,
            unverified: unverified_floors(s, scorer, m),
        }),
        _ => {
            let gpu = match &deployment {
                Deployment::SelfHosted(e) => Some(e.gpu.clone()),
                Deployment::Api => None,
            };
            out.excluded
                .push(Excluded::new(m.id.clone(), reasons, gpu.is_some(), gpu));
        }
    }
}

/// The self-hosted candidate of one open-weight model: its cheapest fleet over the `[selfhost]`
/// GPUs and every tensor-parallel degree it allows.
fn selfhost_candidates(
    s: &Scenario,
    spec: &Selfhost,
    cat: &Catalogue,
    scorer: &Scorer,
    fx: &FxTable,
    m: &Model,
    out: &mut Placed,
) -> Result<()> {
    let excluded = |reason: String| {
        Excluded::new(
            m.id.clone(),
            vec![Reason::new(ReasonCode::Selfhost, reason)],
            true,
            None,
        )
    };
    match plan(s, spec, m, cat, fx)? {
        Err(why) => out.excluded.push(excluded(why)),
        Ok(p) => {
            let reason = p.reason();
            out.considered.extend(p.considered);
            match p.best {
                Some(e) => {
                    let cost = e.cost.clone();
                    let summary = BillSummary::of_tokens(e.tokens);
                    let d = Deployment::SelfHosted(Box::new(e));
                    place(s, scorer, m, Vec::new(), (Ok(cost), summary), d, out);
                }
                None => out.excluded.push(excluded(reason)),
            }
        }
    }
    Ok(())
}

/// Makes a ranked row's bill of `s` again, a workload at a time, by the kernel call that priced
/// it: a single API model's by [`model_bills_again`], a self-hosted fleet's split by
/// [`crate::selfhost::fleet::Estimate::each_bill`], a routed candidate's by
/// [`crate::routed::plan_cost_each`] with its `rest` model. Bills do not depend on when they are
/// made, so these are the bills the ranking added up; a row that cannot be priced again (another
/// scenario or catalogue) is an error.
pub fn bills_again(
    s: &Scenario,
    cat: &Catalogue,
    row: &Ranked,
    each: &mut dyn FnMut(WorkloadCost),
) -> Result<()> {
    let unknown = |id: &str| {
        Error::Output(format!(
            "{} was priced once but cannot be priced again: no model `{id}` in the catalogue",
            row.model
        ))
    };
    match &row.deployment {
        Deployment::SelfHosted(e) => e.each_bill(s, cat, each),
        Deployment::Api if row.answered_by.is_empty() => {
            let m = cat.model(&row.model).ok_or_else(|| unknown(&row.model))?;
            model_bills_again(s, cat, m, each)
        }
        Deployment::Api => {
            let rest = match &row.rest {
                Some(id) => Some(cat.model(id).ok_or_else(|| unknown(id))?),
                None => None,
            };
            let priced = crate::routed::plan_cost_each(s, cat, &s.fx(cat), rest, each)?;
            priced.map(|_| ()).map_err(|u| not_again(&row.model, u))
        }
    }
}

/// Makes API model `m`'s bill of `s` again, a workload at a time, by [`model_cost_each`]: for a
/// model already known to price `s` (a ranked row's, or one a report priced), so one that then
/// fails is an error, not part of a report.
pub fn model_bills_again(
    s: &Scenario,
    cat: &Catalogue,
    m: &Model,
    each: &mut dyn FnMut(WorkloadCost),
) -> Result<()> {
    let priced = model_cost_each(s, m, &s.fx(cat), each)?;
    priced.map(|_| ()).map_err(|u| not_again(&m.id, u))
}

fn not_again(id: &str, Unpriced::Reason(why): Unpriced) -> Error {
    Error::Output(format!(
        "{id} was priced once but cannot be priced again: {why}"
    ))
}

/// Fills in balanced scores and the Pareto flag, sorts by the objective and numbers the ranks.
pub fn score_and_sort(ranked: &mut [Ranked], objective: Objective, balance: Balance) {
    let cheapest = ranked
        .iter()
        .map(|r| r.monthly_cost)
        .filter(|c| *c > Decimal::ZERO)
        .min();
    for r in ranked.iter_mut() {
        r.balanced = balance.score(r.fit, r.monthly_cost, cheapest);
    }
    // A model is on the front when no other is at least as cheap and at least as fit, and
    // strictly better on one. A model without a fit is not on a cost–fit front at all.
    let flags: Vec<bool> = ranked
        .iter()
        .map(|p| {
            p.fit.is_some()
                && !ranked.iter().any(|q| {
                    q.monthly_cost <= p.monthly_cost
                        && q.fit >= p.fit
                        && (q.monthly_cost < p.monthly_cost || q.fit > p.fit)
                })
        })
        .collect();
    for (r, f) in ranked.iter_mut().zip(flags) {
        r.pareto = f;
    }
    ranked.sort_by(|a, b| compare(a, b, objective));
    for (i, r) in ranked.iter_mut().enumerate() {
        r.rank = i + 1;
    }
}

fn compare(a: &Ranked, b: &Ranked, objective: Objective) -> Ordering {
    order(
        objective,
        (a.monthly_cost, a.fit, a.balanced, &a.model),
        (b.monthly_cost, b.fit, b.balanced, &b.model),
    )
}
