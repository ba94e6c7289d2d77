//! `llmplan cost`: the bill for one model, per workload and cost line; routed workloads are priced
//! by their routes, leg by leg.

use super::{Context, Outcome};
use crate::cli::CostArgs;
use crate::cost::{Kind, ModelCost, Unpriced};
use crate::eligibility::requirement_failures;
use crate::error::{Error, Result};
use crate::money::{format_money, format_percent};
use crate::render::{Cell, Doc, Section};
use crate::report::cost::{CostCache, CostLeg, CostReport, CostTier, CostWorkload};
use crate::report::lines::LineAmounts;
use crate::report::value::{Exact, Money};
use crate::routed::{models_used, plan_cost};
use crate::scenario::Scenario;

/// Runs the command.
pub fn run(args: &CostArgs, ctx: &Context) -> Result<Outcome> {
    let cat = ctx.catalogue()?;
    let scenario = crate::quick::scenario(args.scenario.as_ref(), &args.quick, &cat)?;
    let unrouted = scenario.unrouted();
    let model = match &args.model {
        Some(id) => Some(cat.find_model(id)?),
        None if !scenario.has_routes() => {
            return Err(Error::Usage(
                "cost needs --model ID: the model to price (`llmplan rank` compares them all)"
                    .into(),
            ));
        }
        None if !unrouted.is_empty() => {
            let names = unrouted
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Error::Usage(format!(
                "workload(s) {names} have no route: add --model ID to price them (routed workloads are priced by their routes)"
            )));
        }
        None => None,
    };
    let fx = scenario.fx(&cat);
    let cost = match plan_cost(&scenario, &cat, &fx, model)? {
        Ok(c) => c,
        Err(Unpriced::Reason(r)) => {
            let who = crate::routed::label(&scenario, model.map(|m| m.id.as_str()));
            return Ok(Outcome {
                exit_code: 1,
                messages: vec![format!("{who} cannot be priced for this scenario: {r}")],
                ..Outcome::default()
            });
        }
    };
    let mut doc = report(&scenario, &cost);
    crate::procurement::add_to_cost_report(&mut doc, &scenario, &cat, &cost, model);
    if let Some(note) = model.and_then(|m| cache_dates(&cost, m)) {
        doc.notes.push(note);
    }
    let mut outcome = Outcome::ok(doc);
    if let (Some(m), Some(doc)) = (
        model.filter(|_| scenario.forecast.is_some()),
        outcome.doc.as_mut(),
    ) {
        let mut all = scenario.clone();
        all.top = None;
        let ranking = crate::rank::rank(&all, &cat)?;
        if let Some(o) = crate::forecast::outlook(&all, &cat, &ranking.ranked, 0)? {
            crate::forecast::report::extend_cost(doc, &scenario, &o, &m.id);
        }
    }
    if ctx.quiet {
        return Ok(outcome);
    }
    if let (Some(m), true) = (model, unrouted.is_empty()) {
        outcome.messages.push(format!(
            "note: --model {} is not used: every workload is priced by its route",
            m.id
        ));
    }
    for id in models_used(
        &scenario,
        model
            .filter(|_| !unrouted.is_empty())
            .map(|m| m.id.as_str()),
    ) {
        let fails = cat
            .model(id)
            .map(|m| requirement_failures(&scenario, m))
            .unwrap_or_default();
        if !fails.is_empty() {
            outcome.messages.push(format!(
                "warning: {id} does not meet the scenario's requirements: {}",
                crate::reason::join(&fails)
            ));
        }
    }
    Ok(outcome)
}

/// Builds the cost report.
pub fn report(s: &Scenario, c: &ModelCost) -> Doc {
    let cur = c.currency;
    // One money column per kind of line, in the kernel's order.
    let mut headers: Vec<String> = [
        "workload",
        ">requests",
        ">input tok",
        ">cached tok",
        ">output tok",
    ]
    .map(String::from)
    .to_vec();
    headers.extend(Kind::all().map(|k| format!(">{}", k.label().column)));
    headers.push(">total".into());
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let mut t = Section::new(
        Some(format!(
            "{} on {} — monthly bill in {}",
            s.name, c.model, cur
        )),
        &headers,
    )
    .droppable(&["cached tok", "input tok", "output tok", "requests"]);
    let keys = crate::csv_contract::cost();
    t = t.with_keys(&keys.iter().map(String::as_str).collect::<Vec<_>>());
    for w in &c.workloads {
        let mut row = vec![
            Cell::plain(&w.name),
            Cell::count(w.requests),
            Cell::count(w.input_tokens),
            Cell::count(w.cached_input_tokens),
            Cell::count(w.output_tokens),
        ];
        row.extend(w.lines.iter().map(|(_, v)| Cell::money(v, cur)));
        row.push(Cell::money(w.cost, cur));
        t.rows.push(row);
    }
    let mut optional = vec!["cached tok"];
    optional.extend(
        Kind::all()
            .map(|k| k.label())
            .filter(|l| !l.always)
            .map(|l| l.column),
    );
    drop_zero_columns(&mut t, &optional);
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
        for leg in w.route.iter().filter(|_| w.route.len() > 1) {
            if let Some(t) = leg.tier_above_input_tokens {
                notes.push(format!("Workload `{}` on {} is billed at the long-prompt tier (input above {t} tokens).", w.name, leg.model));
            }
        }
        if let (Some(t), 1) = (w.tier_above_input_tokens, w.tiers.len()) {
            notes.push(format!(
                "Workload `{}` is billed at the long-prompt tier (input above {t} tokens).",
                w.name
            ));
        }
        notes.extend(w.cache.and_then(|b| b.status.note(&w.name, &c.model)));
    }
    notes.push("input = fresh input tokens × input price ÷ 1M; cache read = cached tokens × cache read price ÷ 1M; batch = saving on batch requests; discount = negotiated fraction off.".into());
    if s.workloads.iter().any(|w| w.cache.is_some()) {
        notes.push("[workload.cache]: cache read = hits (requests × prefix × hit rate) × cache read price ÷ 1M; cache write = misses (requests × prefix − hits) × cache write price ÷ 1M, or the input price where the model has no write price; cache storage = prefix × storage hours × storage price per 1M token-hours ÷ 1M.".into());
    }
    notes.extend(crate::cost::tokens::billed_notes(s, c));
    let mut sections = vec![t];
    if s.has_distributions() || c.workloads.iter().any(|w| w.tiers.len() > 1) {
        sections.push(tiers_section(c));
        notes.push("Tiers apply per request: each request is billed at the tier its own input reaches. A lognormal size is billed from its exact partial expectations on each side of every threshold (README, \"Request sizes\").".into());
    }
    if s.has_routes() {
        sections.push(routes_section(s, c));
        notes.push("Routed workloads: share = the fraction of the workload's requests sent to (and paid for on) the model; answers = the fraction whose final answer it gives. In a cascade every request pays for the first model and escalated requests also pay for each later model they reach, with any escalation overhead added to their input.".into());
    }
    let json = crate::report::to_json(&CostReport {
        model: c.model.clone(),
        currency: cur,
        monthly_cost: Money::of(c.monthly_cost),
        horizon_months: c.horizon_months,
        horizon_cost: Money::of(c.horizon_cost),
        workloads: c
            .workloads
            .iter()
            .map(|w| CostWorkload {
                name: w.name.clone(),
                requests: Exact::of(w.requests),
                input_tokens: Exact::of(w.input_tokens),
                cached_input_tokens: Exact::of(w.cached_input_tokens),
                output_tokens: Exact::of(w.output_tokens),
                images: Exact::of(w.images),
                video_seconds: Exact::of(w.video_seconds),
                tier_above_input_tokens: w.tier_above_input_tokens,
                billed_input_tokens: w.billed.as_ref().map(|b| b.size.input),
                billed_output_tokens: w.billed.as_ref().map(|b| b.size.output),
                billed_image_tokens: w.billed.as_ref().map(|b| b.size.image_tokens),
                tiers: w
                    .tiers
                    .iter()
                    .map(|t| CostTier {
                        above_input_tokens: t.above_input_tokens,
                        share: Exact::of(t.share),
                        requests: Exact::of(t.requests),
                    })
                    .collect(),
                cost: Money::of(w.cost),
                kind: kind(s, &w.name),
                cache: w.cache.map(|b| CostCache {
                    status: b.status,
                    cache_write_tokens: Exact::of(b.cache_write_tokens),
                    cache_storage_token_hours: Exact::of(b.cache_storage_token_hours),
                }),
                route: w
                    .route
                    .iter()
                    .map(|l| CostLeg {
                        model: l.model.clone(),
                        share: Exact::of(l.share),
                        answers: Exact::of(l.answers),
                        requests: Exact::of(l.requests),
                        input_tokens_per_request: l.input_tokens_per_request,
                        tier_above_input_tokens: l.tier_above_input_tokens,
                        cost: Money::of(l.cost),
                    })
                    .collect(),
                lines: LineAmounts::of(&w.lines),
            })
            .collect(),
        prices: None,
        forecast_fields: None,
        forecast: None,
    });
    Doc {
        json,
        sections,
        notes,
    }
}

/// A note when the model's cache prices were read later than its list price, so the bill mixes
/// two dates; `None` when no workload's prefix is billed as cached or the dates agree.
fn cache_dates(c: &ModelCost, m: &crate::catalogue::model::Model) -> Option<String> {
    let p = m.price.as_ref()?;
    let at = p.cache.cache_as_of.as_ref().filter(|d| **d != p.as_of)?;
    c.workloads
        .iter()
        .find(|w| w.cache.is_some_and(|b| b.status.cached()))?;
    Some(format!(
        "{id}'s cache prices are as of {at}, later than its list price (as of {}): a bill combining them assumes both held at once (sources: llmplan show {id}).",
        p.as_of,
        id = m.id
    ))
}

/// `"route"`, `"cascade"`, or `"single"` for a workload run on one model.
fn kind(s: &Scenario, workload: &str) -> &'static str {
    s.workloads
        .iter()
        .find(|w| w.name == workload)
        .and_then(|w| w.routing.as_ref())
        .map_or("single", |r| r.kind())
}

/// The share of each workload's requests billed at each price tier.
fn tiers_section(c: &ModelCost) -> Section {
    let mut t = Section::new(
        Some("Tiers — share of requests billed at each price tier".into()),
        &["workload", "tier", ">share", ">requests"],
    );
    for w in &c.workloads {
        for tier in &w.tiers {
            t.rows.push(vec![
                Cell::plain(&w.name),
                Cell::plain(match tier.above_input_tokens {
                    None => "list price".to_string(),
                    Some(n) => format!("input above {}", crate::money::grouped_int(n.into())),
                }),
                Cell {
                    text: format_percent(tier.share),
                    raw: tier.share.normalize().to_string(),
                },
                Cell::count(tier.requests),
            ]);
        }
    }
    t
}

/// Each model's part of each workload.
fn routes_section(s: &Scenario, c: &ModelCost) -> Section {
    let cur = c.currency;
    let mut t = Section::new(
        Some("Routes — each model's part of each workload".into()),
        &[
            "workload",
            "kind",
            "model",
            ">share",
            ">answers",
            ">requests",
            ">input tok/req",
            ">cost",
        ],
    )
    .droppable(&["input tok/req", "answers", "requests", "kind"]);
    for w in &c.workloads {
        for l in &w.route {
            t.rows.push(vec![
                Cell::plain(&w.name),
                Cell::plain(kind(s, &w.name)),
                Cell::plain(&l.model),
                Cell {
                    text: format_percent(l.share),
                    raw: l.share.normalize().to_string(),
                },
                Cell {
                    text: format_percent(l.answers),
                    raw: l.answers.normalize().to_string(),
                },
                Cell::count(l.requests),
                Cell::count(l.input_tokens_per_request.into()),
                Cell::money(l.cost, cur),
            ]);
        }
    }
    t
}

/// Hides the named columns from the table when they are zero in every row, so the table shows
/// what applies; CSV keeps them (its header is fixed).
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
            t.hidden[col] = true;
        }
    }
}
