//! `llmplan cost`: the bill for one model, per workload and cost line.

use super::{find_model, Context, Outcome};
use crate::cli::CostArgs;
use crate::cost::{model_cost, ModelCost, Unpriced};
use crate::error::{Error, Result};
use crate::money::{format_money, money_string};
use crate::rank::requirement_failures;
use crate::render::{Cell, Doc, Section};
use crate::scenario::Scenario;
use serde_json::json;

/// Runs the command.
pub fn run(args: &CostArgs, ctx: &Context) -> Result<Outcome> {
    let cat = ctx.catalogue()?;
    let scenario = Scenario::from_path(&args.scenario, &cat)?;
    let Some(id) = &args.model else {
        return Err(Error::Usage(
            "cost needs --model ID: the model to price (`llmplan rank` compares them all)".into(),
        ));
    };
    let model = find_model(&cat, id)?;
    let fx = scenario.fx(&cat);
    let cost = match model_cost(&scenario, model, &fx)? {
        Ok(c) => c,
        Err(Unpriced::Reason(r)) => {
            return Ok(Outcome {
                doc: None,
                exit_code: 1,
                messages: vec![format!("{id} cannot be priced for this scenario: {r}")],
            });
        }
    };
    let mut outcome = Outcome::ok(report(&scenario, &cost));
    let fails = requirement_failures(&scenario, model);
    if !fails.is_empty() && !ctx.quiet {
        outcome.messages.push(format!(
            "warning: {id} does not meet the scenario's requirements: {}",
            fails.join("; ")
        ));
    }
    Ok(outcome)
}

/// Builds the cost report.
pub fn report(s: &Scenario, c: &ModelCost) -> Doc {
    let cur = c.currency;
    let mut t = Section::new(
        Some(format!(
            "{} on {} — monthly bill in {}",
            s.name, c.model, cur
        )),
        &[
            "workload",
            ">requests",
            ">input tok",
            ">cached tok",
            ">output tok",
            ">input",
            ">cached",
            ">output",
            ">batch",
            ">media",
            ">discount",
            ">total",
        ],
    );
    for w in &c.workloads {
        t.rows.push(vec![
            Cell::plain(&w.name),
            Cell::count(w.requests),
            Cell::count(w.input_tokens),
            Cell::count(w.cached_input_tokens),
            Cell::count(w.output_tokens),
            Cell::money(w.input_cost, cur),
            Cell::money(w.cached_input_cost, cur),
            Cell::money(w.output_cost, cur),
            Cell::money(w.batch_savings, cur),
            Cell::money(w.media_cost, cur),
            Cell::money(w.discount, cur),
            Cell::money(w.cost, cur),
        ]);
    }
    drop_zero_columns(
        &mut t,
        &["cached tok", "cached", "batch", "media", "discount"],
    );
    let mut notes = vec![
        format!("Monthly cost: {}.", format_money(c.monthly_cost, cur)),
        format!(
            "Horizon: {} over {} months at {}% monthly growth.",
            format_money(c.horizon_cost, cur),
            c.horizon_months,
            (s.monthly_growth * rust_decimal::Decimal::ONE_HUNDRED).normalize()
        ),
    ];
    for w in &c.workloads {
        if let Some(t) = w.tier_above_input_tokens {
            notes.push(format!(
                "Workload `{}` is billed at the long-prompt tier (input above {t} tokens).",
                w.name
            ));
        }
    }
    notes.push("input = fresh input tokens × input price ÷ 1M; cached = cached tokens × cached price ÷ 1M; batch = saving on batch requests; discount = negotiated fraction off.".into());
    let json = json!({
        "model": c.model,
        "currency": cur,
        "monthly_cost": money_string(c.monthly_cost),
        "horizon_months": c.horizon_months,
        "horizon_cost": money_string(c.horizon_cost),
        "workloads": c.workloads.iter().map(|w| json!({
            "name": w.name,
            "requests": w.requests.normalize().to_string(),
            "input_tokens": w.input_tokens.normalize().to_string(),
            "cached_input_tokens": w.cached_input_tokens.normalize().to_string(),
            "output_tokens": w.output_tokens.normalize().to_string(),
            "images": w.images.normalize().to_string(),
            "video_seconds": w.video_seconds.normalize().to_string(),
            "tier_above_input_tokens": w.tier_above_input_tokens,
            "input_cost": money_string(w.input_cost),
            "cached_input_cost": money_string(w.cached_input_cost),
            "output_cost": money_string(w.output_cost),
            "batch_savings": money_string(w.batch_savings),
            "media_cost": money_string(w.media_cost),
            "discount": money_string(w.discount),
            "cost": money_string(w.cost),
        })).collect::<Vec<_>>(),
    });
    Doc {
        json,
        sections: vec![t],
        notes,
    }
}

/// Removes the named columns when they are zero in every row, so the table shows what applies.
fn drop_zero_columns(t: &mut Section, names: &[&str]) {
    let zero = |c: &Cell| {
        c.raw
            .parse::<rust_decimal::Decimal>()
            .is_ok_and(|d| d.is_zero())
    };
    for name in names {
        let Some(col) = t.headers.iter().position(|h| h == name) else {
            continue;
        };
        if t.rows.iter().all(|r| zero(&r[col])) {
            t.headers.remove(col);
            t.right.remove(col);
            for r in &mut t.rows {
                r.remove(col);
            }
        }
    }
}
