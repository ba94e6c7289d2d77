//! `llmplan rank`: the ranked table, and the reasons for every exclusion.

use super::{fit_report, Context, Outcome};
use crate::cli::RankArgs;
use crate::cost::ModelCost;
use crate::error::{Error, Result};
use crate::money::format_money;
use crate::rank::{rank, Deployment, Ranking};
use crate::render::{Cell, Doc, Section};
use crate::scenario::raw::Objective;
use crate::scenario::Scenario;
use rust_decimal::Decimal;
use serde_json::json;

/// Runs the command.
pub fn run(args: &RankArgs, ctx: &Context) -> Result<Outcome> {
    let cat = ctx.catalogue()?;
    let mut scenario = Scenario::from_path(&args.scenario, &cat)?;
    if let Some(o) = &args.objective {
        scenario.objective = parse_objective(o)?;
    }
    if let Some(t) = args.top {
        scenario.top = Some(t);
    }
    let ranking = rank(&scenario, &cat)?;
    Ok(outcome(&scenario, &ranking, args.all))
}

/// The report, with exit code 1 and the reason when no model qualifies.
pub fn outcome(scenario: &Scenario, ranking: &Ranking, all: bool) -> Outcome {
    let mut outcome = Outcome::ok(report(scenario, ranking, all));
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
pub fn report(s: &Scenario, r: &Ranking, all: bool) -> Doc {
    let cur = s.currency;
    let horizon_label = format!(">{}-month", s.horizon_months);
    // The deployment and $/1M columns appear only when self-hosted candidates were asked for, so
    // API-only reports keep their shape.
    let hosted = s.selfhost.is_some();
    let mut headers = vec!["#", "model", "vendor"];
    if hosted {
        headers.push("deployment");
    }
    headers.push(">monthly");
    if hosted {
        headers.push(">$/1M tok");
    }
    headers.extend([
        horizon_label.as_str(),
        ">fit",
        ">coverage",
        ">balanced",
        "pareto",
    ]);
    let mut main = Section::new(
        Some(format!(
            "{} — {} models qualify, ranked by {}",
            s.name,
            r.eligible,
            r.objective.as_str()
        )),
        &headers,
    );
    // A mix is named after its whole routing plan, which is far wider than a table column: the
    // table shows a short label and a note spells the plan out; CSV keeps the full name.
    let mut mixes: Vec<String> = Vec::new();
    for x in &r.ranked {
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
        if hosted {
            row.push(Cell::plain(deployment_label(&x.deployment)));
        }
        row.push(Cell::money(x.monthly_cost, cur));
        if hosted {
            row.push(per_mtok(&x.cost).map_or_else(|| Cell::plain("—"), |p| Cell::money(p, cur)));
        }
        row.extend([
            Cell::money(x.horizon_cost, cur),
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
        sections.push(crate::selfhost::report::section(
            r.ranked.iter().filter_map(|x| match &x.deployment {
                Deployment::SelfHosted(e) => Some(e.as_ref()),
                Deployment::Api => None,
            }),
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
    let ranked: Vec<_> = r
        .ranked
        .iter()
        .map(|x| {
            let mut row = json!({
                "kind": "model",
                "rank": x.rank,
                "model": x.model,
                "vendor": x.vendor,
                "name": x.name,
                "monthly_cost": crate::money::money_string(x.monthly_cost),
                "horizon_cost": crate::money::money_string(x.horizon_cost),
                "fit": x.fit.map(|f| f.round_dp(4).normalize().to_string()),
                "balanced": x.balanced.map(|f| f.round_dp(4).normalize().to_string()),
                "pareto": x.pareto,
                "scores": x.fit_detail.used.iter().map(fit_report::used_json).collect::<Vec<_>>(),
                "missing_scores": x.fit_detail.missing,
                "unverified_floors": x.unverified,
                "workloads": x.cost.workloads.iter().map(|w| {
                    let mut o = json!({"name": w.name, "cost": crate::money::money_string(w.cost)});
                    if !x.answered_by.is_empty() {
                        o["route"] = w.route.iter().map(|l| json!({
                            "model": l.model, "share": l.share.normalize().to_string(), "cost": crate::money::money_string(l.cost),
                        })).collect();
                    }
                    o
                }).collect::<Vec<_>>(),
                "deployment": x.deployment.as_str(),
            });
            fit_report::add_fit_fields(&mut row, &x.fit_detail);
            if hosted {
                row["cost_per_mtok"] = json!(per_mtok(&x.cost).map(crate::money::money_string));
            }
            if let Deployment::SelfHosted(e) = &x.deployment {
                crate::selfhost::report::add_json(&mut row, e);
            }
            if !x.answered_by.is_empty() {
                row["kind"] = json!("mix");
                row["answered_by"] = x.answered_by.iter().map(|a| json!({
                    "model": a.model,
                    "share": a.share.round_dp(6).normalize().to_string(),
                    "fit": a.fit.map(|f| f.round_dp(4).normalize().to_string()),
                })).collect();
            }
            row
        })
        .collect();
    let mut json = json!({
        "scenario": r.scenario,
        "currency": r.currency,
        "objective": r.objective.as_str(),
        "ranked": ranked,
        "excluded": r.excluded.iter().map(|e| {
            let mut v = json!({"model": e.model, "reasons": e.reasons});
            if e.self_hosted {
                v["deployment"] = json!("self-hosted");
                v["gpu"] = json!(e.gpu);
            }
            v
        }).collect::<Vec<_>>(),
        "eligible": r.eligible,
        "horizon_months": s.horizon_months,
        "monthly_growth": s.monthly_growth.normalize().to_string(),
        "days_per_month": s.days_per_month,
        "fit_weights": s.fit.weights.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.normalize().to_string()))).collect::<serde_json::Map<_, _>>(),
        "fit_missing": s.fit.missing.as_str(),
        "min_coverage": s.fit.min_coverage.normalize().to_string(),
        "points_per_tenfold": crate::score::Balance::of(s).points_per_tenfold().normalize().to_string(),
    });
    if hosted && all {
        json["selfhost_configurations"] =
            crate::selfhost::report::configurations_json(&r.selfhost_configurations);
    }
    Doc {
        json,
        sections,
        notes: notes(s, r, all),
    }
}

/// The bill per 1M input-plus-output tokens: the like-for-like price of a row, API or self-hosted.
fn per_mtok(c: &ModelCost) -> Option<Decimal> {
    let tokens = c.workloads.iter().try_fold(Decimal::ZERO, |t, w| {
        t.checked_add(w.input_tokens)?.checked_add(w.output_tokens)
    })?;
    c.monthly_cost
        .checked_mul(crate::cost::MILLION)?
        .checked_div(tokens)
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

fn notes(s: &Scenario, r: &Ranking, all: bool) -> Vec<String> {
    let mut n = Vec::new();
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
        "Costs in {} at list price less discounts; a month is {} days; the {}-month horizon assumes {growth}.",
        s.currency, s.days_per_month, s.horizon_months
    ));
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
