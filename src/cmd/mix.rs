//! `llmplan mix`: the cheapest route or cascade reaching a target fit, compared with the cheapest
//! single model that reaches it.

use super::{fit_report, Context, Outcome};
use crate::catalogue::Catalogue;
use crate::cli::MixArgs;
use crate::error::{Error, Result};
use crate::fit::Fit;
use crate::mix::{search, Candidate, MixResult, Plan, Pool};
use crate::money::{format_money, format_percent, Currency};
use crate::num::parse_decimal;
use crate::render::{Cell, Doc, Section};
use crate::report::fit::FitBand;
use crate::report::mix::{
    BestFit, MixCandidate, MixExcluded, MixPlan, MixReport, PlanShare, Priced,
};
use crate::report::value::{Exact, Money, Score};
use crate::scenario::Scenario;
use rust_decimal::Decimal;
use serde_json::Value;

/// Runs the command.
pub fn run(args: &MixArgs, ctx: &Context) -> Result<Outcome> {
    let target =
        parse_decimal(&args.target_fit).map_err(|e| Error::Usage(format!("--target-fit: {e}")))?;
    if target <= Decimal::ZERO || target > Decimal::ONE_HUNDRED {
        return Err(Error::Usage(format!("--target-fit must be above 0 and at most 100, found {target}; fit is on the 0–100 scale `llmplan rank` prints")));
    }
    let cat = ctx.catalogue()?;
    let mut scenario = Scenario::from_path(&args.scenario, &cat)?;
    let pool = match (&args.family, args.models.is_empty()) {
        (Some(f), _) => Pool::Family(f.clone()),
        (None, false) => Pool::Models(args.models.clone()),
        (None, true) => Pool::All,
    };
    let result = search(&mut scenario, &cat, &pool, target)?;
    let mut outcome = Outcome::ok(report(&scenario, &cat, &result));
    match (&result.best, scenario.requirements.max_monthly_cost) {
        (None, _) => {
            outcome.exit_code = 1;
            let best = result
                .best_fit()
                .map(|c| format!(": the best fit available is {} ({})", fit_text(c.fit), c.id))
                .unwrap_or_default();
            outcome
                .messages
                .push(format!("no plan reaches fit {}{best}", target.normalize()));
        }
        (Some(p), Some(max)) if p.cost.monthly_cost > max => {
            outcome.exit_code = 1;
            outcome.messages.push(format!(
                "the cheapest plan reaching fit {} costs {} a month, over max_monthly_cost {}",
                target.normalize(),
                format_money(p.cost.monthly_cost, scenario.currency),
                format_money(max, scenario.currency)
            ));
        }
        _ => {}
    }
    Ok(outcome)
}

/// Builds the report: the plan, how it compares, and every candidate.
pub fn report(s: &Scenario, cat: &Catalogue, r: &MixResult) -> Doc {
    let cur = s.currency;
    let name = |id: &str| {
        cat.model(id)
            .map_or_else(|| id.to_string(), |m| m.name.clone())
    };
    let mut plan = Section::new(
        Some(headline(r, cur, &name)),
        &["model", "name", ">share", ">answers", ">fit", ">monthly"],
    )
    .with_keys(crate::csv_contract::MIX);
    if let Some(p) = &r.best {
        for (id, share) in &p.plan {
            let answers = answers_of(p, id, *share);
            let fit = r.candidates.iter().find(|c| &c.id == id);
            let leg_cost = p
                .leg_costs
                .iter()
                .find(|(m, _)| m == id)
                .map_or(Decimal::ZERO, |(_, c)| *c);
            plan.rows.push(vec![
                Cell::plain(id),
                Cell::plain(name(id)),
                Cell {
                    text: format_percent(*share),
                    raw: share.normalize().to_string(),
                },
                Cell {
                    text: format_percent(answers),
                    raw: answers.normalize().to_string(),
                },
                fit.map_or_else(|| Cell::score(None), |c| fit_cell(c.fit, &c.detail)),
                Cell::money(leg_cost, cur),
            ]);
        }
    }
    let mut compared = Section::new(
        Some("Compared".into()),
        &["plan", "kind", ">fit", ">monthly", ">vs best single"],
    );
    let single_cost = r.best_single.as_ref().map(|c| c.monthly_cost);
    let mut seen: Vec<String> = Vec::new();
    for (what, p) in [
        ("cheapest plan", &r.best),
        ("cheapest route of two", &r.best_route),
        ("cheapest cascade", &r.best_cascade),
    ] {
        let Some(p) = p else { continue };
        let label = plan_label(p);
        if seen.contains(&label) {
            continue;
        }
        seen.push(label.clone());
        compared.rows.push(vec![
            Cell::plain(label),
            Cell::plain(what),
            fit_cell(p.fit, &p.detail),
            Cell::money(p.cost.monthly_cost, cur),
            Cell::plain(saving(p.cost.monthly_cost, single_cost)),
        ]);
    }
    if let Some(c) = r.best_single.as_ref().filter(|c| !seen.contains(&c.id)) {
        compared.rows.push(vec![
            Cell::plain(&c.id),
            Cell::plain("cheapest single"),
            fit_cell(c.fit, &c.detail),
            Cell::money(c.monthly_cost, cur),
            Cell::plain("—"),
        ]);
    }
    let mut cands = Section::new(
        Some(format!("Candidates ({})", r.candidates.len())),
        &["model", ">fit", ">monthly alone", "reaches target"],
    );
    let mut sorted: Vec<&Candidate> = r.candidates.iter().collect();
    sorted.sort_by(|a, b| {
        a.monthly_cost
            .cmp(&b.monthly_cost)
            .then_with(|| a.id.cmp(&b.id))
    });
    for c in sorted {
        cands.rows.push(vec![
            Cell::plain(&c.id),
            fit_cell(c.fit, &c.detail),
            Cell::money(c.monthly_cost, cur),
            Cell::plain(if c.fit >= r.target { "yes" } else { "no" }),
        ]);
    }
    let sections = if r.best.is_some() {
        vec![plan, compared, cands]
    } else {
        // Nothing to show but why: the headline names the best fit, the candidates show the rest.
        cands.title = Some(format!(
            "{}\n\n{}",
            plan.title.unwrap_or_default(),
            cands.title.unwrap_or_default()
        ));
        vec![cands]
    };
    Doc {
        json: to_json(s, r),
        sections,
        notes: notes(r),
    }
}

/// "route 50% to Claude 3 Opus and 50% to Claude 3 Haiku: fit 84.45 at $X/month, 49.17% cheaper
/// than Claude 3 Opus alone".
fn headline(r: &MixResult, cur: Currency, name: &dyn Fn(&str) -> String) -> String {
    let Some(p) = &r.best else {
        let best = r
            .best_fit()
            .map(|c| {
                format!(
                    "; the best fit available is {} ({})",
                    fit_text(c.fit),
                    c.name
                )
            })
            .unwrap_or_default();
        return format!("No plan reaches fit {}{best}", r.target.normalize());
    };
    let at = format!(
        "fit {} at {}/month",
        fit_text(p.fit),
        format_money(p.cost.monthly_cost, cur)
    );
    let vs = match &r.best_single {
        Some(c) if p.routing.is_some() && c.monthly_cost > Decimal::ZERO => {
            format!(
                ", {} cheaper than {} alone",
                format_percent((c.monthly_cost - p.cost.monthly_cost) / c.monthly_cost),
                c.name
            )
        }
        _ => String::new(),
    };
    match (p.kind, p.plan.as_slice()) {
        (_, [(id, _)]) => format!(
            "{} alone: {at}; no route or cascade reaching {} is cheaper",
            name(id),
            r.target.normalize()
        ),
        ("cascade", [(a, _), (b, e)]) => format!(
            "cascade {} → {}, escalating {}: {at}{vs}",
            name(a),
            name(b),
            format_percent(*e)
        ),
        (_, legs) => {
            let parts: Vec<String> = legs
                .iter()
                .map(|(id, s)| format!("{} to {}", format_percent(*s), name(id)))
                .collect();
            format!("route {}: {at}{vs}", parts.join(" and "))
        }
    }
}

/// The share of requests whose final answer a plan's model gives.
fn answers_of(p: &Plan, id: &str, share: Decimal) -> Decimal {
    match &p.routing {
        Some(r) => r
            .legs()
            .into_iter()
            .find(|l| l.model == id)
            .map_or(share, |l| l.answers),
        None => Decimal::ONE,
    }
}

fn plan_label(p: &Plan) -> String {
    p.routing
        .as_ref()
        .map_or_else(|| p.plan[0].0.clone(), |r| r.label())
}

fn saving(cost: Decimal, single: Option<Decimal>) -> String {
    match single {
        Some(s) if s > Decimal::ZERO && cost < s => {
            format!("{} cheaper", format_percent((s - cost) / s))
        }
        Some(s) if cost == s => "same".into(),
        Some(s) if s > Decimal::ZERO => format!("{} dearer", format_percent((cost - s) / s)),
        _ => "—".into(),
    }
}

/// A fit for people: two decimals at most, one at least (`80.0`, `84.45`).
fn fit_text(f: Decimal) -> String {
    let t = f
        .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .normalize()
        .to_string();
    if t.contains('.') {
        t
    } else {
        format!("{t}.0")
    }
}

/// Two decimals, so a blend that just reaches 84.45 never reads as 84.4; `~` before an estimate.
fn fit_cell(f: Decimal, detail: &Fit) -> Cell {
    let mark = if detail.status.is_estimate() {
        fit_report::ESTIMATE_MARK
    } else {
        ""
    };
    Cell {
        text: format!("{mark}{}", fit_text(f)),
        raw: f.round_dp(4).normalize().to_string(),
    }
}

/// A single model: its cost, its fit and the fit's band, coverage and status.
fn candidate(c: &Candidate) -> MixCandidate {
    MixCandidate {
        model: c.id.clone(),
        priced: priced(c.monthly_cost, c.fit, &c.detail),
    }
}

fn shares(p: &Plan) -> Vec<PlanShare> {
    p.plan
        .iter()
        .map(|(m, s)| PlanShare {
            model: m.clone(),
            share: Exact::of(*s),
        })
        .collect()
}

fn mix_plan(p: &Plan) -> MixPlan {
    MixPlan {
        label: plan_label(p),
        kind: p.kind,
        plan: shares(p),
        priced: priced(p.cost.monthly_cost, p.fit, &p.detail),
    }
}

fn priced(monthly_cost: Decimal, fit: Decimal, detail: &Fit) -> Priced {
    Priced {
        monthly_cost: Money::of(monthly_cost),
        fit: Score::of(fit),
        band: FitBand::of(detail),
    }
}

/// The public shape: target_fit, currency, plan, kind, fit, monthly_cost, best_single, plus extras.
fn to_json(s: &Scenario, r: &MixResult) -> Value {
    let best = r.best.as_ref();
    crate::report::to_json(&MixReport {
        target_fit: Exact::of(r.target),
        currency: s.currency,
        plan: best.map(shares).unwrap_or_default(),
        kind: best.map(|p| p.kind),
        fit: best.map(|p| Score::of(p.fit)),
        band: best.map(|p| FitBand::of(&p.detail)),
        monthly_cost: best.map(|p| Money::of(p.cost.monthly_cost)),
        horizon_cost: best.map(|p| Money::of(p.cost.horizon_cost)),
        label: best.map(plan_label),
        best_single: r.best_single.as_ref().map(candidate),
        best_route: r.best_route.as_ref().map(mix_plan),
        best_cascade: r.best_cascade.as_ref().map(mix_plan),
        best_fit_available: r.best_fit().map(|c| BestFit {
            model: c.id.clone(),
            fit: Score::of(c.fit),
        }),
        candidates: r.candidates.iter().map(candidate).collect(),
        excluded: r
            .excluded
            .iter()
            .map(|e| MixExcluded {
                model: e.model.clone(),
                reasons: e.reasons.clone(),
                reason_codes: e.reason_codes.clone(),
            })
            .collect(),
    })
}

fn notes(r: &MixResult) -> Vec<String> {
    let mut n = vec![
        format!("Target: blended fit ≥ {}. Blended fit = Σ (share of requests a model gives the final answer for) × (its fit). A route's model answers its share; a cascade's first model answers 1 − e and the escalation model e.", r.target.normalize()),
        "Search: every single model, and for every pair with f_weak < target < f_strong the strong share s = (target − f_weak) ÷ (f_strong − f_weak), rounded up to 0.01% so the plan still reaches the target. Cost is linear in the shares, so no three-model route or cascade can be cheaper (see docs/routing.md).".into(),
    ];
    if r.best_cascade.is_some() {
        n.push("A cascade pays its first model for every request, so at equal fit it costs more than the route with the same shares: this fit model cannot credit a cascade for choosing which requests to escalate.".into());
    }
    if r.routes_ignored {
        n.push("Routes written in the scenario file are ignored here: each plan is applied to every workload.".into());
    }
    if let Some(p) = r.best.as_ref().filter(|p| p.detail.status.is_estimate()) {
        n.push(format!(
            "The plan's fit includes estimates ({}): it reaches the target on its point estimate; its band of about one standard error is {}.",
            fit_report::ESTIMATE_MARK,
            fit_report::fit_with_band(&p.detail)
        ));
    }
    let estimated: Vec<String> = r
        .candidates
        .iter()
        .filter(|c| c.detail.status.is_estimate())
        .map(|c| format!("{} {}", c.id, fit_report::fit_with_band(&c.detail)))
        .collect();
    if !estimated.is_empty() {
        n.push(format!(
            "{} = fit includes estimates, not published scores (imputed from the model's other scores; band in brackets, see `llmplan rank` and docs/fit.md): {}.",
            fit_report::ESTIMATE_MARK,
            estimated.join("; ")
        ));
    }
    match r.excluded.len() {
        0 => {}
        // A named pool is short: say why each one was left out. The whole catalogue is not.
        1..=5 => n.push(format!(
            "Left out: {}.",
            r.excluded.iter().map(|e| format!("{} ({})", e.model, e.reasons.join("; "))).collect::<Vec<_>>().join(", ")
        )),
        k => n.push(format!("{k} models left out for failing the scenario's requirements or having no price or fit; `--format json` lists each with its reasons.")),
    }
    n
}
