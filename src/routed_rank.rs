//! The routed candidate in a ranking: one more row, next to every single model.
//!
//! When a scenario routes or cascades any workload, `rank` adds one candidate named after the mix
//! (`route: 80% anthropic/claude-3-haiku + 20% anthropic/claude-3-opus`). It prices routed
//! workloads by their routes and any workload without a route on `rest`, the best single model of
//! the ranking. Every single model is still priced for the whole scenario alone, routes ignored, so
//! the table answers "Haiku, Sonnet, Opus, or my mix?".
//!
//! Every model the mix pays for must meet the scenario's requirements and score floors as if it
//! were ranked alone, since any request may end up with any of them. Escalated requests must also
//! fit the later models' context windows with their overhead tokens.

use crate::catalogue::fx::FxTable;
use crate::catalogue::model::Model;
use crate::catalogue::Catalogue;
use crate::cost::Unpriced;
use crate::eligibility::{requirement_failures, score_failures, unverified_floors};
use crate::error::Result;
use crate::fit::{Fit, Scorer};
use crate::money::grouped_int;
use crate::ranking::{Answer, Deployment, Excluded, Ranked, Ranking};
use crate::reason::{Reason, ReasonCode};
use crate::routed::{answer_shares, blended_fit, label, models_used, plan_cost_each};
use crate::scenario::Scenario;
use rust_decimal::Decimal;

/// The routed row, or why it is excluded together with its monthly cost when the budget is the only
/// reason (for the "cheapest over budget" message).
pub type MixRow = std::result::Result<Ranked, (Excluded, Option<Decimal>)>;

/// Builds the routed candidate. `rest` serves the workloads without a route; `None` when there are
/// none, or when no single model qualifies to serve them.
pub fn mix_row(
    s: &Scenario,
    cat: &Catalogue,
    fx: &FxTable,
    scorer: &Scorer,
    rest: Option<&Model>,
) -> Result<MixRow> {
    let rest_id = rest.map(|m| m.id.as_str());
    let name = label(s, rest_id);
    let mut reasons = Vec::new();
    if rest.is_none() && s.has_unrouted() {
        let names = s
            .unrouted()
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ");
        reasons.push(Reason::new(
            ReasonCode::Route,
            format!("workload(s) {names} have no route and no single model qualifies to run them"),
        ));
    }
    let fits = model_fits(s, cat, scorer, rest_id);
    for (id, f) in &fits {
        let Some(m) = cat.model(id) else { continue };
        reasons.extend(
            requirement_failures(s, m)
                .into_iter()
                .chain(score_failures(s, scorer, m, f))
                .map(|r| r.prefixed(&format!("{id}: "))),
        );
        reasons.extend(overhead_context_failures(s, m));
    }
    // The mix keeps its totals: its bill workload by workload is made again when a report writes
    // it (`crate::rank::bills_again`).
    let mut summary = crate::bill_summary::BillSummary::default();
    let cost = match plan_cost_each(s, cat, fx, rest, &mut |w| summary.add(&w))? {
        Ok(c) => Some(c),
        Err(Unpriced::Reason(r)) => {
            reasons.push(Reason::new(ReasonCode::Unpriced, r));
            None
        }
    };
    let mut budget_only = None;
    if let Some(c) = &cost {
        if let Some(why) = crate::eligibility::over_budget(s, c.monthly_cost) {
            if reasons.is_empty() {
                budget_only = Some(c.monthly_cost);
            }
            reasons.push(why);
        }
    }
    let cost = match cost {
        Some(c) if reasons.is_empty() => c,
        _ => {
            return Ok(Err((
                Excluded::new(name, reasons, false, None),
                budget_only,
            )))
        }
    };
    let fit_of = |id: &str| fit_of(&fits, id);
    let answers = answer_shares(s, rest_id)?;
    let blended = blended_fit(&answers, fit_of);
    let detail = blend(&fits, &answers);
    let mut vendors: Vec<&str> = fits
        .iter()
        .filter_map(|(id, _)| cat.model(id).map(|m| m.vendor.as_str()))
        .collect();
    vendors.sort();
    vendors.dedup();
    Ok(Ok(Ranked {
        rank: 0,
        model: name.clone(),
        vendor: vendors.join("+"),
        name,
        monthly_cost: cost.monthly_cost,
        horizon_cost: cost.horizon_cost,
        fit: blended,
        balanced: None,
        pareto: false,
        fit_detail: Fit {
            fit: blended,
            ..detail
        },
        summary,
        cost,
        // Every model on a route is bought through its vendor's API.
        deployment: Deployment::Api,
        unverified: fits
            .iter()
            .filter_map(|(id, _)| cat.model(id))
            .flat_map(|m| unverified_floors(s, scorer, m))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect(),
        answered_by: answers
            .into_iter()
            .map(|(model, share)| Answer {
                fit: fit_of(&model),
                model,
                share,
            })
            .collect(),
        rest: rest_id.map(String::from),
    }))
}

/// The model that serves the workloads without a route: the best single API model of a ranking
/// (`ranked` in order, before any `top` cut). `None` when every workload is routed.
pub fn rest_model<'c>(s: &Scenario, ranked: &[Ranked], cat: &'c Catalogue) -> Option<&'c Model> {
    if !s.has_unrouted() {
        return None;
    }
    ranked
        .iter()
        .find(|r| matches!(r.deployment, Deployment::Api) && r.answered_by.is_empty())
        .and_then(|r| cat.model(&r.model))
}

/// The mix's monthly cost and blended fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MixPoint {
    /// Monthly cost of the routed plan.
    pub monthly_cost: Decimal,
    /// Blended fit; `None` when a model that answers has no fit.
    pub fit: Option<Decimal>,
}

/// The mix's monthly cost and blended fit in a ranking `r` of `s` (with no `top` cut), whether or
/// not the mix qualifies: a sweep plots the two against each other, and a budget or requirement
/// that excludes the mix changes neither. `None` when the scenario has no routes or the mix cannot
/// be priced (a model has no price for its part, or no single model can serve the unrouted
/// workloads).
pub fn mix_point(s: &Scenario, cat: &Catalogue, r: &Ranking) -> Result<Option<MixPoint>> {
    if !s.has_routes() {
        return Ok(None);
    }
    if let Some(row) = r.ranked.iter().find(|x| !x.answered_by.is_empty()) {
        return Ok(Some(MixPoint {
            monthly_cost: row.monthly_cost,
            fit: row.fit,
        }));
    }
    // Excluded from the ranking: priced and blended as `mix_row` does, with the same rest model
    // and the same benchmark settings.
    let rest = rest_model(s, &r.ranked, cat);
    let Ok(cost) = plan_cost_each(s, cat, &s.fx(cat), rest, &mut |_| {})? else {
        return Ok(None);
    };
    let passing = cat
        .models
        .iter()
        .filter(|m| requirement_failures(s, m).is_empty());
    let scorer = Scorer::new(s, cat, passing);
    let rest_id = rest.map(|m| m.id.as_str());
    let fits = model_fits(s, cat, &scorer, rest_id);
    let fit = blended_fit(&answer_shares(s, rest_id)?, |id| fit_of(&fits, id));
    Ok(Some(MixPoint {
        monthly_cost: cost.monthly_cost,
        fit,
    }))
}

/// The fit of each model the mix pays for, from the same benchmark settings as `rank` (counted
/// over the models that meet the hard requirements): what the mix row blends. A forecast blends
/// them again on each trial's drawn shares ([`blended_fit`]).
pub fn mix_model_fits(
    s: &Scenario,
    cat: &Catalogue,
    rest: Option<&str>,
) -> Vec<(String, Option<Decimal>)> {
    let passing = cat
        .models
        .iter()
        .filter(|m| requirement_failures(s, m).is_empty());
    let scorer = Scorer::new(s, cat, passing);
    model_fits(s, cat, &scorer, rest)
        .into_iter()
        .map(|(id, f)| (id, f.fit))
        .collect()
}

/// Each model the mix pays for, with its own fit.
fn model_fits(
    s: &Scenario,
    cat: &Catalogue,
    scorer: &Scorer,
    rest: Option<&str>,
) -> Vec<(String, Fit)> {
    models_used(s, rest)
        .into_iter()
        .filter_map(|id| {
            let m = cat.model(id)?;
            Some((id.to_string(), scorer.fit(m)))
        })
        .collect()
}

/// The mix's fit band, coverage and status: each answering model's, weighted by its share of
/// the final answers.
fn blend(fits: &[(String, Fit)], answers: &[(String, Decimal)]) -> Fit {
    let parts: Vec<(Decimal, &Fit)> = answers
        .iter()
        .filter(|(_, share)| !share.is_zero())
        .filter_map(|(id, share)| fits.iter().find(|(m, _)| m == id).map(|(_, f)| (*share, f)))
        .collect();
    Fit::blend(parts)
}

fn fit_of(fits: &[(String, Fit)], id: &str) -> Option<Decimal> {
    fits.iter().find(|(m, _)| m == id).and_then(|(_, f)| f.fit)
}

/// Escalated requests carry extra input: they must still fit the later models' context windows.
fn overhead_context_failures(s: &Scenario, m: &Model) -> Vec<Reason> {
    let mut out = Vec::new();
    for w in &s.workloads {
        let Some(r) = &w.routing else { continue };
        for leg in r
            .legs()
            .iter()
            .filter(|l| l.model == m.id && l.extra_input_tokens > 0)
        {
            let need = w.context_tokens.saturating_add(leg.extra_input_tokens);
            if let Some(have) = m.context_window.filter(|h| *h < need) {
                out.push(Reason::new(
                    ReasonCode::ContextWindow,
                    format!(
                        "{}: context window {} tokens < {} needed by escalated requests of workload `{}`",
                        m.id,
                        grouped_int(Decimal::from(have)),
                        grouped_int(Decimal::from(need)),
                        w.name
                    ),
                ));
            }
        }
    }
    out
}
