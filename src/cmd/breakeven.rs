//! `llmplan breakeven`: the monthly volume above which self-hosting an open-weight model is
//! cheaper than an API, with the fixed cost of always-on replicas counted.

use super::{Context, Outcome};
use crate::catalogue::Catalogue;
use crate::cli::BreakevenArgs;
use crate::cost::{model_cost_each, mul, Unpriced, MILLION};
use crate::eligibility::requirement_failures;
use crate::error::{Error, Result};
use crate::money::{format_money, grouped_int, Currency};
use crate::render::{Cell, Doc, Section};
use crate::report::breakeven::{BreakevenReport, TokenCount};
use crate::report::value::{Exact, Money};
use crate::scenario::{Scenario, Selfhost};
use crate::selfhost::breakeven::{breakeven, Breakeven};
use crate::selfhost::chart::{svg, Chart, Line};
use crate::selfhost::fleet::{plan, Considered, Estimate};
use crate::selfhost::report::LABEL;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Runs the command.
pub fn run(args: &BreakevenArgs, ctx: &Context) -> Result<Outcome> {
    let cat = ctx.catalogue()?;
    let scenario = Scenario::from_path(&args.scenario, &cat)?;
    let model = cat.find_model(&args.model)?;
    let vs = cat.find_model(&args.vs)?;
    if !model.open_weights {
        return Err(Error::Usage(format!("{} has no open weights, so it cannot be self-hosted; `llmplan models` marks the open ones", model.id)));
    }
    let fx = scenario.fx(&cat);
    let api = match model_cost_each(&scenario, vs, &fx, &mut |_| {})? {
        Ok(c) => c,
        Err(Unpriced::Reason(r)) => return Err(Error::Usage(format!("{} cannot be priced for this scenario: {r}; compare with a model that has an API price", vs.id))),
    };
    let defaults = scenario.selfhost.is_none();
    let mut spec = scenario
        .selfhost
        .clone()
        .unwrap_or_else(|| Selfhost::defaults(&cat));
    if let Some(g) = &args.gpu {
        check_gpu(&cat, &spec, g)?;
        spec.gpus = vec![g.clone()];
    }
    let plan = match plan(&scenario, &spec, model, &cat, &fx)? {
        Ok(p) => p,
        Err(why) => {
            return Err(Error::Usage(format!(
                "{} cannot be self-hosted for this scenario: {why}",
                model.id
            )))
        }
    };
    let Some(e) = plan.best.clone() else {
        return Err(Error::Usage(format!(
            "{} cannot be self-hosted for this scenario: {}",
            model.id,
            plan.reason()
        )));
    };
    let b = breakeven(&e, &api)?;
    let mut outcome = Outcome::ok(report(
        &scenario,
        &e,
        &b,
        &vs.id,
        defaults,
        &plan.considered,
    )?);
    if let Some(path) = &args.plot {
        let chart = svg(&chart(&e, &b, &vs.id, scenario.currency)?)?;
        let path = crate::output::plot_path(path)?.to_path_buf();
        outcome.side_files.push(("--plot", path, chart));
    }
    if !ctx.quiet {
        for (id, m) in [(&model.id, model), (&vs.id, vs)] {
            let fails = requirement_failures(&scenario, m);
            if !fails.is_empty() {
                outcome.messages.push(format!(
                    "warning: {id} does not meet the scenario's requirements: {}",
                    crate::reason::join(&fails)
                ));
            }
        }
    }
    Ok(outcome)
}

fn check_gpu(cat: &Catalogue, spec: &Selfhost, g: &str) -> Result<()> {
    super::find_gpu(cat, "--gpu", g)?;
    if spec.hourly_usd(cat, g).is_none() {
        return Err(Error::Usage(format!("--gpu: `{g}` has no public price; add gpu_hourly_price = {{ \"{g}\" = \"...\" }} to the scenario's [selfhost]")));
    }
    Ok(())
}

fn report(
    s: &Scenario,
    e: &Estimate,
    b: &Breakeven,
    vs: &str,
    defaults: bool,
    considered: &[Considered],
) -> Result<Doc> {
    let cur = s.currency;
    let (self_m, api_m) = (b.selfhost_per_mtok()?, b.api_per_mtok()?);
    let always_on = Decimal::from(b.min_replicas + b.spare_replicas);
    let fixed = mul(b.replica_month, always_on, "fixed cost")?;
    let at_self = b.selfhost_cost(e.tokens)?;
    let at_api = b.api_cost(e.tokens)?;
    let tokens_int = b.tokens_per_month.map(|v| v.ceil());
    let mut t = Section::new(
        Some(format!("{} — self-hosting {} vs {}", s.name, e.model, vs)),
        &["", ">value"],
    )
    .with_keys(crate::csv_contract::FIGURES);
    let mut row = |k: &str, v: Cell| t.rows.push(vec![Cell::plain(k), v]);
    row(
        "self-hosted on",
        Cell::plain(format!(
            "{}× {} per replica, {} weights, {} cache, batch {} — {LABEL}",
            e.gpus(),
            e.gpu,
            e.precision,
            e.kv_precision,
            e.batch()
        )),
    );
    row(
        "replicas at the scenario's volume",
        Cell::plain(e.replicas.to_string()),
    );
    row(
        "self-hosted $ per 1M tokens, replicas full",
        Cell::money(self_m, cur),
    );
    row("API $ per 1M tokens", Cell::money(api_m, cur));
    row("fixed cost a month", Cell::money(fixed, cur));
    row(
        "tokens a replica serves a month",
        Cell::count(b.replica_capacity),
    );
    row("scenario tokens a month", Cell::count(e.tokens));
    row(
        "at the scenario's volume: self-hosted",
        Cell::money(at_self, cur),
    );
    row("at the scenario's volume: API", Cell::money(at_api, cur));
    row(
        "break-even tokens a month",
        match tokens_int {
            Some(v) => Cell {
                text: grouped_int(v),
                raw: v.normalize().to_string(),
            },
            None => Cell::plain("never"),
        },
    );
    let mut notes = Vec::new();
    match (b.tokens_per_month, &b.reason) {
        (Some(v), _) => notes.push(format!(
            "Self-hosting is cheaper above {} tokens a month, {}× this scenario's volume (same mix of input and output).",
            grouped_int(v.ceil()),
            v.checked_div(e.tokens).unwrap_or_default().round_dp(2).normalize()
        )),
        (None, Some(r)) => notes.push(format!("{}.", capitalise(r))),
        (None, None) => {}
    }
    notes.push(format!(
        "Self-hosted cost = replicas × {} GPU(s) × {} h × {} per GPU-hour, always on: max({}, ⌈load ÷ capacity⌉){} replicas, where a replica takes on {}% of its estimated throughput ÷ a peak {}× the average. API cost = tokens × {} per 1M for this mix.",
        e.gpus(),
        e.hours_per_month.normalize(),
        format_money(e.gpu_hourly, cur),
        b.min_replicas,
        if b.spare_replicas > 0 {
            format!(" + {} spare", b.spare_replicas)
        } else {
            String::new()
        },
        (e.utilization * Decimal::ONE_HUNDRED).normalize(),
        e.peak_to_average.normalize(),
        format_money(api_m, cur)
    ));
    notes.push(format!(
        "The cheapest of {} configurations tried (GPU × tensor-parallel degree) at this scenario's volume; `--format json` lists them all.",
        considered.len()
    ));
    if defaults {
        notes.push("The scenario has no [selfhost] table: every data-centre GPU was tried with bf16 weights and cache, one replica, no peak allowance.".into());
    }
    notes.push("An estimate: a roofline calibrated to TensorRT-LLM's published H100 throughput (within 1.5×), no speculative decoding, no loss from quantisation. Formulas and calibration: docs/selfhost.md.".into());
    let json = crate::report::to_json(&BreakevenReport {
        model: e.model.clone(),
        vs: vs.to_string(),
        gpu: e.gpu.clone(),
        gpus: e.gpus(),
        precision: e.precision.as_str(),
        selfhost_cost_per_mtok: Money::of(self_m),
        api_cost_per_mtok: Money::of(api_m),
        breakeven_tokens_per_month: tokens_int.map(|v| {
            v.to_u64()
                .map_or_else(|| TokenCount::Text(Exact::of(v)), TokenCount::Whole)
        }),
        reason: b.reason.clone(),
        configurations: crate::report::selfhost::configurations(considered),
    });
    Ok(Doc {
        json,
        sections: vec![t],
        notes,
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Both bills against volume, in millions of tokens, up to twice the break-even or the scenario.
fn chart(e: &Estimate, b: &Breakeven, vs: &str, cur: Currency) -> Result<Chart> {
    let x_max = match b.tokens_per_month {
        Some(v) => (v * Decimal::TWO).max(e.tokens * Decimal::new(125, 2)),
        None => e.tokens * Decimal::TWO,
    };
    let m = |t: Decimal| t / MILLION;
    let api = Line {
        name: format!("{vs} (API)"),
        points: vec![
            (Decimal::ZERO, Decimal::ZERO),
            (m(x_max), b.api_cost(x_max)?),
        ],
    };
    // Steps at each replica added; past a few hundred the steps are too fine to see, so sample.
    let mut pts = vec![(Decimal::ZERO, b.selfhost_cost(Decimal::ZERO)?)];
    let step = if x_max / b.replica_capacity > Decimal::from(400) {
        x_max / Decimal::from(400)
    } else {
        b.replica_capacity
    };
    let mut edge = step;
    while edge < x_max {
        pts.push((m(edge), b.selfhost_cost(edge)?));
        pts.push((m(edge), b.selfhost_cost(edge + Decimal::ONE)?));
        edge += step;
    }
    pts.push((m(x_max), b.selfhost_cost(x_max)?));
    let selfhost = Line {
        name: format!("{} on {}× {} ({LABEL})", e.model, e.gpus(), e.gpu),
        points: pts,
    };
    Ok(Chart {
        title: format!("Monthly cost: self-hosting {} vs {vs}", e.model),
        x_label: "tokens per month (millions, input + output)".into(),
        y_label: format!("monthly cost ({cur})"),
        lines: vec![api, selfhost],
        marker: b.tokens_per_month.map(|v| {
            (
                m(v),
                format!("break-even: {}M tokens/month", grouped_int(m(v))),
            )
        }),
    })
}
