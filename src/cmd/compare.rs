//! `llmplan compare --by vendor|family`: for procurement, each vendor's (or family's) best offer
//! for this workload, and what each step up a family's tier ladder costs per fit point.
//!
//! Models are ranked once, as `rank` ranks them. A group's best model is its first in that order.
//! Within a group the qualifying models with a fit are laddered by monthly cost; stepping from one
//! to the next costs Δ monthly ÷ Δ fit per fit point, shown only where fit rises. A model without
//! a fit is never a step: it is listed apart, since no fit gain to or from it can be stated.

use super::{fit_report, Context, Outcome};
use crate::cli::{CompareArgs, GroupBy};
use crate::error::Result;
use crate::rank::{rank_with, Bills, Ranked};
use crate::render::{Cell, Doc, Section};
use crate::report::compare::{CompareBest, CompareGroup, CompareModel, CompareReport, CompareStep};
use crate::report::fit::FitFields;
use crate::report::value::{Money, Score};
use crate::scenario::Scenario;
use rust_decimal::Decimal;

/// Runs the command.
pub fn run(args: &CompareArgs, ctx: &Context) -> Result<Outcome> {
    let cat = ctx.catalogue()?;
    let mut s = Scenario::from_path(&args.scenario, &cat)?;
    s.top = None;
    // Totals only: the comparison prints no bill workload by workload.
    let r = rank_with(&s, &cat, Bills::Totals)?;
    let key = |x: &Ranked| match args.by {
        GroupBy::Vendor => x.vendor.clone(),
        GroupBy::Family => cat
            .model(&x.model)
            .and_then(|m| m.family.clone())
            .unwrap_or_else(|| x.model.clone()),
    };
    // Groups in the order of their best model's rank.
    let mut groups: Vec<(String, Vec<&Ranked>)> = Vec::new();
    for x in &r.ranked {
        let k = key(x);
        match groups.iter_mut().find(|g| g.0 == k) {
            Some(g) => g.1.push(x),
            None => groups.push((k, vec![x])),
        }
    }
    let mut outcome = Outcome::ok(report(&s, args.by, &groups));
    if groups.is_empty() {
        outcome.exit_code = 1;
        outcome.messages.push(format!("no model qualifies for `{}`; `llmplan rank --all` lists every exclusion and its reasons", s.name));
    }
    Ok(outcome)
}

/// One step up a ladder.
struct Step<'a> {
    from: &'a Ranked,
    to: &'a Ranked,
    cost: Decimal,
    fit: Option<Decimal>,
    per_point: Option<Decimal>,
}

fn ladder<'a>(members: &[&'a Ranked]) -> (Vec<&'a Ranked>, Vec<Step<'a>>) {
    let mut l: Vec<&Ranked> = members
        .iter()
        .filter(|x| x.fit.is_some())
        .copied()
        .collect();
    l.sort_by(|a, b| {
        a.monthly_cost
            .cmp(&b.monthly_cost)
            .then(b.fit.cmp(&a.fit))
            .then(a.model.cmp(&b.model))
    });
    let steps = l
        .windows(2)
        .map(|w| {
            let cost = w[1].monthly_cost - w[0].monthly_cost;
            let fit = w[1].fit.zip(w[0].fit).map(|(b, a)| b - a);
            let per_point = fit
                .filter(|f| *f > Decimal::ZERO)
                .and_then(|f| cost.checked_div(f));
            Step {
                from: w[0],
                to: w[1],
                cost,
                fit,
                per_point,
            }
        })
        .collect();
    (l, steps)
}

fn report(s: &Scenario, by: GroupBy, groups: &[(String, Vec<&Ranked>)]) -> Doc {
    let cur = s.currency;
    let noun = match by {
        GroupBy::Vendor => "vendor",
        GroupBy::Family => "family",
    };
    let mut best = Section::new(
        Some(format!(
            "{} — best model of each {noun}, ranked by {}",
            s.name,
            s.objective.as_str()
        )),
        &[
            noun,
            "best model",
            ">monthly",
            &format!(">{}-month", s.horizon_months),
            ">months",
            ">fit",
            ">coverage",
            ">balanced",
            ">qualifying",
        ],
    )
    .with_keys(crate::csv_contract::COMPARE);
    best.hide("months");
    let mut steps_t = Section::new(
        Some("Stepping up a tier (models of a group in order of monthly cost)".into()),
        &[noun, "from", "to", ">+monthly", ">+fit", ">per fit point"],
    );
    let mut groups_json = Vec::new();
    for (g, members) in groups {
        let b = members[0];
        best.rows.push(vec![
            Cell::plain(g),
            Cell::plain(&b.model),
            Cell::money(b.monthly_cost, cur),
            Cell::money(b.horizon_cost, cur),
            Cell::plain(s.horizon_months.to_string()),
            fit_report::fit_cell(&b.fit_detail),
            fit_report::coverage_cell(&b.fit_detail),
            Cell::score(b.balanced),
            Cell::plain(members.len().to_string()),
        ]);
        let (l, steps) = ladder(members);
        for st in &steps {
            steps_t.rows.push(vec![
                Cell::plain(g),
                Cell::plain(&st.from.model),
                Cell::plain(&st.to.model),
                Cell::money(st.cost, cur),
                match st.fit {
                    // A gain measured from or to an estimated fit is marked as one.
                    Some(f) => Cell {
                        text: format!(
                            "{}{:+.1}",
                            if st.from.fit_detail.status.is_estimate()
                                || st.to.fit_detail.status.is_estimate()
                            {
                                fit_report::ESTIMATE_MARK
                            } else {
                                ""
                            },
                            f.round_dp(1)
                        ),
                        raw: f.round_dp(4).normalize().to_string(),
                    },
                    None => Cell::plain("—"),
                },
                match st.per_point {
                    Some(p) => Cell::money(p, cur),
                    None => Cell::plain("no fit gain"),
                },
            ]);
        }
        let row = |x: &Ranked| CompareModel {
            model: x.model.clone(),
            monthly_cost: Money::of(x.monthly_cost),
            fit: FitFields::of(&x.fit_detail),
        };
        groups_json.push(CompareGroup {
            group: g.clone(),
            best: CompareBest {
                model: b.model.clone(),
                rank: b.rank,
                monthly_cost: Money::of(b.monthly_cost),
                horizon_cost: Money::of(b.horizon_cost),
                balanced: b.balanced.map(Score::of),
                fit: FitFields::of(&b.fit_detail),
            },
            ladder: l.iter().map(|x| row(x)).collect(),
            no_fit: members
                .iter()
                .filter(|x| x.fit.is_none())
                .map(|x| row(x))
                .collect(),
            steps: steps
                .iter()
                .map(|st| CompareStep {
                    from: st.from.model.clone(),
                    to: st.to.model.clone(),
                    monthly_cost_increase: Money::of(st.cost),
                    fit_increase: st.fit.map(Score::of),
                    cost_per_fit_point: st.per_point.map(Money::of),
                })
                .collect(),
        });
    }
    let mut notes = vec![
        format!(
            "Costs in {cur} a month {}; fit and balanced as in `llmplan rank`. Only models that qualify for the scenario are shown.",
            crate::procurement::basis_phrase(
                groups
                    .iter()
                    .flat_map(|(_, m)| m.iter().map(|x| x.summary.basis()))
            )
            .trim_end_matches(" (basis column)")
        ),
        "Per fit point = (monthly cost of the next tier − this tier) ÷ (its fit − this fit): what each extra point of fit costs a month; ~ marks a gain to or from a fit with estimates in it. \"no fit gain\" = the dearer model does not fit better. Models without a fit are left off the ladder: no step to or from them can be priced.".into(),
    ];
    notes.extend(fit_report::notes(
        s,
        groups
            .iter()
            .flat_map(|(_, m)| m.iter().map(|x| (x.model.as_str(), &x.fit_detail))),
    ));
    let json = crate::report::to_json(&CompareReport {
        scenario: s.name.clone(),
        currency: cur,
        by: noun,
        objective: s.objective,
        groups: groups_json,
    });
    Doc {
        json,
        sections: vec![best, steps_t],
        notes,
    }
}
