//! `llmplan diff BASE NEW`: what a change to a scenario does to the bill, for reviews and CI gates.
//!
//! Both scenarios are ranked as `rank` would. The report gives, per model, the monthly and horizon
//! cost under each and the change; per workload, the same for the chosen model; and whether the
//! winner changes. `chosen` compares NEW's winner with itself under BASE (priced under BASE even if
//! BASE's requirements excluded it; if BASE cannot price it at all, BASE's winner's cost is used).
//! The gate compares chosen-model spend, the winner switch included: see [`super::diff_gate`],
//! which also writes the `--format markdown` pull-request comment.

use super::diff_gate::{self, Bill, Limits, Pair, Sides, Spend};
use super::{Context, Outcome};
use crate::cli::DiffArgs;
use crate::cost::{horizon_cost, model_cost_each, ModelCost};
use crate::error::{Error, Result};
use crate::money::{format_money, Currency};
use crate::rank::{rank_with, Bills, Ranking};
use crate::render::deferred::{emit_all, Deferred, Step};
use crate::render::{Cell, Doc, Format, LazyRows, Section};
use crate::report::diff::{
    DiffAmounts, DiffChosen, DiffGate, DiffModel, DiffReport, DiffSide, DiffWorkload,
};
use crate::report::value::Money;
use crate::scenario::Scenario;
use crate::Catalogue;
use rust_decimal::Decimal;
use std::rc::Rc;

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
    // Totals only: the per-workload tables and JSON make their bills again as they are written.
    let rb = rank_with(&base, &cat, Bills::Totals)?;
    let rn = rank_with(&new, &cat, Bills::Totals)?;
    let d = Diff::build(&cat, &base, &new, &rb, &rn)?;
    let spend = Spend::of(&rb, &rn)?;
    let checks = diff_gate::checks(&spend, &limits, new.currency);
    let gate = diff_gate::fields(&spend, &limits, &checks);
    let sides = Rc::new(Sides { base, new, cat });
    let (mut doc, deferred) = report(&d, &sides, gate);
    let (base, new) = (&sides.base, &sides.new);
    doc.sections
        .push(diff_gate::workload_section(&rb, &rn, &sides, new.currency));
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
        let mut o = Outcome::ok(doc);
        o.deferred = deferred;
        o
    };
    for c in checks.iter().filter(|c| c.crossed) {
        outcome.exit_code = 1;
        outcome.messages.push(format!("{}: {}", c.flag, c.text));
    }
    Ok(outcome)
}

/// One model under both scenarios: its totals (no bill per workload).
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
                base: model_cost_each(base, m, &fb, &mut |_| {})?.ok(),
                new: model_cost_each(new, m, &fnew, &mut |_| {})?.ok(),
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

/// Builds the report, with its JSON's `workloads` as a deferred part: the chosen model's bill per
/// workload is made again as the report is written, as are the rows of its table.
fn report(d: &Diff, sides: &Rc<Sides>, gate: DiffGate) -> (Doc, Vec<Deferred>) {
    let (base, new) = (&sides.base, &sides.new);
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
    let mut deferred = Vec::new();
    if let Some(c) = &d.chosen {
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
        // Each side shows the chosen model's bill only where that scenario prices it.
        let row = d.models.iter().find(|r| r.model == c.model);
        let side = |priced: bool| match priced {
            true => Bill::Api(c.model.clone()),
            false => Bill::Nothing,
        };
        let chosen = [
            side(row.is_some_and(|r| r.base.is_some())),
            side(row.is_some_and(|r| r.new.is_some())),
        ];
        let rows = (Rc::clone(sides), chosen.clone());
        w.lazy = Some(LazyRows::new(move |sink| {
            let (sides, chosen) = &rows;
            each_workload(sides, chosen, &mut |name, [b, n], [bh, nh]| {
                sink(vec![
                    Cell::plain(name),
                    opt_money(b, cur),
                    opt_money(n, cur),
                    opt_money(delta(b, n), cur),
                    opt_money(bh, cur),
                    opt_money(nh, cur),
                    opt_money(delta(bh, nh), cur),
                ])
            })
        }));
        sections.push(w);
        let sides = Rc::clone(sides);
        deferred.push(Deferred {
            at: vec![Step::Key("workloads")],
            fill: Box::new(move |emit| {
                emit_all(emit, |out| {
                    each_workload(&sides, &chosen, &mut |name, monthly, horizon| {
                        out(crate::report::to_json(&DiffWorkload {
                            name: name.to_string(),
                            costs: DiffAmounts::of(monthly, horizon),
                        }))
                    })
                })
            }),
        });
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
        workloads: Vec::new(),
        gate,
    });
    (
        Doc {
            json,
            sections,
            notes,
        },
        deferred,
    )
}

/// The chosen model's monthly cost of each workload under BASE and NEW, and the horizon of each
/// at its scenario's growth, paired by name ([`Sides::each_workload`]).
fn each_workload(
    sides: &Sides,
    [on_base, on_new]: &[Bill; 2],
    each: &mut dyn FnMut(&str, Pair, Pair),
) -> Result<()> {
    let (base, new) = (&sides.base, &sides.new);
    sides.each_workload(on_base, on_new, &mut |name, [b, n]| {
        let bh = b.and_then(|v| horizon_cost(v, base.horizon_months, base.monthly_growth).ok());
        let nh = n.and_then(|v| horizon_cost(v, new.horizon_months, new.monthly_growth).ok());
        each(name, [b, n], [bh, nh]);
    })
}
