//! `llmplan rank`: the ranked table, and the reasons for every exclusion.

use super::{fit_report, Context, Outcome};
use crate::catalogue::model::Model;
use crate::cli::RankArgs;
use crate::cost::WorkloadCost;
use crate::error::{Error, Result};
use crate::money::format_money;
use crate::money::Currency;
use crate::procurement::{basis_phrase, fx_note, rates_used, PriceBasis, Rate};
use crate::rank::{bills_again, rank_with, Bills, Deployment, Ranked, Ranking};
use crate::render::deferred::{emit_all, Deferred, Step};
use crate::render::{Cell, Doc, Format, Section};
use crate::report::fit::{FitFields, ScoreUsed};
use crate::report::rank::{
    AnsweredBy, DeploymentKind, ExcludedRow, RankReport, RankedRow, RankedWorkload, RouteLeg,
    RowKind,
};
use crate::report::selfhost::{SelfHostFields, SelfHostWorkload};
use crate::report::value::{Exact, Money, Score};
use crate::scenario::raw::Objective;
use crate::scenario::Scenario;
use crate::Catalogue;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::rc::Rc;

/// Runs the command.
pub fn run(args: &RankArgs, ctx: &Context) -> Result<Outcome> {
    let cat = ctx.catalogue()?;
    let mut scenario = crate::quick::scenario(args.scenario.as_ref(), &args.quick, &cat)?;
    if let Some(o) = &args.objective {
        scenario.objective = parse_objective(o)?;
    }
    if let Some(t) = args.top {
        scenario.top = Some(t);
    }
    // The ranking keeps only each API model's totals, so that it holds no bill for every model
    // times every workload. JSON, which prints each row's bill workload by workload, has them
    // priced again, a workload at a time, as it is written (`bills_as_written`).
    let json = matches!(ctx.format, Format::Json | Format::Jsonl);
    if scenario.forecast.is_none() {
        let ranking = rank_with(&scenario, &cat, Bills::Totals)?;
        let shared = Rc::new((scenario, cat));
        let mut outcome = outcome(&shared, &ranking, args.all);
        if json {
            outcome.deferred = bills_as_written(&shared, &ranking);
        }
        return Ok(outcome);
    }
    // Win shares are counted over every eligible model, so the cut to `top` comes after.
    let top = scenario.top.take();
    let mut ranking = rank_with(&scenario, &cat, Bills::Totals)?;
    let outlook = crate::forecast::outlook(&scenario, &cat, &ranking.ranked, 0)?;
    scenario.top = top;
    if let Some(t) = top {
        ranking.ranked.truncate(t);
    }
    let shared = Rc::new((scenario, cat));
    let mut outcome = outcome(&shared, &ranking, args.all);
    let inputs = match (&outlook, outcome.doc.as_mut()) {
        (Some(o), Some(doc)) => crate::forecast::report::extend_rank(doc, &shared.0, o),
        _ => None,
    };
    if json {
        outcome.deferred = bills_as_written(&shared, &ranking);
        outcome.deferred.extend(inputs);
    }
    Ok(outcome)
}

/// The scenario a report was ranked from and the catalogue that ranked it: what the report's
/// per-workload parts are made again from as it is written.
pub type Shared = Rc<(Scenario, Catalogue)>;

/// The per-workload arrays of the JSON report, left empty by a ranking that keeps only totals,
/// made again a workload at a time as the report is written ([`bills_again`]): each row's
/// `workloads`, and each self-hosted row's `selfhost.workloads`, its fleet's loads made again from
/// the estimate. The kernel's bills do not depend on when they are made, so these are the bills
/// the ranking added up.
fn bills_as_written(shared: &Shared, r: &Ranking) -> Vec<Deferred> {
    let at = |i: usize, path: &[&'static str]| {
        let mut at = vec![Step::Key("ranked"), Step::Index(i)];
        at.extend(path.iter().map(|k| Step::Key(k)));
        at
    };
    let mut parts = Vec::new();
    for (i, x) in r.ranked.iter().enumerate() {
        if !x.cost.workloads.is_empty() {
            continue;
        }
        let (sh, row) = (Rc::clone(shared), x.clone());
        parts.push(Deferred {
            at: at(i, &["workloads"]),
            fill: Box::new(move |emit| {
                let mixed = !row.answered_by.is_empty();
                emit_all(emit, |out| {
                    bills_again(&sh.0, &sh.1, &row, &mut |w| {
                        out(crate::report::to_json(&ranked_workload(&w, mixed)))
                    })
                })
            }),
        });
        if let Deployment::SelfHosted(e) = &x.deployment {
            let (sh, e) = (Rc::clone(shared), e.clone());
            parts.push(Deferred {
                at: at(i, &["selfhost", "workloads"]),
                fill: Box::new(move |emit| {
                    emit_all(emit, |out| {
                        e.each_load(&sh.0, &sh.1, &mut |l| {
                            out(crate::report::to_json(&SelfHostWorkload::of(&l)))
                        })
                    })
                }),
            });
        }
    }
    parts
}

/// One workload's part of a row's bill, as JSON prints it; `mixed` for a mix's row, which lists
/// each model's part.
fn ranked_workload(w: &WorkloadCost, mixed: bool) -> RankedWorkload {
    RankedWorkload {
        name: w.name.clone(),
        cost: Money::of(w.cost),
        billed_input_tokens: w.billed.as_ref().map(|b| b.size.input),
        billed_output_tokens: w.billed.as_ref().map(|b| b.size.output),
        route: mixed.then(|| {
            w.route
                .iter()
                .map(|l| RouteLeg {
                    model: l.model.clone(),
                    share: Exact::of(l.share),
                    cost: Money::of(l.cost),
                })
                .collect()
        }),
    }
}

/// The report, with exit code 1 and the reason when no model qualifies.
pub fn outcome(shared: &Shared, ranking: &Ranking, all: bool) -> Outcome {
    let scenario = &shared.0;
    let mut outcome = Outcome::ok(report(shared, ranking, all));
    if ranking.eligible == 0 {
        outcome.exit_code = 1;
        outcome.messages.push(no_winner_message(scenario, ranking));
    }
    outcome
}

/// Reads an objective name given on the command line.
pub fn parse_objective(o: &str) -> Result<Objective> {
    match o {
        "cheapest" => Ok(Objective::Cheapest),
        "best_fit" | "best-fit" => Ok(Objective::BestFit),
        "balanced" => Ok(Objective::Balanced),
        _ => Err(Error::Usage(format!(
            "unknown objective `{o}`; {}",
            crate::diag::suggest(o, "use one of", ["cheapest", "best_fit", "balanced"])
        ))),
    }
}

fn no_winner_message(s: &Scenario, r: &Ranking) -> String {
    match (&r.cheapest_over_budget, s.requirements.max_monthly_cost) {
        (Some((model, cost)), Some(max)) => {
            let over = *cost - max;
            let pct = match over
                .checked_mul(Decimal::ONE_HUNDRED)
                .and_then(|x| x.checked_div(max))
            {
                Some(p) if !max.is_zero() => format!(" ({}% over)", p.round_dp(1)),
                _ => String::new(),
            };
            format!(
                "no model fits the budget: the cheapest qualifying model, {model}, costs {} a month, {} more than max_monthly_cost {}{pct}",
                format_money(*cost, s.currency),
                format_money(over, s.currency),
                format_money(max, s.currency)
            )
        }
        _ => {
            let mut msg = format!("no model qualifies for `{}`; run with --all to see every exclusion and its reasons", s.name);
            // Group the models that fail a single check by that check: "relax this and these
            // qualify" is the actionable reading.
            let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
            for e in r.near_misses() {
                match groups
                    .iter_mut()
                    .find(|(reason, _)| *reason == e.reasons[0])
                {
                    Some((_, models)) => models.push(&e.model),
                    None => groups.push((&e.reasons[0], vec![&e.model])),
                }
            }
            if !groups.is_empty() {
                msg.push_str("\nclosest, failing one check each:");
                for (reason, models) in groups {
                    msg.push_str(&format!("\n  {reason}: {}", models.join(", ")));
                }
            }
            msg
        }
    }
}

/// Builds the rank report.
pub fn report(shared: &Shared, r: &Ranking, all: bool) -> Doc {
    let (s, cat) = (&shared.0, &shared.1);
    // The share of requests that overflow a candidate's window; a mix has no one window.
    let overflow = |model: &str| {
        cat.model(model)
            .and_then(|m| m.context_window)
            .map(|w| s.overflow_share(w))
    };
    let sizes_vary = s.has_distributions();
    let cur = s.currency;
    let bases: Vec<PriceBasis> = r.ranked.iter().map(|x| x.summary.basis()).collect();
    // The basis column shows when some row is not at list price; the note says so otherwise.
    let show_basis = bases.iter().any(|b| *b != PriceBasis::List);
    let rates = rates_used(s, cat, used_models(s, cat, r));
    let horizon_label = format!(">{}-month", s.horizon_months);
    // The deployment and $/1M columns appear only when self-hosted candidates were asked for, so
    // API-only reports keep their shape.
    let hosted = s.selfhost.is_some();
    // Every column is always there (CSV is a fixed contract, crate::csv_contract::RANK); the
    // table hides those that say nothing for this scenario.
    let headers = [
        "#",
        "model",
        "vendor",
        "deployment",
        "gpu",
        ">gpus",
        "precision",
        ">monthly",
        ">$/1M tok",
        horizon_label.as_str(),
        crate::forecast::report::HEADERS[0],
        crate::forecast::report::HEADERS[1],
        crate::forecast::report::HEADERS[2],
        ">months",
        ">fit",
        ">coverage",
        ">balanced",
        "pareto",
        "basis",
        ">overflow",
    ];
    let mut main = Section::new(
        Some(format!(
            "{} — {} models qualify, ranked by {}",
            s.name,
            r.eligible,
            r.objective.as_str()
        )),
        &headers,
    )
    .with_keys(crate::csv_contract::RANK)
    .droppable(&[
        "vendor",
        "$/1M tok",
        "pareto",
        "P10 horizon",
        "P90 horizon",
        horizon_label.trim_start_matches('>'),
        "deployment",
        "balanced",
    ]);
    for h in ["gpu", "gpus", "precision", "months"] {
        main.hide(h);
    }
    if !hosted {
        main.hide("deployment");
        main.hide("$/1M tok");
    }
    if !show_basis {
        main.hide("basis");
    }
    if !sizes_vary {
        main.hide("overflow");
    }
    // The forecast's columns are filled by `forecast::report::extend_rank` when the scenario
    // has a [forecast]; otherwise they stay empty and out of the table.
    for h in crate::forecast::report::HEADERS {
        main.hide(h.trim_start_matches('>'));
    }
    // A mix is named after its whole routing plan, which is far wider than a table column: the
    // table shows a short label and a note spells the plan out; CSV keeps the full name.
    let mut mixes: Vec<String> = Vec::new();
    for (x, basis) in r.ranked.iter().zip(&bases) {
        let name = if x.answered_by.is_empty() {
            Cell::plain(&x.model)
        } else {
            mixes.push(x.model.clone());
            Cell {
                text: format!("mix #{}", mixes.len()),
                raw: x.model.clone(),
            }
        };
        let mut row = vec![
            Cell::plain(x.rank.to_string()),
            name,
            Cell::plain(&x.vendor),
        ];
        row.push(Cell {
            text: deployment_label(&x.deployment),
            raw: x.deployment.as_str().into(),
        });
        let (gpu, gpus, precision) = match &x.deployment {
            Deployment::SelfHosted(e) => {
                (e.gpu.clone(), e.gpus().to_string(), e.precision.to_string())
            }
            Deployment::Api => Default::default(),
        };
        row.extend([Cell::plain(gpu), Cell::plain(gpus), Cell::plain(precision)]);
        row.push(Cell::money(x.monthly_cost, cur));
        row.push(per_mtok(x).map_or_else(
            || Cell {
                text: "—".into(),
                raw: String::new(),
            },
            |p| Cell::money(p, cur),
        ));
        row.extend([
            Cell::money(x.horizon_cost, cur),
            Cell::plain(""),
            Cell::plain(""),
            Cell::plain(""),
            Cell::plain(s.horizon_months.to_string()),
            fit_report::fit_cell(&x.fit_detail),
            fit_report::coverage_cell(&x.fit_detail),
            Cell::score(x.balanced),
            Cell {
                text: if x.pareto {
                    "★".into()
                } else {
                    String::new()
                },
                raw: x.pareto.to_string(),
            },
        ]);
        row.push(Cell::plain(basis.as_str()));
        row.push(match overflow(&x.model) {
            Some(o) if sizes_vary && x.answered_by.is_empty() => Cell {
                text: crate::scenario::distribution::percent(o),
                raw: o.to_string(),
            },
            _ if sizes_vary => Cell {
                text: "—".into(),
                raw: String::new(),
            },
            _ => Cell::plain(""),
        });
        main.rows.push(row);
    }
    let mut sections = vec![main];
    if !mixes.is_empty() {
        let mut m = Section::new(Some("Mixes".into()), &["label", "plan"]);
        for (i, plan) in mixes.iter().enumerate() {
            m.rows.push(vec![
                Cell::plain(format!("mix #{}", i + 1)),
                Cell::plain(plan),
            ]);
        }
        sections.insert(1, m);
    }
    if hosted {
        let estimates = r
            .ranked
            .iter()
            .filter_map(|x| match &x.deployment {
                Deployment::SelfHosted(e) => Some((**e).clone()),
                Deployment::Api => None,
            })
            .collect();
        let shared = Rc::clone(shared);
        sections.push(crate::selfhost::report::section(
            estimates,
            Rc::new(move |e, each| e.each_load(&shared.0, &shared.1, each)),
        ));
    }
    if all {
        let mut ex = Section::new(
            Some(format!("Excluded ({})", r.excluded.len())),
            &["model", "reasons"],
        );
        for e in &r.excluded {
            let who = match (&e.gpu, e.self_hosted) {
                (Some(g), _) => format!("{} (self-hosted on {g})", e.model),
                (None, true) => format!("{} (self-hosted)", e.model),
                (None, false) => e.model.clone(),
            };
            ex.rows
                .push(vec![Cell::plain(who), Cell::plain(e.reasons.join("; "))]);
        }
        sections.push(ex);
        if hosted {
            sections.push(crate::selfhost::report::configurations_section(
                &r.selfhost_configurations,
                cur,
            ));
        }
    }
    let ranked = r
        .ranked
        .iter()
        .zip(&bases)
        .map(|(x, basis)| {
            let mixed = !x.answered_by.is_empty();
            RankedRow {
                kind: if mixed { RowKind::Mix } else { RowKind::Model },
                rank: x.rank,
                model: x.model.clone(),
                vendor: x.vendor.clone(),
                name: x.name.clone(),
                monthly_cost: Money::of(x.monthly_cost),
                horizon_cost: Money::of(x.horizon_cost),
                fit: FitFields::of(&x.fit_detail),
                balanced: x.balanced.map(Score::of),
                pareto: x.pareto,
                scores: x.fit_detail.used.iter().map(ScoreUsed::of).collect(),
                missing_scores: x.fit_detail.missing.clone(),
                unverified_floors: x.unverified.clone(),
                workloads: x
                    .cost
                    .workloads
                    .iter()
                    .map(|w| ranked_workload(w, mixed))
                    .collect(),
                deployment: match x.deployment {
                    Deployment::Api => DeploymentKind::Api,
                    Deployment::SelfHosted(_) => DeploymentKind::SelfHosted,
                },
                price_basis: *basis,
                overflow_share: overflow(&x.model).filter(|_| !mixed),
                cost_per_mtok: hosted.then(|| per_mtok(x).map(Money::of)),
                selfhost: match &x.deployment {
                    Deployment::SelfHosted(e) => Some(SelfHostFields::of(e)),
                    Deployment::Api => None,
                },
                answered_by: mixed.then(|| {
                    x.answered_by
                        .iter()
                        .map(|a| AnsweredBy {
                            model: a.model.clone(),
                            share: Exact::of(a.share.round_dp(6)),
                            fit: a.fit.map(Score::of),
                        })
                        .collect()
                }),
                forecast: None,
            }
        })
        .collect();
    let excluded = r
        .excluded
        .iter()
        .map(|e| ExcludedRow {
            model: e.model.clone(),
            reasons: e.reasons.clone(),
            reason_codes: e.reason_codes.clone(),
            overflow_share: overflow(&e.model),
            deployment: e.self_hosted.then_some(DeploymentKind::SelfHosted),
            gpu: e.self_hosted.then(|| e.gpu.clone()),
        })
        .collect();
    let json = crate::report::to_json(&RankReport {
        scenario: r.scenario.clone(),
        currency: r.currency,
        objective: r.objective,
        ranked,
        excluded,
        eligible: r.eligible,
        horizon_months: s.horizon_months,
        monthly_growth: Exact::of(s.monthly_growth),
        days_per_month: s.days_per_month,
        fx: crate::report::fx::fx(&rates),
        fit_weights: s
            .fit
            .weights
            .iter()
            .map(|(k, v)| (k.clone(), Exact::of(*v)))
            .collect(),
        fit_missing: s.fit.missing,
        min_coverage: Exact::of(s.fit.min_coverage),
        points_per_tenfold: Exact::of(crate::score::Balance::of(s).points_per_tenfold()),
        selfhost_configurations: (hosted && all)
            .then(|| crate::report::selfhost::configurations(&r.selfhost_configurations)),
        forecast: None,
    });
    Doc {
        json,
        sections,
        notes: notes(s, r, all, &bases, &rates),
    }
}

/// Every model whose prices a row uses: the row's own, and each model a routed row pays for.
fn used_models<'a>(
    s: &'a Scenario,
    cat: &'a Catalogue,
    r: &'a Ranking,
) -> impl Iterator<Item = &'a Model> + 'a {
    r.ranked
        .iter()
        .flat_map(move |x| match x.answered_by.is_empty() {
            true => vec![x.model.as_str()],
            false => crate::routed::models_used(s, x.rest.as_deref()),
        })
        .filter_map(|id| cat.model(id))
}

/// The bill per 1M input-plus-output tokens: the like-for-like price of a row, API or self-hosted.
fn per_mtok(x: &Ranked) -> Option<Decimal> {
    x.cost
        .monthly_cost
        .checked_mul(crate::cost::MILLION)?
        .checked_div(x.summary.tokens()?)
}

fn deployment_label(d: &Deployment) -> String {
    match d {
        Deployment::Api => "api".into(),
        Deployment::SelfHosted(e) => format!(
            "{}: {}× {} {}",
            crate::selfhost::report::LABEL,
            e.gpus(),
            e.gpu,
            e.precision
        ),
    }
}

fn notes(
    s: &Scenario,
    r: &Ranking,
    all: bool,
    bases: &[PriceBasis],
    rates: &BTreeMap<Currency, Rate>,
) -> Vec<String> {
    let mut n = Vec::new();
    if s.has_distributions() {
        n.push(format!(
            "Request sizes vary: a model qualifies when its window holds the {}th-percentile request (prompt plus answer); overflow = the share of requests that would not fit its window.",
            (s.requirements.context_percentile * Decimal::ONE_HUNDRED).normalize()
        ));
    }
    let unverified: Vec<String> = r
        .ranked
        .iter()
        .filter(|x| !x.unverified.is_empty())
        .map(|x| format!("{} (no {})", x.model, x.unverified.join(", ")))
        .collect();
    if !unverified.is_empty() {
        n.push(format!(
            "Unverified against min_scores, kept because min_scores_missing = \"allow\": {}.",
            unverified.join("; ")
        ));
    }
    let growth = if s.monthly_growth.is_zero() {
        "no growth".to_string()
    } else {
        format!(
            "{}% monthly growth",
            (s.monthly_growth * Decimal::ONE_HUNDRED).normalize()
        )
    };
    n.push(format!(
        "Costs in {} {}; a month is {} days; the {}-month horizon assumes {growth}.",
        s.currency,
        basis_phrase(bases.iter().copied()),
        s.days_per_month,
        s.horizon_months
    ));
    n.extend(fx_note(rates));
    n.extend(crate::forecast::report::price_note(s));
    n.extend(fit_report::notes(
        s,
        r.ranked.iter().map(|x| (x.model.as_str(), &x.fit_detail)),
    ));
    n.push(format!(
        "Balanced = (fit + cost score) ÷ 2, where cost score = 100 − {p} × log10(cost ÷ cheapest): {p} fit points per tenfold in cost ([rank] points_per_tenfold). ★ = Pareto front: nothing else is both cheaper and better.",
        p = crate::score::Balance::of(s).points_per_tenfold().normalize()
    ));
    if let Some(h) = &s.selfhost {
        n.push(crate::selfhost::report::note(h));
        let served = r.ranked.iter().find_map(|x| match &x.deployment {
            Deployment::SelfHosted(e) => Some(e.served),
            Deployment::Api => None,
        });
        n.extend(served.and_then(crate::selfhost::report::spread_note));
    }
    if !all && !r.excluded.is_empty() {
        n.push(format!(
            "{} models excluded; add --all to list them with reasons.",
            r.excluded.len()
        ));
    }
    if r.ranked.len() < r.eligible {
        n.push(format!(
            "Showing the top {} of {} qualifying models.",
            r.ranked.len(),
            r.eligible
        ));
    }
    n
}
