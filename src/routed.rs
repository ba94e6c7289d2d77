//! Routed scenarios: the bill and the fit when workloads share their requests between models.
//!
//! Each leg of a routed workload is priced by [`crate::cost::workload_priced`] as the workload
//! scaled to the leg: `share × R` requests a month, with any escalation overhead added to
//! `input_tokens`. Every cost line is linear in the request count, so the legs add up to exactly
//! what the route costs and the crate keeps one price formula.
//!
//! Blended fit = Σₘ aₘ × fitₘ, where aₘ is the share of all the scenario's requests whose final
//! answer model m gives: per workload the routing's answer shares, weighted by the workload's
//! requests a month. Workloads with no route count as answered by the `rest` model.
//!
//! Each leg's first month is billed at the prices in force in month 1 on its model, and when a
//! model's prices move over the horizon the horizon is summed leg by leg at each model's prices
//! ([`crate::routed_horizon`]).

use crate::catalogue::fx::FxTable;
use crate::catalogue::model::Model;
use crate::catalogue::Catalogue;
use crate::cost::{
    add, horizon_cost, mul, own_workloads, try_each, workload_priced, EachWorkload, LegCost, Lines,
    ModelCost, Unpriced, WorkloadCost,
};
use crate::error::{Error, Result};
use crate::scenario::routing::Leg;
use crate::scenario::{Requests, Scenario, Workload};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The name of the candidate that prices a scenario by its routes, with `rest` serving the
/// workloads that have none: the routing's label when every routed workload shares one, else one
/// label per workload.
pub fn label(s: &Scenario, rest: Option<&str>) -> String {
    let routed = || {
        s.workloads
            .iter()
            .filter_map(|w| w.routing.as_deref().map(|r| (w.name.as_str(), r)))
    };
    let Some((_, first)) = routed().next() else {
        return rest.unwrap_or_default().to_string();
    };
    let first_label = first.label();
    // Equal routings have equal labels, so a label is made only for a routing that differs.
    let shared = routed().all(|(_, r)| r == first || r.label() == first_label);
    let mut out = if shared {
        first_label
    } else {
        let mut out = String::new();
        for (i, (n, r)) in routed().enumerate() {
            if i > 0 {
                out.push_str("; ");
            }
            out.push_str(n);
            out.push_str(": ");
            out.push_str(&r.label());
        }
        out
    };
    if let (Some(rest), true) = (rest, s.has_unrouted()) {
        out.push_str(&format!("; other workloads on {rest}"));
    }
    out
}

/// Every model the candidate pays for: the models on the routes, then `rest` if a workload needs it.
pub fn models_used<'a>(s: &'a Scenario, rest: Option<&'a str>) -> Vec<&'a str> {
    let mut out: Vec<&str> = Vec::new();
    for w in &s.workloads {
        let ids: Vec<&str> = match (&w.routing, rest) {
            (Some(r), _) => r.models(),
            (None, Some(m)) => vec![m],
            (None, None) => vec![],
        };
        for id in ids {
            if !out.contains(&id) {
                out.push(id);
            }
        }
    }
    out
}

/// Prices a scenario: routed workloads by their routes, the others on `rest`. `Ok(Err(_))` means
/// some model cannot be priced for its part, or a workload has no route and there is no `rest`.
pub fn plan_cost(
    s: &Scenario,
    cat: &Catalogue,
    fx: &FxTable,
    rest: Option<&Model>,
) -> Result<std::result::Result<ModelCost, Unpriced>> {
    let mut workloads = Vec::with_capacity(s.workloads.len());
    let cost = plan_cost_each(s, cat, fx, rest, &mut |w| workloads.push(w))?;
    Ok(cost.map(|c| ModelCost { workloads, ..c }))
}

/// [`plan_cost`] without keeping the workloads' bills: each is handed to `each` as it is made,
/// and the [`ModelCost`] returned has none.
pub fn plan_cost_each(
    s: &Scenario,
    cat: &Catalogue,
    fx: &FxTable,
    rest: Option<&Model>,
    each: &mut dyn FnMut(WorkloadCost),
) -> Result<std::result::Result<ModelCost, Unpriced>> {
    plan_cost_over(s, s, &own_workloads(s), cat, fx, rest, each)
}

/// [`plan_cost_each`] of the workloads `workloads` hands over (a forecast trial's, made one at a
/// time), under the settings and prices of `priced`, which need hold no workload; an overflow is
/// blamed on the workload's line in `located`, whose routes use the same models and which names
/// the plan.
pub fn plan_cost_over(
    priced: &Scenario,
    located: &Scenario,
    workloads: &EachWorkload,
    cat: &Catalogue,
    fx: &FxTable,
    rest: Option<&Model>,
    each: &mut dyn FnMut(WorkloadCost),
) -> Result<std::result::Result<ModelCost, Unpriced>> {
    let s = priced;
    let mut monthly = Decimal::ZERO;
    // The legs are kept for a month-by-month horizon only when it will be needed.
    let keep_legs = crate::routed_horizon::legs_move(s, located, cat, rest);
    let mut all_legs: Vec<(&Model, Workload)> = Vec::new();
    let mut paths = crate::routed_horizon::Paths::default();
    let mut routed = false;
    let outcome = try_each(workloads, |w| {
        // An overflow anywhere in a workload's legs is blamed on its volume line.
        let at = |e| located.overflow_at(&located.volume_path(&w.name), e);
        let r = w.monthly_requests(s.days_per_month).map_err(at)?;
        routed |= w.routing.is_some();
        let legs: Vec<Leg> = match (&w.routing, rest) {
            (Some(routing), _) => routing.legs(),
            (None, Some(m)) => vec![Leg {
                model: m.id.clone(),
                share: Decimal::ONE,
                answers: Decimal::ONE,
                extra_input_tokens: 0,
            }],
            (None, None) => {
                return Ok(Err(Unpriced::Reason(format!(
                    "workload `{}` has no route and no model to run on",
                    w.name
                ))))
            }
        };
        let mut legs_priced = Vec::with_capacity(legs.len());
        for leg in legs {
            let Some(model) = cat.model(&leg.model) else {
                return Ok(Err(Unpriced::Reason(format!(
                    "no model `{}` in the catalogue",
                    leg.model
                ))));
            };
            let scaled = scaled(w, &leg, r).map_err(at)?;
            // Month 1 at the prices in force then, as the model's own row (a schedule may set
            // them).
            let first = crate::routed_horizon::first_month(s, model, paths.of(s, model));
            match workload_priced(&first, located, &scaled, model, fx)? {
                Ok(wc) => {
                    legs_priced.push((leg, scaled.input_tokens, wc));
                    if keep_legs {
                        all_legs.push((model, scaled));
                    }
                }
                Err(Unpriced::Reason(why)) => {
                    return Ok(Err(Unpriced::Reason(format!("{}: {why}", model.id))))
                }
            }
        }
        let wc = sum_legs(w, r, legs_priced).map_err(at)?;
        monthly = add(monthly, wc.cost, "monthly cost").map_err(at)?;
        each(wc);
        Ok(Ok(()))
    })?;
    if let Err(u) = outcome {
        return Ok(Err(u));
    }
    debug_assert_eq!(keep_legs, paths.any_moves());
    let rest_id = rest.map(|m| m.id.as_str());
    let horizon = match rest {
        // One model whose prices move over the horizon: the kernel bills it month by month.
        Some(m) if !routed && !crate::cost::horizon::PricePath::of(s, m).is_flat() => {
            match crate::cost::model_cost_over(s, located, workloads, m, fx, &mut |_| {})? {
                Ok(c) => c.horizon_cost,
                Err(u) => return Ok(Err(u)),
            }
        }
        // Models on the routes whose prices move: each leg month by month at its model's prices.
        _ if paths.any_moves() => {
            match crate::routed_horizon::legs_horizon(s, located, &all_legs, &mut paths, fx)? {
                Some(h) => h,
                None => return Ok(Err(Unpriced::Reason("no price under its schedule".into()))),
            }
        }
        _ => horizon_cost(monthly, s.horizon_months, s.monthly_growth)
            .map_err(|e| s.overflow_at(&s.horizon_path(), e))?,
    };
    Ok(Ok(ModelCost {
        model: label(located, rest_id),
        currency: s.currency,
        workloads: Vec::new(),
        monthly_cost: monthly,
        horizon_months: s.horizon_months,
        horizon_cost: horizon,
    }))
}

/// The share of all the scenario's requests whose final answer each model gives, largest first.
/// Empty when the scenario has no requests (media only).
pub fn answer_shares(s: &Scenario, rest: Option<&str>) -> Result<Vec<(String, Decimal)>> {
    answer_shares_over(s, &own_workloads(s), rest)
}

/// [`answer_shares`] of the workloads `workloads` hands over, in a month of `s`'s days.
pub fn answer_shares_over(
    s: &Scenario,
    workloads: &EachWorkload,
    rest: Option<&str>,
) -> Result<Vec<(String, Decimal)>> {
    let mut by_model: BTreeMap<String, Decimal> = BTreeMap::new();
    let mut total = Decimal::ZERO;
    let outcome: std::result::Result<(), std::convert::Infallible> = try_each(workloads, |w| {
        let r = w.monthly_requests(s.days_per_month)?;
        total = add(total, r, "answer shares")?;
        let answers: Vec<(String, Decimal)> = match (&w.routing, rest) {
            (Some(routing), _) => routing
                .legs()
                .into_iter()
                .map(|l| (l.model, l.answers))
                .collect(),
            (None, Some(m)) => vec![(m.to_string(), Decimal::ONE)],
            (None, None) => vec![],
        };
        for (m, a) in answers {
            let e = by_model.entry(m).or_default();
            *e = add(*e, mul(r, a, "answer shares")?, "answer shares")?;
        }
        Ok(Ok(()))
    })?;
    let Ok(()) = outcome;
    if total.is_zero() {
        return Ok(Vec::new());
    }
    let mut out: Vec<(String, Decimal)> = by_model
        .into_iter()
        .map(|(m, n)| {
            n.checked_div(total)
                .map(|share| (m, share))
                .ok_or_else(|| Error::overflow("answer shares"))
        })
        .collect::<Result<_>>()?;
    out.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(out)
}

/// Σ share × fit over the models that answer; `None` if one that answers has no fit.
pub fn blended_fit(
    answers: &[(String, Decimal)],
    fit_of: impl Fn(&str) -> Option<Decimal>,
) -> Option<Decimal> {
    let mut total = Decimal::ZERO;
    for (m, a) in answers.iter().filter(|(_, a)| !a.is_zero()) {
        total += *a * fit_of(m)?;
    }
    Some(total)
}

/// The workload as one leg sees it: its share of the requests, plus the leg's extra input tokens.
fn scaled(w: &Workload, leg: &Leg, r: Decimal) -> Result<Workload> {
    let what = || {
        format!(
            "workload `{}` on {}: escalation overhead",
            w.name, leg.model
        )
    };
    let input_tokens = w
        .input_tokens
        .checked_add(leg.extra_input_tokens)
        .ok_or_else(|| Error::overflow(what()))?;
    let context_tokens = w
        .context_tokens
        .checked_add(leg.extra_input_tokens)
        .ok_or_else(|| Error::overflow(what()))?;
    let requests = w
        .requests
        .map(|_| {
            mul(
                r,
                leg.share,
                format!("workload `{}` on {}: requests", w.name, leg.model),
            )
        })
        .transpose()?
        .map(Requests::PerMonth);
    let input_size = match &w.input_size {
        Some(size) => Some(Box::new(
            size.plus(leg.extra_input_tokens)
                .ok_or_else(|| Error::overflow(what()))?,
        )),
        None => None,
    };
    Ok(Workload {
        requests,
        input_tokens,
        input_size,
        context_tokens,
        routing: None,
        ..w.clone()
    })
}

/// One workload's bill: every line summed over its legs, with each leg kept for the report.
fn sum_legs(
    w: &Workload,
    r: Decimal,
    priced: Vec<(Leg, u64, WorkloadCost)>,
) -> Result<WorkloadCost> {
    let what = format!("workload `{}`: routed cost", w.name);
    let s = |a: Decimal, b: Decimal| add(a, b, &what);
    let mut total = WorkloadCost {
        name: w.name.clone(),
        requests: r,
        input_tokens: Decimal::ZERO,
        cached_input_tokens: Decimal::ZERO,
        output_tokens: Decimal::ZERO,
        images: w.images_per_month,
        video_seconds: w.video_seconds_per_month,
        tier_above_input_tokens: None,
        billed: None,
        tiers: Vec::new(),
        cache: None,
        lines: Lines::default(),
        cost: Decimal::ZERO,
        components: Vec::new(),
        route: Vec::with_capacity(priced.len()),
    };
    let single = priced.len() == 1;
    for (leg, input_tokens_per_request, wc) in priced {
        total.input_tokens = s(total.input_tokens, wc.input_tokens)?;
        total.cached_input_tokens = s(total.cached_input_tokens, wc.cached_input_tokens)?;
        total.output_tokens = s(total.output_tokens, wc.output_tokens)?;
        total.lines = total
            .lines
            .plus(&wc.lines)
            .ok_or_else(|| Error::overflow(&what))?;
        total.cost = s(total.cost, wc.cost)?;
        if single {
            total.tier_above_input_tokens = wc.tier_above_input_tokens;
            total.billed = wc.billed.clone();
            total.tiers = wc.tiers.clone();
            total.cache = wc.cache;
        }
        total.route.push(LegCost {
            model: leg.model,
            share: leg.share,
            answers: leg.answers,
            requests: wc.requests,
            input_tokens_per_request,
            tier_above_input_tokens: wc.tier_above_input_tokens,
            cost: wc.cost,
            components: wc.components,
        });
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::model_cost;
    use crate::source::SourceFile;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn catalogue() -> &'static Catalogue {
        static CAT: OnceLock<Catalogue> = OnceLock::new();
        CAT.get_or_init(|| Catalogue::embedded().unwrap())
    }

    fn scenario(body: &str) -> Scenario {
        let src = SourceFile {
            name: "t.toml".into(),
            text: format!("name = \"t\"\n{body}"),
        };
        Scenario::from_source(&src, catalogue()).unwrap()
    }

    fn workload(requests: u32, input: u32, output: u32, cached: &str) -> String {
        format!("[[workload]]\nname = \"w\"\nrequests_per_month = {requests}\ninput_tokens = {input}\noutput_tokens = {output}\ncached_input_share = {cached}\n")
    }

    fn monthly(s: &Scenario, rest: Option<&str>) -> Decimal {
        let cat = catalogue();
        let rest = rest.map(|id| cat.model(id).unwrap());
        plan_cost(s, cat, &s.fx(cat), rest)
            .unwrap()
            .unwrap()
            .monthly_cost
    }

    const A: &str = "anthropic/claude-3-haiku";
    /// Gemini 1.5 Pro has a long-prompt tier above 128k input tokens.
    const B: &str = "google/gemini-1.5-pro";
    /// A vendor discount, so the discount line is exercised too.
    const PRICING: &str = "[pricing]\ndiscounts = { google = 0.15 }\n";

    proptest! {
        /// A route costs exactly Σ share × (the model's cost alone): the legs reuse the single-model
        /// price path (tiers, cache and discounts included), and every line is linear in the
        /// request count.
        #[test]
        fn route_cost_is_the_share_weighted_single_costs(
            requests in 1u32..5_000_000, input in 1u32..200_000, output in 0u32..4_000,
            pct in 0u32..=100, cached in 0u32..=10,
        ) {
            let w = workload(requests, input, output, &Decimal::new(cached.into(), 1).to_string());
            let share = Decimal::new(pct.into(), 2);
            let routed = scenario(&format!("{w}[workload.route]\n\"{A}\" = {share}\n\"{B}\" = {}\n{PRICING}", Decimal::ONE - share));
            let plain = scenario(&format!("{w}{PRICING}"));
            let cat = catalogue();
            let alone = |id: &str| model_cost(&plain, cat.model(id).unwrap(), &plain.fx(cat)).unwrap().unwrap().monthly_cost;
            prop_assert_eq!(monthly(&routed, None), share * alone(A) + (Decimal::ONE - share) * alone(B));
        }

        /// With no overhead, a cascade costs the route with the same answer shares plus the first
        /// model for the escalated requests: never less.
        #[test]
        fn a_cascade_never_costs_less_than_the_same_route(
            requests in 1u32..5_000_000, input in 1u32..100_000, output in 0u32..4_000, pct in 0u32..=100,
        ) {
            let w = workload(requests, input, output, "0");
            let e = Decimal::new(pct.into(), 2);
            let cascade = scenario(&format!("{w}[workload.cascade]\nmodels = [\"{A}\", \"{B}\"]\nescalation = [{e}]\n"));
            let route = scenario(&format!("{w}[workload.route]\n\"{A}\" = {}\n\"{B}\" = {e}\n", Decimal::ONE - e));
            let alone_a = monthly(&scenario(&w), Some(A));
            prop_assert_eq!(monthly(&cascade, None), monthly(&route, None) + e * alone_a);
            let shares = |s: &Scenario| answer_shares(s, None).unwrap();
            prop_assert_eq!(shares(&cascade), shares(&route));
        }
    }

    #[test]
    fn answer_shares_weigh_workloads_by_requests() {
        // 3,000 requests routed 50/50 and 1,000 on the rest model: A answers 1,500 ÷ 4,000 = 0.375,
        // B the same, the rest model 1,000 ÷ 4,000 = 0.25.
        let s = scenario(&format!(
            "{}[workload.route]\n\"{A}\" = 0.5\n\"{B}\" = 0.5\n[[workload]]\nname = \"x\"\nrequests_per_month = 1000\ninput_tokens = 10\noutput_tokens = 10\n",
            workload(3000, 10, 10, "0")
        ));
        let got = answer_shares(&s, Some("mistral/mixtral-8x7b")).unwrap();
        let d = |x: &str| x.parse::<Decimal>().unwrap();
        assert_eq!(
            got,
            vec![
                (A.to_string(), d("0.375")),
                (B.to_string(), d("0.375")),
                ("mistral/mixtral-8x7b".to_string(), d("0.25"))
            ]
        );
        assert_eq!(
            label(&s, Some("mistral/mixtral-8x7b")),
            format!("route: 50% {A} + 50% {B}; other workloads on mistral/mixtral-8x7b")
        );
    }

    #[test]
    fn label_names_each_workloads_route_when_they_differ_and_one_route_when_they_agree() {
        let route = |name: &str, a: &str, b: &str| {
            format!("[[workload]]\nname = \"{name}\"\nrequests_per_month = 10\ninput_tokens = 10\noutput_tokens = 10\n[workload.route]\n\"{A}\" = {a}\n\"{B}\" = {b}\n")
        };
        let s = scenario(&format!(
            "{}{}",
            route("p", "0.8", "0.2"),
            route("q", "0.5", "0.5")
        ));
        assert_eq!(
            label(&s, Some("openai/gpt-4")),
            format!("p: route: 80% {A} + 20% {B}; q: route: 50% {A} + 50% {B}")
        );
        // Routes that differ below the label's precision are labelled as one route.
        let s = scenario(&format!(
            "{}{}",
            route("p", "0.8", "0.2"),
            route("q", "0.800001", "0.199999")
        ));
        assert_eq!(label(&s, None), format!("route: 80% {A} + 20% {B}"));
    }
}
