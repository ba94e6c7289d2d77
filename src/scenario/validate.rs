//! Turning a parsed scenario into a [`Scenario`], collecting every fault with its place.

use super::raw::{RawScenario, RawWorkload};
use super::{
    FitSpec, PriceOverride, Pricing, Requests, Requirements, Scenario, Workload, DEFAULT_WEIGHTS,
};
use crate::catalogue::vocab::Status;
use crate::catalogue::Catalogue;
use crate::diag::{did_you_mean, suggest, Diagnostic, KeyPath};
use crate::money::Currency;
use crate::num::Num;
use crate::source::SourceFile;
use crate::validate::Checker;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

pub(super) fn scenario(
    src: &SourceFile,
    raw: RawScenario,
    cat: &Catalogue,
) -> Result<Scenario, Vec<Diagnostic>> {
    let mut ck = Checker::new(src);
    let root = KeyPath::root();
    let name = match raw.name.as_deref().map(str::trim) {
        Some(n) if !n.is_empty() => n.to_string(),
        _ => {
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
    let monthly_growth = match raw.monthly_growth {
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

    let pricing = pricing(&mut ck, raw.pricing.unwrap_or_default(), cat);
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

    if raw.workload.is_empty() {
        ck.err(&root, "the scenario has no [[workload]]", "add at least one [[workload]] with name, requests_per_day, input_tokens and output_tokens");
    }
    let mut workloads = Vec::with_capacity(raw.workload.len());
    let mut names: BTreeMap<String, usize> = BTreeMap::new();
    for (i, w) in raw.workload.into_iter().enumerate() {
        let path = root.key("workload").index(i);
        if let Some(w) = workload(&mut ck, &path, w, i) {
            if let Some(first) = names.insert(w.name.clone(), i) {
                ck.err(
                    &path.key("name"),
                    format!(
                        "workload name `{}` is used twice (first by workload {})",
                        w.name,
                        first + 1
                    ),
                    "give each workload its own name",
                );
            }
            workloads.push(w);
        }
    }

    let requirements = requirements(&mut ck, raw.requirements.unwrap_or_default(), cat);
    let media_only = !workloads.is_empty() && workloads.iter().all(|w| w.requests.is_none());
    let fit = fit(&mut ck, raw.fit.unwrap_or_default(), cat, media_only);
    let rank = raw.rank.unwrap_or_default();
    let top = rank
        .top
        .and_then(|n| ck.whole(&root.key("rank").key("top"), n, 1))
        .map(|t| t as usize);
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
        top,
        origin: std::sync::Arc::new(src.clone()),
    })
}

fn workload(ck: &mut Checker, path: &KeyPath, w: RawWorkload, i: usize) -> Option<Workload> {
    let before = ck.diags.len();
    let name = w
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| format!("workload-{}", i + 1));
    let images_per_month = w
        .images_per_month
        .and_then(|n| ck.non_negative(&path.key("images_per_month"), n))
        .unwrap_or_default();
    let video_seconds_per_month = w
        .video_seconds_per_month
        .and_then(|n| ck.non_negative(&path.key("video_seconds_per_month"), n))
        .unwrap_or_default();
    // A media volume that was given but refused still marks the workload as media: its own
    // fault says what is wrong, and "sets neither requests_per_day..." would only mislead.
    let media = !images_per_month.is_zero()
        || !video_seconds_per_month.is_zero()
        || ck.diags.len() > before;
    let requests = match (w.requests_per_day, w.requests_per_month) {
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
    let tokens = |ck: &mut Checker, key: &str, n: Option<Num>, min: u64| {
        n.and_then(|n| ck.whole(&path.key(key), n, min))
    };
    let input_tokens = tokens(ck, "input_tokens", w.input_tokens, 1);
    let output_tokens = tokens(ck, "output_tokens", w.output_tokens, 0);
    if requests.is_some() && w.input_tokens.is_none() {
        ck.err(
            path,
            format!("workload `{name}` has no `input_tokens`"),
            "add input_tokens = <average prompt tokens a request>",
        );
    }
    if requests.is_some() && w.output_tokens.is_none() {
        ck.err(
            path,
            format!("workload `{name}` has no `output_tokens`"),
            "add output_tokens = <average completion tokens a request>",
        );
    }
    let cached_input_share = w
        .cached_input_share
        .and_then(|n| ck.fraction(&path.key("cached_input_share"), n))
        .unwrap_or_default();
    let batch_share = w
        .batch_share
        .and_then(|n| ck.fraction(&path.key("batch_share"), n))
        .unwrap_or_default();
    let input_tokens = input_tokens.unwrap_or(0);
    let output_tokens = output_tokens.unwrap_or(0);
    let context_tokens = match w.context_tokens {
        Some(n) => ck.whole(&path.key("context_tokens"), n, 1).unwrap_or(0),
        None => input_tokens.saturating_add(output_tokens),
    };
    if ck.diags.len() > before {
        return None;
    }
    Some(Workload {
        name,
        requests,
        input_tokens,
        output_tokens,
        cached_input_share,
        batch_share,
        context_tokens,
        images_per_month,
        video_seconds_per_month,
    })
}

fn requirements(ck: &mut Checker, r: super::raw::RawRequirements, cat: &Catalogue) -> Requirements {
    let path = KeyPath::root().key("requirements");
    let min_context_tokens = r
        .min_context_tokens
        .and_then(|n| ck.whole(&path.key("min_context_tokens"), n, 1));
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
    for (j, m) in r.exclude_models.iter().enumerate() {
        if cat.model(m).is_none() {
            unknown_model(ck, &path.key("exclude_models").index(j), m, cat);
        }
    }
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
        if cat.registry.get(&id).is_none() {
            unknown_benchmark(ck, &path.key("min_scores").key(&id), &id, cat);
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
        modalities: r.modalities,
        output_modalities: r.output_modalities,
        capabilities: r.capabilities,
        languages: r.languages,
        open_weights: r.open_weights,
        vendors: r.vendors,
        exclude_vendors: r.exclude_vendors,
        exclude_models: r.exclude_models,
        min_scores,
        max_monthly_cost,
        statuses,
    }
}

/// The largest fit weight accepted.
const MAX_WEIGHT: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

fn fit(ck: &mut Checker, f: super::raw::RawFit, cat: &Catalogue, media_only: bool) -> FitSpec {
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
        if cat.registry.get(&id).is_none() {
            unknown_benchmark(ck, &path.key(&id), &id, cat);
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
    if !default_weights && !weights.is_empty() && weights.values().all(|w| w.is_zero()) {
        ck.err(
            &path,
            "every fit weight is 0",
            "give at least one benchmark a positive weight",
        );
    }
    FitSpec {
        weights,
        missing: f.missing.unwrap_or_default(),
        default_weights,
    }
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
    for (key, d) in p.discounts {
        let dp = path.key("discounts").key(&key);
        if key.contains('/') {
            if cat.model(&key).is_none() {
                unknown_model(ck, &dp, &key, cat);
                continue;
            }
        } else if !cat.has_vendor(&key) {
            unknown_vendor(ck, &dp, &key, cat);
            continue;
        }
        if let Some(d) = ck.fraction_named(&dp, d, &format!("the discount for `{key}`")) {
            discounts.insert(key, d);
        }
    }
    let mut overrides = BTreeMap::new();
    for (id, o) in p.overrides {
        let op = path.key("override").key(&id);
        if cat.model(&id).is_none() {
            unknown_model(ck, &op, &id, cat);
            continue;
        }
        let input = o.input.and_then(|n| ck.non_negative(&op.key("input"), n));
        let output = o.output.and_then(|n| ck.non_negative(&op.key("output"), n));
        let cached_input = o
            .cached_input
            .and_then(|n| ck.non_negative(&op.key("cached_input"), n));
        if o.input.is_none() && o.output.is_none() && o.cached_input.is_none() {
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
            },
        );
    }
    Pricing {
        fx,
        discounts,
        overrides,
    }
}

fn unknown_model(ck: &mut Checker, path: &KeyPath, id: &str, cat: &Catalogue) {
    let help = match did_you_mean(id, cat.ids()) {
        Some(s) => format!("did you mean `{s}`? `llmplan models` lists every id"),
        None => "`llmplan models` lists every model id".to_string(),
    };
    ck.err(path, format!("no model `{id}` in the catalogue"), help);
}

fn unknown_vendor(ck: &mut Checker, path: &KeyPath, id: &str, cat: &Catalogue) {
    let help = suggest(id, "vendors", cat.vendors.keys().map(String::as_str));
    ck.err(path, format!("no vendor `{id}` in the catalogue"), help);
}

fn unknown_benchmark(ck: &mut Checker, path: &KeyPath, id: &str, cat: &Catalogue) {
    let help = suggest(id, "registered benchmarks", cat.registry.ids());
    ck.err(path, format!("unknown benchmark `{id}`"), help);
}
