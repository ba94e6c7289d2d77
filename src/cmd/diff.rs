//! `llmplan diff BASE NEW`: what a change to a scenario does to the bill, for reviews and CI gates.
//!
//! Both scenarios are ranked as `rank` would. The report gives, per model, the monthly and horizon
//! cost under each and the change; per workload, the same for the chosen model; and whether the
//! winner changes. `chosen` compares NEW's winner with itself under BASE (priced under BASE even if
//! BASE's requirements excluded it; if BASE cannot price it at all, BASE's winner's cost is used).
//! The gate compares chosen-model spend, the winner switch included: see [`super::diff_gate`],
//! which also writes the `--format markdown` pull-request comment.

use super::diff_gate::{self, Limits, Spend};
use super::{Context, Outcome};
use crate::cli::DiffArgs;
use crate::cost::{horizon_cost, model_cost, ModelCost};
use crate::error::{Error, Result};
use crate::money::{format_money, Currency};
use crate::rank::{rank, Ranking};
use crate::render::{Cell, Doc, Format, Section};
use crate::report::diff::{
    DiffAmounts, DiffChosen, DiffGate, DiffModel, DiffReport, DiffSide, DiffWorkload,
};
use crate::report::value::Money;
use crate::scenario::Scenario;
use crate::Catalogue;
use rust_decimal::Decimal;

/// Runs the command.
pub fn run(args: &DiffArgs, ctx: &Context) -> Result<Outcome> {
    let cat = ctx.catalogue()?;
    let mut base = Scenario::from_path(&args.base, &cat)?;
    let mut new = Scenario::from_path(&args.new, &cat)?;
    if base.currency != new.currency {
        return Err(Error::Usage(format!(
            "{} is in {} and {} in {}; diff compares amounts in one currency, so set the same `currency` in both",
            args.base.display(),
            base.currency,
            args.new.display(),
            new.currency
        )));
    }
    let limits = Limits::parse(
        args.fail_above.as_deref(),
        args.fail_above_percent.as_deref(),
        args.fail_if_monthly_above.as_deref(),
    )?;
    base.top = None;
    new.top = None;
    let (rb, rn) = (rank(&base, &cat)?, rank(&new, &cat)?);
    let d = Diff::build(&cat, &base, &new, &rb, &rn)?;
    let spend = Spend::of(&rb, &rn)?;
    let checks = diff_gate::checks(&spend, &limits, new.currency);
    let gate = diff_gate::fields(&spend, &limits, &checks);
    let mut doc = report(&d, &base, &new, gate);
    doc.sections
        .push(diff_gate::workload_section(&rb, &rn, new.currency));
    doc.notes
        .insert(1, diff_gate::summary(&spend, new.currency));
    for c in &checks {
        doc.notes.push(format!(
            "{} {}: {}.",
            c.flag,
            c.limit.normalize(),
            if c.crossed { "crossed" } else { "holds" }
        ));
    }
    let mut outcome = if ctx.format == Format::Markdown {
        let title = if base.name == new.name {
            new.name.clone()
        } else {
            format!("{} → {}", base.name, new.name)
        };
        Outcome::verbatim(diff_gate::comment(
            &spend,
            &checks,
            &doc,
            &title,
            new.horizon_months,
            new.currency,
        )?)
    } else {
        Outcome::ok(doc)
    };
    for c in checks.iter().filter(|c| c.crossed) {
        outcome.exit_code = 1;
        outcome.messages.push(format!("{}: {}", c.flag, c.text));
    }
    Ok(outcome)
}

/// One model under both scenarios.
struct ModelRow {
    model: String,
    base: Option<ModelCost>,
    new: Option<ModelCost>,
    base_ok: bool,
    new_ok: bool,
}

/// The chosen model's change.
struct Chosen {
    model: String,
    base_monthly: Decimal,
    new_monthly: Decimal,
    base_horizon: Decimal,
    new_horizon: Decimal,
    increase: Decimal,
    compared_with: String,
}

struct Diff {
    base_winner: Option<String>,
    new_winner: Option<String>,
    models: Vec<ModelRow>,
    chosen: Option<Chosen>,
}

impl Diff {
    fn build(
        cat: &Catalogue,
        base: &Scenario,
        new: &Scenario,
        rb: &Ranking,
        rn: &Ranking,
    ) -> Result<Diff> {
        let (fb, fnew) = (base.fx(cat), new.fx(cat));
        let mut ids: Vec<&str> = rn.ranked.iter().map(|r| r.model.as_str()).collect();
        for r in &rb.ranked {
            if !ids.contains(&r.model.as_str()) {
                ids.push(&r.model);
            }
        }
        let mut models = Vec::new();
        for id in ids {
            let Some(m) = cat.model(id) else { continue };
            models.push(ModelRow {
                model: id.to_string(),
                base: model_cost(base, m, &fb)?.ok(),
                new: model_cost(new, m, &fnew)?.ok(),
                base_ok: rb.ranked.iter().any(|r| r.model == id),
                new_ok: rn.ranked.iter().any(|r| r.model == id),
            });
        }
        let base_winner = rb.ranked.first().map(|r| r.model.clone());
        let new_winner = rn.ranked.first().map(|r| r.model.clone());
        let chosen = match rn.ranked.first() {
            None => None,
            Some(w) => {
                let same = models
                    .iter()
                    .find(|r| r.model == w.model)
                    .and_then(|r| r.base.clone());
                let (bm, bh, with) = match (same, rb.ranked.first()) {
                    (Some(c), _) => (c.monthly_cost, c.horizon_cost, w.model.clone()),
                    (None, Some(bw)) => (bw.monthly_cost, bw.horizon_cost, bw.model.clone()),
                    (None, None) => (Decimal::ZERO, Decimal::ZERO, "nothing".into()),
                };
                let increase = w
                    .monthly_cost
                    .checked_sub(bm)
                    .ok_or_else(|| Error::overflow("monthly increase"))?;
                Some(Chosen {
                    model: w.model.clone(),
                    base_monthly: bm,
                    new_monthly: w.monthly_cost,
                    base_horizon: bh,
                    new_horizon: w.horizon_cost,
                    increase,
                    compared_with: with,
                })
            }
        };
        Ok(Diff {
            base_winner,
            new_winner,
            models,
            chosen,
        })
    }
}

fn pct(from: Decimal, to: Decimal) -> Cell {
    if from.is_zero() {
        return Cell::plain("");
    }
    let p = ((to - from) * Decimal::ONE_HUNDRED / from).round_dp(1);
    Cell {
        text: format!("{}{}%", if p > Decimal::ZERO { "+" } else { "" }, p),
        raw: p.normalize().to_string(),
    }
}

fn opt_money(v: Option<Decimal>, cur: Currency) -> Cell {
    v.map_or(
        Cell {
            text: "—".into(),
            raw: String::new(),
        },
        |v| Cell::money(v, cur),
    )
}

/// A model's monthly and horizon cost under BASE and NEW.
type Costs = ([Option<Decimal>; 2], [Option<Decimal>; 2]);

fn costs(r: &ModelRow) -> Costs {
    let of =
        |pick: fn(&ModelCost) -> Decimal| [r.base.as_ref().map(pick), r.new.as_ref().map(pick)];
    (of(|c| c.monthly_cost), of(|c| c.horizon_cost))
}

fn delta(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    Some(b? - a?)
}

fn report(d: &Diff, base: &Scenario, new: &Scenario, gate: DiffGate) -> Doc {
    let cur = new.currency;
    let mut models = Section::new(
        Some(format!(
            "{} → {}: monthly and {}-month cost per model",
            base.name, new.name, new.horizon_months
        )),
        &[
            "model",
            "qualifies",
            ">base monthly",
            ">new monthly",
            ">Δ monthly",
            ">Δ %",
            ">base horizon",
            ">new horizon",
            ">Δ horizon",
        ],
    )
    .with_keys(crate::csv_contract::DIFF)
    .droppable(&[
        "qualifies",
        "Δ %",
        "base horizon",
        "new horizon",
        "Δ horizon",
    ]);
    for r in &d.models {
        let ([bm, nm], [bh, nh]) = costs(r);
        let q = match (r.base_ok, r.new_ok) {
            (true, true) => "both",
            (false, true) => "new only",
            (true, false) => "base only",
            _ => "neither",
        };
        models.rows.push(vec![
            Cell::plain(&r.model),
            Cell::plain(q),
            opt_money(bm, cur),
            opt_money(nm, cur),
            opt_money(delta(bm, nm), cur),
            match (bm, nm) {
                (Some(a), Some(b)) => pct(a, b),
                _ => Cell::plain(""),
            },
            opt_money(bh, cur),
            opt_money(nh, cur),
            opt_money(delta(bh, nh), cur),
        ]);
    }
    let mut sections = vec![models];
    let mut workloads_json = Vec::new();
    if let Some(c) = &d.chosen {
        let row = d.models.iter().find(|r| r.model == c.model);
        let mut w = Section::new(
            Some(format!("Per workload on {}", c.model)),
            &[
                "workload",
                ">base monthly",
                ">new monthly",
                ">Δ monthly",
                ">base horizon",
                ">new horizon",
                ">Δ horizon",
            ],
        )
        .droppable(&["base horizon", "new horizon", "Δ horizon"]);
        let empty = Vec::new();
        let bw = row
            .and_then(|r| r.base.as_ref())
            .map_or(&empty, |c| &c.workloads);
        let nw = row
            .and_then(|r| r.new.as_ref())
            .map_or(&empty, |c| &c.workloads);
        let (bc, nc) = (diff_gate::costs_by_name(bw), diff_gate::costs_by_name(nw));
        let mut names: Vec<&str> = nw.iter().map(|x| x.name.as_str()).collect();
        names.extend(
            bw.iter()
                .map(|x| x.name.as_str())
                .filter(|n| !nc.contains_key(n)),
        );
        for name in names {
            let b = bc.get(name).copied();
            let n = nc.get(name).copied();
            let bh = b.and_then(|v| horizon_cost(v, base.horizon_months, base.monthly_growth).ok());
            let nh = n.and_then(|v| horizon_cost(v, new.horizon_months, new.monthly_growth).ok());
            w.rows.push(vec![
                Cell::plain(name),
                opt_money(b, cur),
                opt_money(n, cur),
                opt_money(delta(b, n), cur),
                opt_money(bh, cur),
                opt_money(nh, cur),
                opt_money(delta(bh, nh), cur),
            ]);
            workloads_json.push(DiffWorkload {
                name: name.to_string(),
                costs: DiffAmounts::of([b, n], [bh, nh]),
            });
        }
        sections.push(w);
    }
    let changed = d.base_winner != d.new_winner;
    let name = |w: &Option<String>| w.clone().unwrap_or_else(|| "no qualifying model".into());
    let mut notes = vec![if changed {
        format!(
            "The winner changes: {} → {}.",
            name(&d.base_winner),
            name(&d.new_winner)
        )
    } else {
        format!("The winner stays {}.", name(&d.new_winner))
    }];
    if let Some(c) = &d.chosen {
        let against = if c.compared_with == c.model {
            String::new()
        } else {
            format!(
                " (compared with BASE's winner {}, which BASE can price)",
                c.compared_with
            )
        };
        notes.push(format!(
            "Chosen model {}: {} → {} a month, a change of {}{against}; over the horizon {} → {}.",
            c.model,
            format_money(c.base_monthly, cur),
            format_money(c.new_monthly, cur),
            format_money(c.increase, cur),
            format_money(c.base_horizon, cur),
            format_money(c.new_horizon, cur)
        ));
    }
    notes.push("Δ = NEW − BASE. \"qualifies\" says under which scenario's requirements the model is ranked; — means the scenario cannot price it.".into());
    let json = crate::report::to_json(&DiffReport {
        currency: cur,
        base: DiffSide {
            scenario: base.name.clone(),
            winner: d.base_winner.clone(),
        },
        new: DiffSide {
            scenario: new.name.clone(),
            winner: d.new_winner.clone(),
        },
        winner_changed: changed,
        chosen: d.chosen.as_ref().map(|c| DiffChosen {
            model: c.model.clone(),
            compared_with: c.compared_with.clone(),
            base_monthly: Money::of(c.base_monthly),
            new_monthly: Money::of(c.new_monthly),
            monthly_increase: Money::of(c.increase),
            base_horizon: Money::of(c.base_horizon),
            new_horizon: Money::of(c.new_horizon),
            horizon_increase: Money::of(c.new_horizon - c.base_horizon),
        }),
        models: d
            .models
            .iter()
            .map(|r| {
                let (monthly, horizon) = costs(r);
                DiffModel {
                    model: r.model.clone(),
                    qualifies_base: r.base_ok,
                    qualifies_new: r.new_ok,
                    costs: DiffAmounts::of(monthly, horizon),
                }
            })
            .collect(),
        workloads: workloads_json,
        gate,
    });
    Doc {
        json,
        sections,
        notes,
    }
}
