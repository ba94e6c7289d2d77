//! `llmplan rank`: the ranked table, and the reasons for every exclusion.

use super::{Context, Outcome};
use crate::cli::RankArgs;
use crate::error::{Error, Result};
use crate::money::format_money;
use crate::rank::{rank, Ranking};
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
    let mut main = Section::new(
        Some(format!(
            "{} — {} models qualify, ranked by {}",
            s.name,
            r.eligible,
            r.objective.as_str()
        )),
        &[
            "#",
            "model",
            "vendor",
            ">monthly",
            &horizon_label,
            ">fit",
            ">balanced",
            "pareto",
        ],
    );
    for x in &r.ranked {
        main.rows.push(vec![
            Cell::plain(x.rank.to_string()),
            Cell::plain(&x.model),
            Cell::plain(&x.vendor),
            Cell::money(x.monthly_cost, cur),
            Cell::money(x.horizon_cost, cur),
            Cell::score(x.fit),
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
    }
    let mut sections = vec![main];
    if all {
        let mut ex = Section::new(
            Some(format!("Excluded ({})", r.excluded.len())),
            &["model", "reasons"],
        );
        for e in &r.excluded {
            ex.rows.push(vec![
                Cell::plain(&e.model),
                Cell::plain(e.reasons.join("; ")),
            ]);
        }
        sections.push(ex);
    }
    let ranked: Vec<_> = r
        .ranked
        .iter()
        .map(|x| {
            json!({
                "rank": x.rank,
                "model": x.model,
                "vendor": x.vendor,
                "name": x.name,
                "monthly_cost": crate::money::money_string(x.monthly_cost),
                "horizon_cost": crate::money::money_string(x.horizon_cost),
                "fit": x.fit.map(|f| f.round_dp(4).normalize().to_string()),
                "balanced": x.balanced.map(|f| f.round_dp(4).normalize().to_string()),
                "pareto": x.pareto,
                "scores": x.fit_detail.used.iter().map(|u| json!({
                    "benchmark": u.benchmark, "setting": u.setting, "value": u.value.normalize().to_string(),
                    "normalised": u.normalised.round_dp(4).normalize().to_string(), "weight": u.weight.normalize().to_string(),
                    "source": u.source,
                })).collect::<Vec<_>>(),
                "missing_scores": x.fit_detail.missing,
                "workloads": x.cost.workloads.iter().map(|w| json!({"name": w.name, "cost": crate::money::money_string(w.cost)})).collect::<Vec<_>>(),
            })
        })
        .collect();
    let json = json!({
        "scenario": r.scenario,
        "currency": r.currency,
        "objective": r.objective.as_str(),
        "ranked": ranked,
        "excluded": r.excluded.iter().map(|e| json!({"model": e.model, "reasons": e.reasons})).collect::<Vec<_>>(),
        "eligible": r.eligible,
        "horizon_months": s.horizon_months,
        "monthly_growth": s.monthly_growth.normalize().to_string(),
        "days_per_month": s.days_per_month,
        "fit_weights": s.fit.weights.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.normalize().to_string()))).collect::<serde_json::Map<_, _>>(),
    });
    Doc {
        json,
        sections,
        notes: notes(s, r, all),
    }
}

fn notes(s: &Scenario, r: &Ranking, all: bool) -> Vec<String> {
    let mut n = Vec::new();
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
    let weights = s
        .fit
        .weights
        .iter()
        .map(|(k, v)| format!("{k}×{}", v.normalize()))
        .collect::<Vec<_>>()
        .join(", ");
    let origin = if s.fit.default_weights {
        " (default weights; set [fit] weights in the scenario)"
    } else {
        ""
    };
    let missing = match s.fit.missing {
        crate::scenario::raw::MissingPolicy::Zero => "a missing score counts as 0",
        crate::scenario::raw::MissingPolicy::Skip => "missing scores are skipped",
        crate::scenario::raw::MissingPolicy::Exclude => "a missing score excludes the model",
    };
    n.push(format!("Fit (0–100) = weighted mean of benchmark scores normalised to 0–100: {weights}{origin}; {missing}."));
    // Which setting each shown model's score was taken at, counted, so mixed settings are visible.
    let mut settings: Vec<(String, Vec<(String, usize)>)> = Vec::new();
    for u in r.ranked.iter().flat_map(|x| &x.fit_detail.used) {
        let entry = match settings.iter_mut().position(|(b, _)| *b == u.benchmark) {
            Some(i) => &mut settings[i].1,
            None => {
                settings.push((u.benchmark.clone(), Vec::new()));
                &mut settings.last_mut().map(|l| &mut l.1).expect("just pushed")
            }
        };
        match entry.iter_mut().find(|(s, _)| *s == u.setting) {
            Some((_, c)) => *c += 1,
            None => entry.push((u.setting.clone(), 1)),
        }
    }
    if !settings.is_empty() {
        settings.sort_by(|a, b| a.0.cmp(&b.0));
        let text = settings
            .iter()
            .map(|(b, ss)| {
                format!(
                    "{b} {}",
                    ss.iter()
                        .map(|(s, c)| format!("{s} ×{c}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        n.push(format!("Benchmark settings used (where a model has several, the one most candidates share): {text}."));
    }
    n.push("Balanced = (fit + cost score) ÷ 2, where cost score = 100 − 25 × log10(cost ÷ cheapest). ★ = Pareto front: nothing else is both cheaper and better.".into());
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
