//! `llmplan cost`: the bill for one model, per workload and cost line; routed workloads are priced
//! by their routes, leg by leg.

use super::{Context, Outcome};
use crate::bill_summary::BillSummary;
use crate::cli::CostArgs;
use crate::cost::{Kind, ModelCost, Unpriced, WorkloadCost};
use crate::eligibility::requirement_failures;
use crate::error::{Error, Result};
use crate::money::{format_money, format_percent};
use crate::procurement::PriceBasis;
use crate::render::deferred::{emit_all, Deferred, Step};
use crate::render::{Cell, Doc, LazyRows, RowSink, Section};
use crate::report::cost::{CostCache, CostLeg, CostReport, CostTier, CostWorkload};
use crate::report::lines::LineAmounts;
use crate::report::value::{Exact, Money};
use crate::routed::{models_used, plan_cost_each};
use crate::scenario::{Scenario, Workload};
use std::rc::Rc;

/// Runs the command.
pub fn run(args: &CostArgs, ctx: &Context) -> Result<Outcome> {
    let cat = ctx.catalogue()?;
    let mut scenario = crate::quick::scenario(args.scenario.as_ref(), &args.quick, &cat)?;
    // `cost` prices one plan, so `[rank] top` means nothing to it; a forecast counts its win share
    // over every eligible model.
    scenario.top = None;
    let unrouted = scenario.unrouted();
    let model = match &args.model {
        Some(id) => Some(cat.find_model(id)?.id.clone()),
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
    let all_routed = unrouted.is_empty();
    let fx = scenario.fx(&cat);
    // The totals; the workloads' bills are made again, one at a time, as the report is written
    // (`Rebill`), so that a scenario of many workloads is never held bill by bill.
    // The same pass gathers what the notes and the table's columns need from the whole bill.
    let rest = model.as_deref().map(|id| cat.find_model(id)).transpose()?;
    let mut gather = Gather::new(
        scenario.currency,
        crate::routed::label(&scenario, model.as_deref()),
    );
    let mut i = 0;
    let priced = plan_cost_each(&scenario, &cat, &fx, rest, &mut |wc| {
        if let Some(w) = scenario.workloads.get(i) {
            gather.add(w, &wc);
        }
        i += 1;
    })?;
    let cost = match priced {
        Ok(c) => c,
        Err(Unpriced::Reason(r)) => {
            let who = crate::routed::label(&scenario, model.as_deref());
            return Ok(Outcome {
                exit_code: 1,
                messages: vec![format!("{who} cannot be priced for this scenario: {r}")],
                ..Outcome::default()
            });
        }
    };
    let shared = Rc::new((scenario, cat, fx, model));
    let bills: Rebill = {
        let shared = Rc::clone(&shared);
        Rc::new(move |each| {
            let (s, cat, fx, model) = &*shared;
            let rest = model.as_deref().map(|id| cat.find_model(id)).transpose()?;
            let mut i = 0;
            let priced = plan_cost_each(s, cat, fx, rest, &mut |w| {
                if let Some(workload) = s.workloads.get(i) {
                    each(workload, &w);
                }
                i += 1;
            })?;
            match priced {
                Ok(_) => Ok(()),
                Err(Unpriced::Reason(why)) => Err(Error::Output(format!(
                    "{}: priced once but not again: {why}",
                    crate::routed::label(s, model.as_deref())
                ))),
            }
        })
    };
    let (scenario, cat, _, model) = &*shared;
    let model = model.as_deref().map(|id| cat.find_model(id)).transpose()?;
    let facts = gather.finish();
    let (mut doc, deferred) = report_from(scenario, &cost, &bills, &facts)?;
    crate::procurement::add_to_cost_report(
        &mut doc,
        scenario,
        cat,
        facts.basis,
        facts.legs.iter().filter_map(|id| cat.model(id)),
        model,
    );
    if let Some(note) = model.and_then(|m| cache_dates(facts.cached, m)) {
        doc.notes.push(note);
    }
    let mut outcome = Outcome::ok(doc);
    outcome.deferred = deferred;
    if let (Some(m), Some(doc)) = (
        model.filter(|_| scenario.forecast.is_some()),
        outcome.doc.as_mut(),
    ) {
        let ranking = crate::rank::rank_with(scenario, cat, crate::rank::Bills::Totals)?;
        if let Some(o) = crate::forecast::outlook(scenario, cat, &ranking.ranked, 0)? {
            let inputs = crate::forecast::report::extend_cost(doc, scenario, &o, &m.id);
            outcome.deferred.extend(inputs);
        }
    }
    if ctx.quiet {
        return Ok(outcome);
    }
    if let (Some(m), true) = (model, all_routed) {
        outcome.messages.push(format!(
            "note: --model {} is not used: every workload is priced by its route",
            m.id
        ));
    }
    for id in models_used(
        scenario,
        model.filter(|_| !all_routed).map(|m| m.id.as_str()),
    ) {
        let fails = cat
            .model(id)
            .map(|m| requirement_failures(scenario, m))
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

/// A model's bill workload by workload, made on demand: each call hands every workload of the
/// scenario, in order, with its bill to the function it is given. `cost` makes them with the
/// kernel, again for each use, rather than holding a scenario's bills all at once.
pub type Rebill = Rc<dyn Fn(&mut dyn FnMut(&Workload, &WorkloadCost)) -> Result<()>>;

/// What the report says of the bill as a whole, gathered in one pass over its workloads
/// ([`Gather`]).
struct Facts {
    /// The price basis of every line, routes included.
    basis: PriceBasis,
    /// The models of the routes' legs, each once, in the order first met.
    legs: Vec<String>,
    /// Whether some workload's prefix is billed as cached.
    cached: bool,
    /// Whether some workload is billed at more than one price tier.
    tiered: bool,
    /// For each of [`optional_columns`], whether some row is not zero there.
    nonzero: Vec<bool>,
    /// Notes on single workloads: the long-prompt tier and the cache, then the billed tokens.
    workload_notes: Vec<String>,
    billed_notes: Vec<String>,
}

/// Gathers [`Facts`] from each workload's bill as it is made.
struct Gather {
    currency: crate::money::Currency,
    /// The bill's label, as [`ModelCost::model`] gives it.
    model: String,
    optional: Vec<usize>,
    summary: BillSummary,
    facts: Facts,
}

impl Gather {
    fn new(currency: crate::money::Currency, model: String) -> Gather {
        let optional = optional_columns();
        Gather {
            currency,
            model,
            summary: BillSummary::default(),
            facts: Facts {
                basis: PriceBasis::default(),
                legs: Vec::new(),
                cached: false,
                tiered: false,
                nonzero: vec![false; optional.len()],
                workload_notes: Vec::new(),
                billed_notes: Vec::new(),
            },
            optional,
        }
    }

    /// Takes in workload `w`'s bill `wc`.
    fn add(&mut self, w: &Workload, wc: &WorkloadCost) {
        let facts = &mut self.facts;
        self.summary.add(wc);
        for l in &wc.route {
            if !facts.legs.contains(&l.model) {
                facts.legs.push(l.model.clone());
            }
        }
        facts.cached |= wc.cache.is_some_and(|b| b.status.cached());
        facts.tiered |= wc.tiers.len() > 1;
        let row = main_row(wc, self.currency);
        for (seen, col) in facts.nonzero.iter_mut().zip(&self.optional) {
            *seen |= !zero(&row[*col]);
        }
        for leg in wc.route.iter().filter(|_| wc.route.len() > 1) {
            if let Some(t) = leg.tier_above_input_tokens {
                facts.workload_notes.push(format!("Workload `{}` on {} is billed at the long-prompt tier (input above {t} tokens).", wc.name, leg.model));
            }
        }
        if let (Some(t), 1) = (wc.tier_above_input_tokens, wc.tiers.len()) {
            facts.workload_notes.push(format!(
                "Workload `{}` is billed at the long-prompt tier (input above {t} tokens).",
                wc.name
            ));
        }
        facts
            .workload_notes
            .extend(wc.cache.and_then(|b| b.status.note(&wc.name, &self.model)));
        facts
            .billed_notes
            .extend(crate::cost::tokens::billed_notes(w, wc, &self.model));
    }

    fn finish(mut self) -> Facts {
        self.facts.basis = self.summary.basis();
        self.facts
    }
}

/// Builds the cost report of a bill held whole, its JSON complete: for callers that have one.
pub fn report(s: &Scenario, c: &ModelCost) -> Result<Doc> {
    let kept = Rc::new((s.clone(), c.workloads.clone()));
    let bills: Rebill = Rc::new(move |each| {
        let (s, workloads) = &*kept;
        for (w, wc) in s.workloads.iter().zip(workloads) {
            each(w, wc);
        }
        Ok(())
    });
    let mut gather = Gather::new(c.currency, c.model.clone());
    bills(&mut |w, wc| gather.add(w, wc))?;
    let (mut doc, deferred) = report_from(s, c, &bills, &gather.finish())?;
    crate::render::deferred::fill_in(&mut doc.json, &deferred)?;
    Ok(doc)
}

/// The main table's columns, in order; those after the first five are one per kind of line, then
/// the total.
fn main_headers() -> Vec<String> {
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
    headers
}

/// The positions of the main table's columns that are left out when zero in every row.
fn optional_columns() -> Vec<usize> {
    let headers = main_headers();
    let at = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('>') == name)
    };
    std::iter::once("cached tok")
        .chain(
            Kind::all()
                .map(|k| k.label())
                .filter(|l| !l.always)
                .map(|l| l.column),
        )
        .filter_map(at)
        .collect()
}

/// One workload's row of the main table.
fn main_row(w: &WorkloadCost, cur: crate::money::Currency) -> Vec<Cell> {
    let mut row = vec![
        Cell::plain(&w.name),
        Cell::count(w.requests),
        Cell::count(w.input_tokens),
        Cell::count(w.cached_input_tokens),
        Cell::count(w.output_tokens),
    ];
    row.extend(w.lines.iter().map(|(_, v)| Cell::money(v, cur)));
    row.push(Cell::money(w.cost, cur));
    row
}

/// Builds the cost report from the bill's totals `c`, what one pass over its workloads found
/// (`facts`), and its workloads' `bills`, from which the tables' rows and the JSON's `workloads`
/// are made as the report is written. Returns the report and the JSON's deferred `workloads`.
fn report_from(
    s: &Scenario,
    c: &ModelCost,
    bills: &Rebill,
    facts: &Facts,
) -> Result<(Doc, Vec<Deferred>)> {
    let cur = c.currency;
    let headers = main_headers();
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
    // A column zero in every row says nothing: the table leaves it out (CSV keeps it).
    for (seen, col) in facts.nonzero.iter().zip(optional_columns()) {
        if !seen {
            t.hidden[col] = true;
        }
    }
    t.lazy = Some(lazy_rows(bills, move |_, wc, sink| sink(main_row(wc, cur))));
    let mut notes = vec![
        format!("Monthly cost: {}.", format_money(c.monthly_cost, cur)),
        format!(
            "Horizon: {} over {} months at {}% monthly growth.",
            format_money(c.horizon_cost, cur),
            c.horizon_months,
            (s.monthly_growth * rust_decimal::Decimal::ONE_HUNDRED).normalize()
        ),
    ];
    notes.extend(facts.workload_notes.iter().cloned());
    notes.push("input = fresh input tokens × input price ÷ 1M; cache read = cached tokens × cache read price ÷ 1M; batch = saving on batch requests; discount = negotiated fraction off.".into());
    if s.workloads.iter().any(|w| w.cache.is_some()) {
        notes.push("[workload.cache]: cache read = hits (requests × prefix × hit rate) × cache read price ÷ 1M; cache write = misses (requests × prefix − hits) × cache write price ÷ 1M, or the input price where the model has no write price; cache storage = prefix × storage hours × storage price per 1M token-hours ÷ 1M.".into());
    }
    notes.extend(facts.billed_notes.iter().cloned());
    let mut sections = vec![t];
    if s.has_distributions() || facts.tiered {
        sections.push(tiers_section(bills));
        notes.push("Tiers apply per request: each request is billed at the tier its own input reaches. A lognormal size is billed from its exact partial expectations on each side of every threshold (README, \"Request sizes\").".into());
    }
    if s.has_routes() {
        sections.push(routes_section(bills, cur));
        notes.push("Routed workloads: share = the fraction of the workload's requests sent to (and paid for on) the model; answers = the fraction whose final answer it gives. In a cascade every request pays for the first model and escalated requests also pay for each later model they reach, with any escalation overhead added to their input.".into());
    }
    let json = crate::report::to_json(&CostReport {
        model: c.model.clone(),
        currency: cur,
        monthly_cost: Money::of(c.monthly_cost),
        horizon_months: c.horizon_months,
        horizon_cost: Money::of(c.horizon_cost),
        workloads: Vec::new(),
        prices: None,
        forecast_fields: None,
        forecast: None,
    });
    let workloads = {
        let bills = Rc::clone(bills);
        Deferred {
            at: vec![Step::Key("workloads")],
            fill: Box::new(move |emit| {
                emit_all(emit, |out| {
                    bills(&mut |w, wc| out(crate::report::to_json(&cost_workload(w, wc))))
                })
            }),
        }
    };
    Ok((
        Doc {
            json,
            sections,
            notes,
        },
        vec![workloads],
    ))
}

/// Rows made from the bills as a section is rendered: `row` hands each workload's rows to the sink.
fn lazy_rows(
    bills: &Rebill,
    row: impl Fn(&Workload, &WorkloadCost, &mut RowSink<'_>) + 'static,
) -> LazyRows {
    let bills = Rc::clone(bills);
    LazyRows::new(move |sink| bills(&mut |w, wc| row(w, wc, sink)))
}

/// Whether a cell shows zero.
fn zero(c: &Cell) -> bool {
    c.raw
        .parse::<rust_decimal::Decimal>()
        .is_ok_and(|d| d.is_zero())
}

/// One workload's bill as JSON prints it.
fn cost_workload(w: &Workload, wc: &WorkloadCost) -> CostWorkload {
    CostWorkload {
        name: wc.name.clone(),
        requests: Exact::of(wc.requests),
        input_tokens: Exact::of(wc.input_tokens),
        cached_input_tokens: Exact::of(wc.cached_input_tokens),
        output_tokens: Exact::of(wc.output_tokens),
        images: Exact::of(wc.images),
        video_seconds: Exact::of(wc.video_seconds),
        tier_above_input_tokens: wc.tier_above_input_tokens,
        billed_input_tokens: wc.billed.as_ref().map(|b| b.size.input),
        billed_output_tokens: wc.billed.as_ref().map(|b| b.size.output),
        billed_image_tokens: wc.billed.as_ref().map(|b| b.size.image_tokens),
        tiers: wc
            .tiers
            .iter()
            .map(|t| CostTier {
                above_input_tokens: t.above_input_tokens,
                share: Exact::of(t.share),
                requests: Exact::of(t.requests),
            })
            .collect(),
        cost: Money::of(wc.cost),
        kind: w.routing.as_ref().map_or("single", |r| r.kind()),
        cache: wc.cache.map(|b| CostCache {
            status: b.status,
            cache_write_tokens: Exact::of(b.cache_write_tokens),
            cache_storage_token_hours: Exact::of(b.cache_storage_token_hours),
        }),
        route: wc
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
        lines: LineAmounts::of(&wc.lines),
    }
}

/// A note when the model's cache prices were read later than its list price, so the bill mixes
/// two dates; `None` when no workload's prefix is billed as cached or the dates agree.
fn cache_dates(cached: bool, m: &crate::catalogue::model::Model) -> Option<String> {
    let p = m.price.as_ref()?;
    let at = p.cache.cache_as_of.as_ref().filter(|d| **d != p.as_of)?;
    cached.then_some(())?;
    Some(format!(
        "{id}'s cache prices are as of {at}, later than its list price (as of {}): a bill combining them assumes both held at once (sources: llmplan show {id}).",
        p.as_of,
        id = m.id
    ))
}

/// The share of each workload's requests billed at each price tier.
fn tiers_section(bills: &Rebill) -> Section {
    let mut t = Section::new(
        Some("Tiers — share of requests billed at each price tier".into()),
        &["workload", "tier", ">share", ">requests"],
    );
    t.lazy = Some(lazy_rows(bills, |_, w, sink| {
        for tier in &w.tiers {
            sink(vec![
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
    }));
    t
}

/// Each model's part of each workload.
fn routes_section(bills: &Rebill, cur: crate::money::Currency) -> Section {
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
    t.lazy = Some(lazy_rows(bills, move |w, wc, sink| {
        for l in &wc.route {
            sink(vec![
                Cell::plain(&wc.name),
                Cell::plain(w.routing.as_ref().map_or("single", |r| r.kind())),
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
    }));
    t
}
