//! Turning a parsed scenario into a [`Scenario`], collecting every fault with its place.

use super::custom::CustomEval;
use super::range::Uncertain;
use super::raw::{RawCascade, RawScenario, RawTokens, RawWorkload};
use super::routing::{Cascade, RouteShare, Routing};
use super::{
    FitSpec, PriceOverride, Pricing, Requests, Requirements, Scenario, Selfhost, Workload,
    DEFAULT_WEIGHTS,
};
use crate::catalogue::resolve::IdError;
use crate::catalogue::vocab::Status;
use crate::catalogue::Catalogue;
use crate::diag::{suggest, Diagnostic, KeyPath};
use crate::money::Currency;
use crate::num::Num;
use crate::source::SourceFile;
use crate::validate::Checker;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The environment variable that changes [`DEFAULT_MAX_WORKLOADS`].
pub const MAX_WORKLOADS_VAR: &str = "LLMPLAN_MAX_WORKLOADS";

/// The most workloads a scenario may have unless [`MAX_WORKLOADS_VAR`] says otherwise: far above
/// any real plan, and low enough that a runaway generated file is refused rather than exhausting
/// memory.
pub const DEFAULT_MAX_WORKLOADS: usize = 100_000;

/// The limit in force.
pub fn max_workloads() -> usize {
    limit_from_env(MAX_WORKLOADS_VAR, DEFAULT_MAX_WORKLOADS)
}

/// A limit a user may change with the environment variable `var`: its value when it is a whole
/// number, else `default`.
pub fn limit_from_env<T: std::str::FromStr>(var: &str, default: T) -> T {
    std::env::var(var)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

/// Refuses a file with more `[[workload]]` headers than the limit before it is parsed, so that
/// parsing a runaway file cannot exhaust memory. Inline `workload = [...]` arrays are counted
/// after parsing, in [`scenario`].
pub(super) fn count_workloads(src: &SourceFile) -> Result<(), Diagnostic> {
    let limit = max_workloads();
    let mut seen = 0usize;
    let mut offset = 0usize;
    for line in src.text.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("[[workload]]") || t.starts_with("[[ workload ]]") {
            seen += 1;
            if seen > limit {
                let at = offset + (line.len() - t.len());
                return Err(Diagnostic::at_span(
                    &src.name,
                    &src.text,
                    at..at + "[[workload]]".len(),
                    format!(
                        "workload {} is past the limit of {limit} workloads in a scenario",
                        limit + 1
                    ),
                )
                .with_help(format!(
                    "split it into several scenarios, or raise the limit with {MAX_WORKLOADS_VAR}=N"
                )));
            }
        }
        offset += line.len();
    }
    Ok(())
}

pub(super) fn scenario(
    src: &std::sync::Arc<SourceFile>,
    mut raw: RawScenario,
    cat: &Catalogue,
) -> Result<Scenario, Vec<Diagnostic>> {
    let mut ck = Checker::new(src);
    let found = super::forecast::check(&mut ck, &mut raw, cat);
    let root = KeyPath::root();
    let name = match raw.name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => {
            ck.name(&root.key("name"), n);
            n.to_string()
        }
        Some(_) => {
            ck.err(
                &root.key("name"),
                "the scenario's `name` is empty",
                "give the scenario a name: it titles every report",
            );
            String::new()
        }
        None => {
            ck.err(
                &root,
                "the scenario has no `name`",
                "add name = \"...\" at the top of the file",
            );
            String::new()
        }
    };
    let days_per_month = raw
        .days_per_month
        .and_then(|n| {
            ck.whole_in(
                &root.key("days_per_month"),
                n,
                1,
                31,
                "a billing month has 1 to 31 days; 30 is the default",
            )
        })
        .map_or(30, |d| d as u32);
    let horizon_months = raw
        .horizon_months
        .and_then(|n| {
            ck.whole_in(
                &root.key("horizon_months"),
                n,
                1,
                1200,
                "the horizon is a number of months: 12 is a year, the default",
            )
        })
        .map_or(12, |h| h as u32);
    let monthly_growth = match raw.monthly_growth.as_ref().map(Uncertain::point) {
        None => Decimal::ZERO,
        Some(n) => {
            let g = n.get();
            if g <= -Decimal::ONE || g > Decimal::TEN {
                ck.err(
                    &root.key("monthly_growth"),
                    format!("`monthly_growth` must be above -1 and at most 10, found {g}"),
                    "it is a fraction per month: 0.05 is 5% growth a month",
                );
                Decimal::ZERO
            } else {
                g
            }
        }
    };

    let mut pricing = pricing(&mut ck, raw.pricing.unwrap_or_default(), cat);
    pricing.schedule = found.schedule;
    pricing.change_per_year = found.change_per_year;
    let currency = match raw.currency.as_deref() {
        None => Currency::USD,
        Some(code) => {
            match Currency::parse(code) {
                Some(c) if cat.fx.rate(c).is_some() || pricing.fx.contains_key(&c) => c,
                Some(c) => {
                    let mut known = cat.fx.codes();
                    known.extend(pricing.fx.keys().map(|c| c.code().to_string()));
                    ck.err(&root.key("currency"), format!("currency {c} has no exchange rate"), format!("add [pricing] fx = {{ {c} = ... }} (units per 1 USD), or use one of {}", known.join(", ")));
                    Currency::USD
                }
                None => {
                    ck.err(
                        &root.key("currency"),
                        format!("`{code}` is not a three-letter currency code"),
                        "use an ISO 4217 code such as USD or CNY",
                    );
                    Currency::USD
                }
            }
        }
    };

    if raw.workload.len() > max_workloads() {
        ck.err(
            &root.key("workload").index(max_workloads()),
            format!(
                "the scenario has {} workloads, more than the limit of {}",
                raw.workload.len(),
                max_workloads()
            ),
            format!(
                "split it into several scenarios, or raise the limit with {MAX_WORKLOADS_VAR}=N"
            ),
        );
        return Err(ck.diags);
    }
    if raw.workload.is_empty() {
        // `workload = []` has a line to point at; a file without the key does not.
        ck.err(&root.key("workload"), "the scenario has no [[workload]]", "add at least one [[workload]] with name, requests_per_day, input_tokens and output_tokens");
    }
    let explicit_context: Vec<bool> = raw
        .workload
        .iter()
        .map(|w| w.context_tokens.is_some())
        .collect();
    // Each table as read becomes its validated workload in the same memory (a workload as
    // validated is smaller than as read, `tests/memory.rs`), so the file's workloads are never
    // all held twice. `kept` is each validated workload's place in the file.
    let mut kept: Vec<u32> = Vec::new();
    let mut workloads: Vec<Workload> = std::mem::take(&mut raw.workload)
        .into_iter()
        .enumerate()
        .filter_map(|(i, w)| {
            let w = workload(&mut ck, &root.key("workload").index(i), w, i, cat)?;
            kept.push(i as u32);
            Some(w)
        })
        .collect();
    workloads.shrink_to_fit();
    duplicate_names(&mut ck, &root, &workloads, &kept);
    drop(kept);

    let mut raw_fit = raw.fit.unwrap_or_default();
    let custom = super::custom::custom_evals(&mut ck, std::mem::take(&mut raw_fit.custom), cat);
    let requirements = requirements(&mut ck, raw.requirements.unwrap_or_default(), cat, &custom);
    // A context the file does not set is what the percentile request needs.
    for (w, explicit) in workloads.iter_mut().zip(&explicit_context) {
        if !explicit && w.varies() {
            w.context_tokens = w.context_at(requirements.context_percentile);
        }
    }
    let media_only = !workloads.is_empty() && workloads.iter().all(|w| w.requests.is_none());
    let fit = fit(&mut ck, raw_fit, cat, media_only, custom);
    let rank = raw.rank.unwrap_or_default();
    let top = rank
        .top
        .and_then(|n| ck.whole(&root.key("rank").key("top"), n, 1))
        .map(|t| t as usize);
    let points_per_tenfold = rank
        .points_per_tenfold
        .and_then(|n| points_per_tenfold(&mut ck, n))
        .unwrap_or(super::DEFAULT_POINTS_PER_TENFOLD);
    let selfhost = raw.selfhost.map(|s| selfhost(&mut ck, s, cat));
    ck.finish()?;
    Ok(Scenario {
        name,
        description: raw.description,
        currency,
        days_per_month,
        horizon_months,
        monthly_growth,
        workloads,
        requirements,
        fit,
        pricing,
        objective: rank.objective.unwrap_or_default(),
        points_per_tenfold,
        top,
        origin: std::sync::Arc::clone(src),
        selfhost,
        forecast: found.forecast.map(std::sync::Arc::new),
    })
}

/// A name used by more than one workload is a fault at each use after the first, naming the use
/// before it.
fn duplicate_names(ck: &mut Checker, root: &KeyPath, workloads: &[Workload], kept: &[u32]) {
    let mut by_name: Vec<usize> = (0..workloads.len()).collect();
    by_name.sort_by(|&a, &b| workloads[a].name.cmp(&workloads[b].name).then(a.cmp(&b)));
    for pair in by_name.windows(2) {
        let (first, again) = (pair[0], pair[1]);
        if workloads[first].name != workloads[again].name {
            continue;
        }
        let (first, again) = (kept[first] as usize, kept[again] as usize);
        ck.err(
            &root.key("workload").index(again).key("name"),
            format!(
                "workload name `{}` is used twice (first by workload {})",
                workloads[pair[1]].name,
                first + 1
            ),
            "give each workload its own name",
        );
    }
}

fn workload(
    ck: &mut Checker,
    path: &KeyPath,
    w: RawWorkload,
    i: usize,
    cat: &Catalogue,
) -> Option<Workload> {
    let before = ck.diags.len();
    if let Some(n) = &w.name {
        ck.name(&path.key("name"), n);
    }
    let name = w
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| format!("workload-{}", i + 1));
    let images_per_month = w
        .images_per_month
        .as_deref()
        .and_then(|n| ck.non_negative(&path.key("images_per_month"), *n))
        .unwrap_or_default();
    let video_seconds_per_month = w
        .video_seconds_per_month
        .as_deref()
        .and_then(|n| ck.non_negative(&path.key("video_seconds_per_month"), *n))
        .unwrap_or_default();
    // A media volume that was given but refused still marks the workload as media: its own
    // fault says what is wrong, and "sets neither requests_per_day..." would only mislead.
    let media = !images_per_month.is_zero()
        || !video_seconds_per_month.is_zero()
        || ck.diags.len() > before;
    let requests = match (
        w.requests_per_day.as_deref().map(|u| u.point()),
        w.requests_per_month.as_deref().map(|u| u.point()),
    ) {
        (Some(_), Some(_)) => {
            ck.err(
                &path.key("requests_per_month"),
                format!("workload `{name}` sets both `requests_per_day` and `requests_per_month`"),
                "keep exactly one of them",
            );
            None
        }
        (Some(d), None) => ck
            .positive(&path.key("requests_per_day"), d)
            .map(Requests::PerDay),
        (None, Some(m)) => ck
            .positive(&path.key("requests_per_month"), m)
            .map(Requests::PerMonth),
        (None, None) => {
            if !media {
                ck.err(path, format!("workload `{name}` sets neither `requests_per_day` nor `requests_per_month`"), "add exactly one of them (or images_per_month / video_seconds_per_month for a media workload)");
            }
            None
        }
    };
    let tokens = |ck: &mut Checker, key: &str, n: &Option<RawTokens>, min: u64| {
        n.as_ref()
            .and_then(|n| super::distribution::tokens(ck, path, key, n, min))
    };
    let (input_tokens, input_size) = tokens(ck, "input_tokens", &w.input_tokens, 1).unzip();
    let (output_tokens, output_size) = tokens(ck, "output_tokens", &w.output_tokens, 0).unzip();
    let content = super::content::check(ck, path, &w, requests.is_some(), cat);
    // Characters stand for tokens: the nominal count is theirs in the basis tokenizer.
    let in_basis = |chars: Option<u64>| {
        let l = content.language.as_ref()?;
        super::content::scale_round(chars?, l.basis_per_1000_chars, Decimal::ONE_THOUSAND)
    };
    let input_tokens = input_tokens.or_else(|| in_basis(content.input_chars));
    let output_tokens = output_tokens.or_else(|| in_basis(content.output_chars));
    if requests.is_some() && w.input_tokens.is_none() && w.input_chars.is_none() {
        ck.err(
            path,
            format!("workload `{name}` has no `input_tokens`"),
            "add input_tokens = <average prompt tokens a request> (or input_chars with a language)",
        );
    }
    if requests.is_some() && w.output_tokens.is_none() && w.output_chars.is_none() {
        ck.err(
            path,
            format!("workload `{name}` has no `output_tokens`"),
            "add output_tokens = <average completion tokens a request> (or output_chars with a language)",
        );
    }
    let cached_input_share = w
        .cached_input_share
        .as_deref()
        .and_then(|n| ck.fraction(&path.key("cached_input_share"), *n))
        .unwrap_or_default();
    let batch_share = w
        .batch_share
        .as_deref()
        .and_then(|n| ck.fraction(&path.key("batch_share"), *n))
        .unwrap_or_default();
    let cache = w.cache.and_then(|c| {
        super::cache::check(
            ck,
            path,
            &name,
            *c,
            input_tokens,
            w.cached_input_share.is_some(),
        )
    });
    let input_tokens = input_tokens.unwrap_or(0);
    let output_tokens = output_tokens.unwrap_or(0);
    let context_tokens = match w.context_tokens {
        Some(n) => ck.whole(&path.key("context_tokens"), n, 1).unwrap_or(0),
        None => input_tokens.saturating_add(output_tokens),
    };
    let routing = routing(ck, path, &name, w.route, w.cascade.map(|c| *c), media, cat);
    if ck.diags.len() > before {
        return None;
    }
    Some(Workload {
        name,
        requests,
        input_tokens,
        output_tokens,
        input_size: input_size.flatten().map(Box::new),
        output_size: output_size.flatten().map(Box::new),
        cached_input_share,
        cache: cache.map(Box::new),
        batch_share,
        context_tokens,
        images_per_month,
        video_seconds_per_month,
        routing: routing.map(Box::new),
        content,
    })
}

/// `[workload.route]` or `[workload.cascade]`, checked exactly: shares are `Decimal`s, so a route
/// of 0.1 + 0.2 + 0.7 sums to exactly 1.
fn routing(
    ck: &mut Checker,
    path: &KeyPath,
    name: &str,
    route: Option<super::raw_route::RawRoute>,
    cascade: Option<RawCascade>,
    media: bool,
    cat: &Catalogue,
) -> Option<Routing> {
    if route.is_some() && cascade.is_some() {
        ck.err(
            &path.key("cascade"),
            format!("workload `{name}` has both [workload.route] and [workload.cascade]"),
            "keep one: a route shares requests between models, a cascade tries them in turn",
        );
        return None;
    }
    let key = if route.is_some() { "route" } else { "cascade" };
    if media && (route.is_some() || cascade.is_some()) {
        ck.err(&path.key(key), format!("workload `{name}` generates images or video, so it cannot be routed"), "routing shares requests between text models; put the media in a [[workload]] of its own");
        return None;
    }
    if let Some(r) = route {
        return route_shares(ck, &path.key("route"), name, r, cat).map(Routing::Route);
    }
    cascade
        .and_then(|c| cascade_steps(ck, &path.key("cascade"), name, c, cat))
        .map(Routing::Cascade)
}

fn route_shares(
    ck: &mut Checker,
    path: &KeyPath,
    name: &str,
    raw: super::raw_route::RawRoute,
    cat: &Catalogue,
) -> Option<Vec<RouteShare>> {
    let before = ck.diags.len();
    if raw.len() < 2 {
        ck.err(path, format!("the route of workload `{name}` names {} model(s); a route needs at least 2", raw.len()), "add another \"<model id>\" = <share>, or remove [workload.route] to price the workload on one model");
    }
    let mut shares: Vec<RouteShare> = Vec::with_capacity(raw.len());
    for (key, n) in raw {
        let id = model_ref(ck, &path.key(&key), &key, cat);
        if let Some(id) = &id {
            if shares.iter().any(|r| &r.model == id) {
                ck.err(
                    &path.key(&key),
                    format!(
                        "`{key}` names `{id}`, which the route of workload `{name}` already lists"
                    ),
                    "list each model once in a route",
                );
            }
        }
        // A range was checked, and replaced by its median, in `super::forecast`.
        let share = ck.fraction(&path.key(&key), n.point());
        if let (Some(model), Some(share)) = (id, share) {
            shares.push(RouteShare { model, share });
        }
    }
    if ck.diags.len() > before {
        return None;
    }
    let sum: Decimal = shares.iter().map(|r| r.share).sum();
    if sum != Decimal::ONE {
        let (last, rest) = shares
            .split_last()
            .map(|(l, r)| (l, r.iter().map(|x| x.share).sum::<Decimal>()))?;
        let fix = Decimal::ONE - rest;
        let example = if fix >= Decimal::ZERO {
            format!("; for example \"{}\" = {}", last.model, fix.normalize())
        } else {
            String::new()
        };
        ck.err(path, format!("the route shares of workload `{name}` sum to {}, not 1", sum.normalize()), format!("each share (a range's median: p50, or the middle of low and high) is the fraction of the workload's requests sent to that model, so they must add up to exactly 1{example}"));
        return None;
    }
    Some(shares)
}

fn cascade_steps(
    ck: &mut Checker,
    path: &KeyPath,
    name: &str,
    raw: RawCascade,
    cat: &Catalogue,
) -> Option<Cascade> {
    let before = ck.diags.len();
    let models_path = path.key("models");
    if raw.models.len() < 2 {
        let at = if raw.models.is_empty() {
            path
        } else {
            &models_path
        };
        ck.err(at, format!("the cascade of workload `{name}` names {} model(s); a cascade needs at least 2", raw.models.len()), "list them cheapest first: models = [\"anthropic/claude-3-haiku\", \"anthropic/claude-3-opus\"]");
    }
    let mut models: Vec<String> = Vec::with_capacity(raw.models.len());
    for (i, given) in raw.models.iter().enumerate() {
        let Some(id) = model_ref(ck, &models_path.index(i), given, cat) else {
            continue;
        };
        if models.contains(&id) {
            let what = if *given == id {
                format!("`{id}`")
            } else {
                format!("`{given}` (`{id}`)")
            };
            ck.err(
                &models_path.index(i),
                format!("{what} appears twice in the cascade of workload `{name}`"),
                "each model can be tried once; remove the repeat",
            );
        }
        models.push(id);
    }
    let esc_path = path.key("escalation");
    let want = raw.models.len().saturating_sub(1);
    if raw.models.len() >= 2 && raw.escalation.len() != want {
        let at = if raw.escalation.is_empty() {
            path
        } else {
            &esc_path
        };
        ck.err(at, format!("the cascade of workload `{name}` has {} models, so `escalation` needs {want} share(s), found {}", raw.models.len(), raw.escalation.len()), "escalation[i] is the share of all the workload's requests that reach models[i + 1]: for 3 models write escalation = [0.3, 0.1]");
    }
    let escalation: Vec<Decimal> = raw
        .escalation
        .iter()
        .enumerate()
        .filter_map(|(i, n)| ck.fraction(&esc_path.index(i), n.point()))
        .collect();
    // The order of the shares is checked once their number is right: with more shares than
    // models, there is no model for the extra ones to reach.
    if escalation.len() == raw.escalation.len() && raw.escalation.len() == want {
        for (i, pair) in escalation.windows(2).enumerate() {
            if pair[1] > pair[0] {
                let (a, b) = (
                    raw.models.get(i + 1).map_or("?", String::as_str),
                    raw.models.get(i + 2).map_or("?", String::as_str),
                );
                ck.err(&esc_path.index(i + 1), format!("`escalation` must not increase: {} of all requests cannot reach `{b}` when only {} reach `{a}`", pair[1].normalize(), pair[0].normalize()), "each share counts all the workload's requests, not only the escalated ones: if 30% reach the second model and a third of those go on, write escalation = [0.3, 0.1]");
            }
        }
    }
    let overhead_tokens = match raw.escalation_overhead_tokens {
        Some(n) => ck
            .whole(&path.key("escalation_overhead_tokens"), n, 0)
            .unwrap_or(0),
        None => 0,
    };
    if ck.diags.len() > before {
        return None;
    }
    Some(Cascade {
        models,
        escalation,
        overhead_tokens,
    })
}

fn requirements(
    ck: &mut Checker,
    r: super::raw::RawRequirements,
    cat: &Catalogue,
    custom: &BTreeMap<String, CustomEval>,
) -> Requirements {
    let path = KeyPath::root().key("requirements");
    let min_context_tokens = r
        .min_context_tokens
        .and_then(|n| ck.whole(&path.key("min_context_tokens"), n, 1));
    let context_percentile = super::distribution::context_percentile(
        ck,
        &path.key("context_percentile"),
        r.context_percentile,
    );
    for (j, v) in r.vendors.iter().chain(r.exclude_vendors.iter()).enumerate() {
        if !cat.has_vendor(v) {
            let key = if j < r.vendors.len() {
                "vendors"
            } else {
                "exclude_vendors"
            };
            let idx = if j < r.vendors.len() {
                j
            } else {
                j - r.vendors.len()
            };
            unknown_vendor(ck, &path.key(key).index(idx), v, cat);
        }
    }
    let exclude_models: Vec<String> = r
        .exclude_models
        .iter()
        .enumerate()
        .filter_map(|(j, m)| model_ref(ck, &path.key("exclude_models").index(j), m, cat))
        .collect();
    for (j, lang) in r.languages.iter().enumerate() {
        if !(2..=3).contains(&lang.len()) || !lang.chars().all(|c| c.is_ascii_lowercase()) {
            ck.err(
                &path.key("languages").index(j),
                format!("`{lang}` is not an ISO 639-1 language code"),
                "use lowercase codes such as \"en\" or \"zh\"",
            );
        }
    }
    let mut min_scores = BTreeMap::new();
    for (id, v) in r.min_scores {
        if cat.registry.get(&id).is_none() && !custom.contains_key(&id) {
            unknown_benchmark(ck, &path.key("min_scores").key(&id), &id, cat, custom);
        } else {
            min_scores.insert(id, v.get());
        }
    }
    let max_monthly_cost = r
        .max_monthly_cost
        .and_then(|n| ck.non_negative(&path.key("max_monthly_cost"), n));
    let statuses = r
        .statuses
        .unwrap_or_else(|| Status::DEFAULT_BUYABLE.to_vec());
    Requirements {
        min_context_tokens,
        context_percentile,
        modalities: r.modalities,
        output_modalities: r.output_modalities,
        capabilities: r.capabilities,
        languages: r.languages,
        open_weights: r.open_weights,
        vendors: r.vendors,
        exclude_vendors: r.exclude_vendors,
        exclude_models,
        min_scores,
        max_monthly_cost,
        statuses,
        allow_unscored: r.min_scores_missing == Some(super::raw::FloorPolicy::Allow),
    }
}

/// The largest fit weight accepted.
const MAX_WEIGHT: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

fn fit(
    ck: &mut Checker,
    f: super::raw::RawFit,
    cat: &Catalogue,
    media_only: bool,
    custom: BTreeMap<String, CustomEval>,
) -> FitSpec {
    let path = KeyPath::root().key("fit").key("weights");
    let default_weights = f.weights.is_empty();
    let mut weights = BTreeMap::new();
    // Language benchmarks say nothing about image or video generators, so media-only scenarios
    // get no default weights and fit is shown as unknown unless the scenario weighs something.
    if default_weights && !media_only {
        for id in DEFAULT_WEIGHTS {
            weights.insert((*id).to_string(), Decimal::ONE);
        }
    }
    for (id, w) in f.weights {
        if let Some(c) = custom.get(&id) {
            ck.err(
                &path.key(&id),
                format!("`{id}` is a custom eval; its weight is set in its [[fit.custom]] table"),
                format!("remove it from [fit] weights and write weight = {} in the [[fit.custom]] table with id = \"{id}\" (now {})", w.get().normalize(), c.weight.normalize()),
            );
        } else if cat.registry.get(&id).is_none() {
            unknown_benchmark(ck, &path.key(&id), &id, cat, &custom);
        } else if let Some(w) = ck.non_negative(&path.key(&id), w) {
            // Weights are relative; the cap keeps Σ weight × score (score ≤ 100) far from overflow.
            if w > MAX_WEIGHT {
                ck.err(
                    &path.key(&id),
                    format!("fit weight `{id}` is {w}, above the limit of {MAX_WEIGHT}"),
                    "weights are relative: 1, 2 and 3 say the same as 1000, 2000 and 3000",
                );
            } else {
                weights.insert(id, w);
            }
        }
    }
    for (id, c) in &custom {
        weights.insert(id.clone(), c.weight);
    }
    if !weights.is_empty() && weights.values().all(|w| w.is_zero()) {
        ck.err(
            &path,
            "every fit weight is 0",
            "give at least one benchmark a positive weight",
        );
    }
    let min_coverage = f
        .min_coverage
        .and_then(|n| ck.fraction(&KeyPath::root().key("fit").key("min_coverage"), n))
        .unwrap_or(Decimal::ZERO);
    FitSpec {
        weights,
        missing: f.missing.unwrap_or_default(),
        min_coverage,
        default_weights,
        custom,
    }
}

/// The balanced objective's exchange rate: from 1 to 100 fit points per tenfold in cost.
fn points_per_tenfold(ck: &mut Checker, n: Num) -> Option<Decimal> {
    let v = n.get();
    if v < Decimal::ONE || v > Decimal::ONE_HUNDRED {
        ck.err(
            &KeyPath::root().key("rank").key("points_per_tenfold"),
            format!("`points_per_tenfold` must be from 1 to 100, found {v}"),
            "it is how many fit points a model ten times dearer must gain to break even under balanced: 25 is the default; use objective = \"best_fit\" to ignore cost",
        );
        return None;
    }
    Some(v)
}

fn pricing(ck: &mut Checker, p: super::raw::RawPricing, cat: &Catalogue) -> Pricing {
    let path = KeyPath::root().key("pricing");
    let mut fx = BTreeMap::new();
    for (code, rate) in p.fx {
        let rp = path.key("fx").key(&code);
        match Currency::parse(&code) {
            Some(c) => {
                if let Some(r) = ck.positive(&rp, rate) {
                    if c == Currency::USD && r != Decimal::ONE {
                        ck.err(
                            &rp,
                            "the USD rate is 1 by definition",
                            "rates are units per 1 USD; remove USD from [pricing] fx",
                        );
                    }
                    fx.insert(c, r);
                }
            }
            None => ck.err(
                &rp,
                format!("`{code}` is not a three-letter currency code"),
                "use ISO 4217 codes such as CNY",
            ),
        }
    }
    let mut discounts = BTreeMap::new();
    // A key is a vendor id if one has it; otherwise a model, by full id, unique suffix or alias.
    for (key, d) in p.discounts {
        let dp = path.key("discounts").key(&key);
        let target = if cat.has_vendor(&key) {
            key.clone()
        } else {
            match cat.resolve(&key) {
                Ok(m) => m.id.clone(),
                Err(IdError::Unknown { .. }) if !key.contains('/') => {
                    unknown_vendor(ck, &dp, &key, cat);
                    continue;
                }
                Err(e) => {
                    ck.err(&dp, e.message(), e.help());
                    continue;
                }
            }
        };
        if discounts.contains_key(&target) {
            ck.err(
                &dp,
                format!("`{key}` names `{target}`, which has a discount already"),
                "give each vendor or model one discount",
            );
            continue;
        }
        if let Some(d) = ck.fraction_named(&dp, d, &format!("the discount for `{key}`")) {
            discounts.insert(target, d);
        }
    }
    let mut overrides = BTreeMap::new();
    for (key, o) in p.overrides {
        let op = path.key("override").key(&key);
        let Some(id) = model_ref(ck, &op, &key, cat) else {
            continue;
        };
        if overrides.contains_key(&id) {
            ck.err(
                &op,
                format!("`{key}` names `{id}`, which has an override already"),
                "give each model one [pricing.override] table",
            );
            continue;
        }
        let input = o.input.and_then(|n| ck.non_negative(&op.key("input"), n));
        let output = o.output.and_then(|n| ck.non_negative(&op.key("output"), n));
        let cached_input = o
            .cached_input
            .and_then(|n| ck.non_negative(&op.key("cached_input"), n));
        let cache_write = o
            .cache_write
            .and_then(|n| ck.non_negative(&op.key("cache_write"), n));
        if o.input.is_none()
            && o.output.is_none()
            && o.cached_input.is_none()
            && o.cache_write.is_none()
        {
            ck.err(
                &op,
                format!("the override for `{id}` sets no price"),
                "set input and/or output (per 1M tokens, in the vendor's currency)",
            );
        }
        overrides.insert(
            id,
            PriceOverride {
                input,
                output,
                cached_input,
                cache_write,
            },
        );
    }
    Pricing {
        fx,
        discounts,
        overrides,
        ..Pricing::default()
    }
}

fn selfhost(ck: &mut Checker, s: super::raw::RawSelfhost, cat: &Catalogue) -> Selfhost {
    let path = KeyPath::root().key("selfhost");
    let mut gpu_hourly_price = BTreeMap::new();
    for (id, n) in s.gpu_hourly_price {
        let pp = path.key("gpu_hourly_price").key(&id);
        if cat.hardware.get(&id).is_none() {
            unknown_gpu(ck, &pp, &id, cat);
        } else if let Some(p) = ck.positive(&pp, n) {
            gpu_hourly_price.insert(id, p);
        }
    }
    let allow_consumer_gpus = s.allow_consumer_gpus.unwrap_or(false);
    let gpus_named = !s.gpus.is_empty();
    let mut gpus: Vec<String> = Vec::with_capacity(s.gpus.len());
    for (i, id) in s.gpus.into_iter().enumerate() {
        let gp = path.key("gpus").index(i);
        match cat.hardware.get(&id) {
            None => unknown_gpu(ck, &gp, &id, cat),
            Some(a) if a.price.is_none() && !gpu_hourly_price.contains_key(&id) => ck.err(
                &gp,
                format!("accelerator `{id}` has no public price in the hardware catalogue"),
                format!("add gpu_hourly_price = {{ \"{id}\" = \"...\" }} (USD per GPU-hour) to [selfhost]"),
            ),
            Some(a) if a.consumer && !allow_consumer_gpus => ck.err(
                &gp,
                format!("`{id}` is a consumer card ({})", a.name),
                "add allow_consumer_gpus = true to [selfhost] to offer it: consumer cards lack ECC memory and data-centre support",
            ),
            Some(_) if gpus.contains(&id) => ck.err(&gp, format!("`{id}` is listed twice"), "list each accelerator once"),
            Some(_) => gpus.push(id),
        }
    }
    if !gpus_named {
        gpus = Selfhost::eligible_gpus(cat, allow_consumer_gpus);
    }
    let utilization = match s.utilization {
        None => Selfhost::DEFAULT_UTILIZATION,
        Some(n) => match ck.fraction(&path.key("utilization"), n) {
            Some(u) if u.is_zero() => {
                ck.err(
                    &path.key("utilization"),
                    "`utilization` must be above 0",
                    "it is the share of a replica's estimated throughput to plan on: 0.8 keeps 20% headroom",
                );
                Selfhost::DEFAULT_UTILIZATION
            }
            Some(u) => u,
            None => Selfhost::DEFAULT_UTILIZATION,
        },
    };
    let min_replicas = s
        .min_replicas
        .and_then(|n| ck.whole(&path.key("min_replicas"), n, 1))
        .unwrap_or(1);
    let spare_replicas = s
        .spare_replicas
        .and_then(|n| ck.whole(&path.key("spare_replicas"), n, 0))
        .unwrap_or(0);
    let peak_to_average = match s.peak_to_average {
        None => Decimal::ONE,
        Some(n) => {
            let v = n.get();
            if v < Decimal::ONE {
                ck.err(
                    &path.key("peak_to_average"),
                    format!("`peak_to_average` must be at least 1, found {v}"),
                    "it is the busiest hour's load ÷ the average: 1 for flat traffic, 2 when the peak is twice the average",
                );
                Decimal::ONE
            } else {
                v
            }
        }
    };
    if s.batch.is_some() && s.max_batch.is_some() {
        ck.err(
            &path.key("batch"),
            "both `batch` and `max_batch` are set",
            "`batch` is the older name of `max_batch`: keep max_batch only",
        );
    }
    let max_batch = match (s.max_batch, s.batch) {
        (Some(n), _) => ck.whole(&path.key("max_batch"), n, 1),
        (None, Some(n)) => ck.whole(&path.key("batch"), n, 1),
        (None, None) => None,
    }
    .unwrap_or(Selfhost::DEFAULT_MAX_BATCH);
    let runtime_reserve = match s.runtime_reserve {
        None => Selfhost::DEFAULT_RUNTIME_RESERVE,
        Some(n) => match ck.fraction(&path.key("runtime_reserve"), n) {
            Some(r) if r == Decimal::ONE => {
                ck.err(
                    &path.key("runtime_reserve"),
                    "`runtime_reserve` of 1 leaves no memory for weights or cache",
                    "it is the share of GPU memory kept for the runtime: 0.1 is vLLM's default",
                );
                Selfhost::DEFAULT_RUNTIME_RESERVE
            }
            Some(r) => r,
            None => Selfhost::DEFAULT_RUNTIME_RESERVE,
        },
    };
    let max_time_to_first_token_ms = s
        .max_time_to_first_token_ms
        .and_then(|n| ck.positive(&path.key("max_time_to_first_token_ms"), n));
    let min_output_tokens_per_s_per_user = s
        .min_output_tokens_per_s_per_user
        .and_then(|n| ck.positive(&path.key("min_output_tokens_per_s_per_user"), n));
    let hours_per_month = match s.hours_per_month {
        None => Selfhost::DEFAULT_HOURS_PER_MONTH,
        Some(n) => match ck.positive(&path.key("hours_per_month"), n) {
            Some(h) if h > Decimal::from(744) => {
                ck.err(
                    &path.key("hours_per_month"),
                    format!("`hours_per_month` is {h}, more than a month has"),
                    "a 31-day month has 744 hours; 730 is the average month, the default",
                );
                Selfhost::DEFAULT_HOURS_PER_MONTH
            }
            Some(h) => h,
            None => Selfhost::DEFAULT_HOURS_PER_MONTH,
        },
    };
    Selfhost {
        gpus,
        gpus_named,
        allow_consumer_gpus,
        precision: s
            .precision
            .unwrap_or(crate::catalogue::vocab::Precision::Bf16),
        kv_precision: s
            .kv_precision
            .unwrap_or(crate::catalogue::vocab::KvPrecision::Bf16),
        utilization,
        min_replicas,
        spare_replicas,
        peak_to_average,
        max_batch,
        runtime_reserve,
        max_time_to_first_token_ms,
        min_output_tokens_per_s_per_user,
        hours_per_month,
        gpu_hourly_price,
    }
}

fn unknown_gpu(ck: &mut Checker, path: &KeyPath, id: &str, cat: &Catalogue) {
    let list = cat.hardware.ids().collect::<Vec<_>>().join(", ");
    let help = match cat.hardware.suggest(id) {
        Some(s) => format!("did you mean `{s}`? accelerators in profiles/hardware.toml: {list}"),
        None => format!("accelerators in profiles/hardware.toml: {list}"),
    };
    ck.err(
        path,
        format!("no accelerator `{id}` in the hardware catalogue"),
        help,
    );
}

/// The full id a scenario's model reference stands for: a full id, a unique suffix or an alias
/// (`Catalogue::resolve`). An unknown or ambiguous one is an error at `path`.
pub(super) fn model_ref(
    ck: &mut Checker,
    path: &KeyPath,
    id: &str,
    cat: &Catalogue,
) -> Option<String> {
    match cat.resolve(id) {
        Ok(m) => Some(m.id.clone()),
        Err(e) => {
            ck.err(path, e.message(), e.help());
            None
        }
    }
}

fn unknown_vendor(ck: &mut Checker, path: &KeyPath, id: &str, cat: &Catalogue) {
    let help = suggest(id, "vendors", cat.vendors.keys().map(String::as_str));
    ck.err(path, format!("no vendor `{id}` in the catalogue"), help);
}

fn unknown_benchmark(
    ck: &mut Checker,
    path: &KeyPath,
    id: &str,
    cat: &Catalogue,
    custom: &BTreeMap<String, CustomEval>,
) {
    let known = cat.registry.ids().chain(custom.keys().map(String::as_str));
    let help = suggest(id, "registered benchmarks", known);
    ck.err(
        path,
        format!("unknown benchmark `{id}`"),
        format!("{help}; an eval of your own can be declared in a [[fit.custom]] table"),
    );
}
