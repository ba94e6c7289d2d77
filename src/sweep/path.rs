//! `--vary PATH`: resolving a path once into a typed setter on a validated [`Scenario`].
//!
//! A sweep parses and validates its scenario once; each grid point then only assigns numbers
//! through setters, so no point re-reads or re-validates the file. Each value is checked once, with
//! the same rules (and messages) as the scenario file, before the sweep starts.
//!
//! To add a path: add a [`Target`] variant, recognise its name in [`Setter::resolve`] (workload
//! fields in `workload_field`), give its rule in `rule`, assign it in [`Setter::apply`] and list it
//! in [`valid_paths`] so typos get a suggestion. Rules that tie several axes together (escalation
//! shares that must not increase) go in [`check_grid`].

use super::values::Values;
use crate::catalogue::Catalogue;
use crate::diag::{did_you_mean, KeyPath};
use crate::error::{Error, Result};
use crate::money::Currency;
use crate::num::Num;
use crate::scenario::routing::Routing;
use crate::scenario::{Requests, Scenario};
use crate::source::SourceFile;
use crate::validate::Checker;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// The numeric fields of a workload that a sweep can vary.
pub const WORKLOAD_FIELDS: &[&str] = &[
    "requests_per_day",
    "requests_per_month",
    "input_tokens",
    "output_tokens",
    "cached_input_share",
    "batch_share",
    "context_tokens",
    "images_per_month",
    "video_seconds_per_month",
];

/// The scenario-wide numeric fields a sweep can vary.
pub const GLOBAL_FIELDS: &[&str] = &[
    "days_per_month",
    "horizon_months",
    "monthly_growth",
    "requirements.min_context_tokens",
    "requirements.max_monthly_cost",
];

/// What a path assigns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A field of the workload at this index.
    Workload {
        /// Index into `Scenario::workloads`.
        index: usize,
        /// Which field (one of [`WORKLOAD_FIELDS`]).
        field: &'static str,
        /// Whether `context_tokens` follows input + output tokens (the file did not set it).
        derived_context: bool,
    },
    /// `days_per_month`.
    DaysPerMonth,
    /// `horizon_months`.
    HorizonMonths,
    /// `monthly_growth`.
    MonthlyGrowth,
    /// `requirements.min_context_tokens`.
    MinContextTokens,
    /// `requirements.max_monthly_cost`.
    MaxMonthlyCost,
    /// `requirements.min_scores.<bench>`.
    MinScore(String),
    /// `fit.weights.<bench>`.
    FitWeight(String),
    /// `pricing.discounts.<vendor or model>`.
    Discount(String),
    /// `pricing.fx.<CUR>`.
    Fx(Currency),
    /// `pricing.override.<model>.<input|output|cached_input>`.
    Override {
        /// Model id.
        model: String,
        /// Which price.
        field: &'static str,
    },
    /// `workload.<name>.route."<model>"`: one model's share of a route, the others rescaled in
    /// proportion so the shares still sum to exactly 1 (`Routing::set_route_share`).
    RouteShare {
        /// Index into `Scenario::workloads`.
        index: usize,
        /// The model whose share is set.
        model: String,
        /// The route as the file gives it: every point starts from it, so a point's shares depend
        /// only on its own value and not on the points evaluated before it.
        base: Routing,
    },
    /// `workload.<name>.cascade.escalation.<i>`: the share of all the workload's requests that
    /// reach `models[i + 1]`; `i` counts from 0, as in `escalation[i]`.
    Escalation {
        /// Index into `Scenario::workloads`.
        index: usize,
        /// Which escalation share, from 0.
        step: usize,
    },
}

/// The validation rule of a field, as in the scenario file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Whole { min: u64, max: u64 },
    Fraction,
    Positive,
    NonNegative,
    Growth,
    Any,
}

/// A resolved `--vary` path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setter {
    /// The path as the user wrote it.
    pub path: String,
    /// What it assigns.
    pub target: Target,
    rule: Rule,
}

impl Setter {
    /// Resolves a path against a validated scenario. `explicit_context[i]` says whether workload
    /// `i` set `context_tokens` in the file (otherwise it follows input + output tokens).
    pub fn resolve(
        path: &str,
        s: &Scenario,
        cat: &Catalogue,
        explicit_context: &[bool],
    ) -> Result<Setter> {
        let target = resolve_target(path, s, cat, explicit_context)?;
        let rule = rule(&target);
        Ok(Setter {
            path: path.to_string(),
            target,
            rule,
        })
    }

    /// Whether the field holds whole numbers (a fractional value is refused).
    pub fn whole(&self) -> bool {
        matches!(self.rule, Rule::Whole { .. })
    }

    /// Checks a value with the scenario file's rule for this field.
    pub fn check(&self, v: Decimal) -> Result<()> {
        let src = SourceFile {
            name: format!("--vary {}", self.path),
            text: String::new(),
        };
        let mut ck = Checker::new(&src);
        let key = KeyPath::root().key(match &self.target {
            Target::RouteShare { model, .. } => model,
            Target::Escalation { .. } => "escalation",
            _ => self.path.rsplit('.').next().unwrap_or(&self.path),
        });
        let n = Num(v);
        match self.rule {
            Rule::Whole { min, max } => {
                if let Some(w) = ck.whole(&key, n, min) {
                    if w > max {
                        ck.err(
                            &key,
                            format!("`{}` must be at most {max}, found {w}", self.path),
                            "",
                        );
                    }
                }
            }
            Rule::Fraction => {
                ck.fraction(&key, n);
            }
            Rule::Positive => {
                ck.positive(&key, n);
            }
            Rule::NonNegative => {
                ck.non_negative(&key, n);
            }
            Rule::Growth => {
                if v <= -Decimal::ONE || v > Decimal::TEN {
                    ck.err(
                        &key,
                        format!("`monthly_growth` must be above -1 and at most 10, found {v}"),
                        "it is a fraction per month: 0.05 is 5% growth a month",
                    );
                }
            }
            Rule::Any => {}
        }
        if let Target::Fx(Currency::USD) = self.target {
            ck.err(
                &key,
                "the USD rate is 1 by definition",
                "vary another currency's rate",
            );
        }
        ck.finish().map_err(Error::Input)
    }

    /// Assigns a checked value.
    pub fn apply(&self, s: &mut Scenario, v: Decimal) {
        // Grid values of whole fields are whole with no decimals: read the mantissa directly, as
        // `to_u64` would after its (slower) truncation.
        let whole = || match u64::try_from(v.mantissa()) {
            Ok(n) if v.scale() == 0 => n,
            _ => v.to_u64().unwrap_or(0),
        };
        match &self.target {
            Target::Workload {
                index,
                field,
                derived_context,
            } => {
                let w = &mut s.workloads[*index];
                match *field {
                    "requests_per_day" => w.requests = Some(Requests::PerDay(v)),
                    "requests_per_month" => w.requests = Some(Requests::PerMonth(v)),
                    "input_tokens" => w.input_tokens = whole(),
                    "output_tokens" => w.output_tokens = whole(),
                    "cached_input_share" => w.cached_input_share = v,
                    "batch_share" => w.batch_share = v,
                    "context_tokens" => w.context_tokens = whole(),
                    "images_per_month" => w.images_per_month = v,
                    "video_seconds_per_month" => w.video_seconds_per_month = v,
                    _ => {}
                }
                if *derived_context {
                    w.context_tokens = w.input_tokens.saturating_add(w.output_tokens);
                }
            }
            Target::DaysPerMonth => s.days_per_month = whole() as u32,
            Target::HorizonMonths => s.horizon_months = whole() as u32,
            Target::MonthlyGrowth => s.monthly_growth = v,
            Target::MinContextTokens => s.requirements.min_context_tokens = Some(whole()),
            Target::MaxMonthlyCost => s.requirements.max_monthly_cost = Some(v),
            Target::MinScore(b) => {
                s.requirements.min_scores.insert(b.clone(), v);
            }
            Target::FitWeight(b) => {
                s.fit.weights.insert(b.clone(), v);
            }
            Target::Discount(k) => {
                s.pricing.discounts.insert(k.clone(), v);
            }
            Target::Fx(c) => {
                s.pricing.fx.insert(*c, v);
            }
            Target::Override { model, field } => {
                let o = s.pricing.overrides.entry(model.clone()).or_default();
                match *field {
                    "input" => o.input = Some(v),
                    "output" => o.output = Some(v),
                    _ => o.cached_input = Some(v),
                }
            }
            Target::RouteShare { index, model, base } => {
                let mut r = base.clone();
                // Cannot fail: the model is on this route and the value was checked to be 0–1.
                if r.set_route_share(model, v).is_ok() {
                    s.workloads[*index].routing = Some(r);
                }
            }
            Target::Escalation { index, step } => {
                if let Some(Routing::Cascade(c)) = &mut s.workloads[*index].routing {
                    // Assigned directly: `check_grid` proved the list non-increasing at every
                    // point, but when two shares of one cascade vary, setting them one at a time
                    // (as `set_escalation` would check) can pass through an increasing list.
                    c.escalation[*step] = v;
                }
            }
        }
    }

    /// Whether the path changes a route or cascade, and with it the mix's name.
    pub fn routing(&self) -> bool {
        matches!(
            self.target,
            Target::RouteShare { .. } | Target::Escalation { .. }
        )
    }

    /// Whether the integer fast path can follow this path: it changes only volumes, token counts,
    /// context needs, the calendar or the budget. Prices, discounts, exchange rates, media volumes
    /// and fit settings go through the full `rank` engine at every point.
    pub fn fast(&self) -> bool {
        match &self.target {
            Target::Workload { field, .. } => {
                !matches!(*field, "images_per_month" | "video_seconds_per_month")
            }
            Target::DaysPerMonth
            | Target::HorizonMonths
            | Target::MonthlyGrowth
            | Target::MinContextTokens
            | Target::MaxMonthlyCost => true,
            _ => false,
        }
    }

    /// Whether the path changes the horizon cost without changing the monthly one.
    pub fn horizon(&self) -> bool {
        matches!(self.target, Target::HorizonMonths | Target::MonthlyGrowth)
    }
}

fn resolve_target(
    path: &str,
    s: &Scenario,
    cat: &Catalogue,
    explicit_context: &[bool],
) -> Result<Target> {
    let unknown = |why: Option<String>| {
        let all = valid_paths(s, cat);
        let hint = match did_you_mean(path, all.iter().map(String::as_str)) {
            Some(p) => format!("did you mean `{p}`?"),
            None => "`llmplan sweep --help` lists the paths".to_string(),
        };
        let why = why.map(|w| format!(": {w}")).unwrap_or_default();
        Error::Usage(format!(
            "--vary: `{path}` is not a numeric scenario field{why}; {hint}"
        ))
    };
    match path {
        "days_per_month" => return Ok(Target::DaysPerMonth),
        "horizon_months" => return Ok(Target::HorizonMonths),
        "monthly_growth" => return Ok(Target::MonthlyGrowth),
        "requirements.min_context_tokens" => return Ok(Target::MinContextTokens),
        "requirements.max_monthly_cost" => return Ok(Target::MaxMonthlyCost),
        _ => {}
    }
    if let Some(rest) = path.strip_prefix("workload.") {
        // Names may contain dots: take the longest workload name the path starts with.
        let found = s
            .workloads
            .iter()
            .enumerate()
            .filter_map(|(i, w)| {
                let name = if rest.starts_with('"') {
                    format!("\"{}\"", w.name)
                } else {
                    w.name.clone()
                };
                rest.strip_prefix(&name)
                    .and_then(|r| r.strip_prefix('.'))
                    .map(|field| (i, name.len(), field))
            })
            .max_by_key(|x| x.1);
        let Some((index, _, field)) = found else {
            let names = s
                .workloads
                .iter()
                .map(|w| format!("`{}`", w.name))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(unknown(Some(format!(
                "no such workload; the workloads are {names}"
            ))));
        };
        return workload_field(path, s, index, field, explicit_context)
            .map_err(|e| e.unwrap_or_else(|| unknown(None)));
    }
    let bench = |id: &str, t: Target| {
        if cat.registry.get(id).is_some() {
            Ok(t)
        } else {
            Err(unknown(Some(format!("no benchmark `{id}`"))))
        }
    };
    if let Some(id) = path.strip_prefix("requirements.min_scores.") {
        return bench(id, Target::MinScore(id.to_string()));
    }
    if let Some(id) = path.strip_prefix("fit.weights.") {
        return bench(id, Target::FitWeight(id.to_string()));
    }
    if let Some(key) = path.strip_prefix("pricing.discounts.") {
        // As in the scenario: a vendor id, else a model by full id, unique suffix or alias.
        let known = if cat.has_vendor(key) {
            Some(key.to_string())
        } else {
            cat.resolve(key).ok().map(|m| m.id.clone())
        };
        return match known {
            Some(key) => Ok(Target::Discount(key)),
            None => Err(unknown(Some(format!("no vendor or model `{key}`")))),
        };
    }
    if let Some(code) = path.strip_prefix("pricing.fx.") {
        return Currency::parse(code)
            .map(Target::Fx)
            .ok_or_else(|| unknown(Some(format!("`{code}` is not a currency code"))));
    }
    if let Some(rest) = path.strip_prefix("pricing.override.") {
        if let Some((model, field)) = rest.rsplit_once('.') {
            let field = match field {
                "input" => "input",
                "output" => "output",
                "cached_input" => "cached_input",
                _ => {
                    return Err(unknown(Some(
                        "an override sets `input`, `output` or `cached_input`".into(),
                    )))
                }
            };
            let Ok(m) = cat.resolve(model) else {
                return Err(unknown(Some(format!("no model `{model}`"))));
            };
            return Ok(Target::Override {
                model: m.id.clone(),
                field,
            });
        }
    }
    Err(unknown(None))
}

/// `Err(None)` means "not a workload field" (the caller adds the suggestion).
fn workload_field(
    path: &str,
    s: &Scenario,
    index: usize,
    field: &str,
    explicit_context: &[bool],
) -> std::result::Result<Target, Option<Error>> {
    if let Some(model) = field.strip_prefix("route.") {
        return route_share(path, s, index, model).map_err(Some);
    }
    if let Some(step) = field.strip_prefix("cascade.escalation") {
        return escalation(path, s, index, step).map_err(Some);
    }
    let Some(&field) = WORKLOAD_FIELDS.iter().find(|f| **f == field) else {
        return Err(None);
    };
    let w = &s.workloads[index];
    let other = match (field, w.requests) {
        ("requests_per_day", Some(Requests::PerMonth(_))) => Some("requests_per_month"),
        ("requests_per_month", Some(Requests::PerDay(_))) => Some("requests_per_day"),
        ("requests_per_day" | "requests_per_month", None) => {
            return Err(Some(Error::Usage(format!("--vary {path}: workload `{}` is a media workload with no request volume; vary its images_per_month or video_seconds_per_month", w.name))))
        }
        _ => None,
    };
    if let Some(o) = other {
        return Err(Some(Error::Usage(format!(
            "--vary {path}: workload `{}` gives {o} in the scenario; vary workload.{}.{o} instead",
            w.name, w.name
        ))));
    }
    let derived_context = matches!(field, "input_tokens" | "output_tokens")
        && !explicit_context.get(index).copied().unwrap_or(true);
    Ok(Target::Workload {
        index,
        field,
        derived_context,
    })
}

/// `workload.<name>.route."<model>"`, quoted or not (ids contain `/`, and may contain dots).
fn route_share(path: &str, s: &Scenario, index: usize, model: &str) -> Result<Target> {
    let w = &s.workloads[index];
    let model = model
        .strip_prefix('"')
        .and_then(|m| m.strip_suffix('"'))
        .unwrap_or(model);
    let shares = match &w.routing {
        Some(Routing::Route(shares)) => shares,
        Some(Routing::Cascade(_)) => {
            return Err(Error::Usage(format!(
                "--vary {path}: workload `{}` has a [workload.cascade], not a route; vary its escalation shares, such as workload.{}.cascade.escalation.0",
                w.name, w.name
            )))
        }
        None => {
            return Err(Error::Usage(format!(
                "--vary {path}: workload `{}` has no [workload.route] in the scenario; add one to sweep its shares",
                w.name
            )))
        }
    };
    if !shares.iter().any(|r| r.model == model) {
        let ids: Vec<&str> = shares.iter().map(|r| r.model.as_str()).collect();
        let hint = did_you_mean(model, ids.iter().copied())
            .map(|m| format!("did you mean `workload.{}.route.\"{m}\"`? ", w.name))
            .unwrap_or_default();
        return Err(Error::Usage(format!(
            "--vary {path}: `{model}` is not on the route of workload `{}`; {hint}the route has {}",
            w.name,
            ids.iter()
                .map(|i| format!("`{i}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok(Target::RouteShare {
        index,
        model: model.to_string(),
        base: Routing::Route(shares.clone()),
    })
}

/// `workload.<name>.cascade.escalation.<i>`, with `i` counted from 0. `step` is what follows
/// `cascade.escalation`.
fn escalation(path: &str, s: &Scenario, index: usize, step: &str) -> Result<Target> {
    let w = &s.workloads[index];
    let c = match &w.routing {
        Some(Routing::Cascade(c)) => c,
        Some(Routing::Route(_)) => {
            return Err(Error::Usage(format!(
                "--vary {path}: workload `{}` has a [workload.route], not a cascade; vary one model's share, such as workload.{}.route.\"{}\"",
                w.name,
                w.name,
                w.routing.as_ref().map_or("", |r| r.models()[0])
            )))
        }
        None => {
            return Err(Error::Usage(format!(
                "--vary {path}: workload `{}` has no [workload.cascade] in the scenario; add one to sweep its escalation shares",
                w.name
            )))
        }
    };
    let len = c.escalation.len();
    match step.strip_prefix('.').and_then(|i| i.parse::<usize>().ok()) {
        Some(i) if i < len => Ok(Target::Escalation { index, step: i }),
        _ => {
            let each: Vec<String> = c
                .models
                .iter()
                .skip(1)
                .enumerate()
                .map(|(i, m)| format!("escalation.{i} (the share reaching `{m}`)"))
                .collect();
            Err(Error::Usage(format!(
                "--vary {path}: escalation shares are counted from 0, as in `escalation[i]`: the cascade of workload `{}` has {len}, so the index is 0 to {}; {}",
                w.name,
                len.saturating_sub(1),
                each.join(", ")
            )))
        }
    }
}

/// The rules that involve more than one axis, checked once before the sweep starts:
///
/// - escalation shares must not increase at any grid point. Each share's values are checked,
///   with `Routing::set_escalation`'s rule and message, against its neighbours' extremes: the
///   smallest value the share before it takes and the largest the share after it takes (their
///   values in the file when they are not varied).
/// - only one share of a route can vary, since setting one rescales the others.
pub fn check_grid(setters: &[Setter], axes: &[Values], base: &Scenario) -> Result<()> {
    let find = |index: usize, step: usize| {
        setters
            .iter()
            .zip(axes)
            .find(|(s, _)| s.target == Target::Escalation { index, step })
    };
    for (k, (setter, values)) in setters.iter().zip(axes).enumerate() {
        if let Some(other) = setters[..k].iter().find(|o| o.target == setter.target) {
            return Err(Error::Usage(format!(
                "--vary {} and --vary {} set the same field; give it once",
                other.path, setter.path
            )));
        }
        match &setter.target {
            Target::RouteShare { index, .. } => {
                if let Some(other) = setters[..k].iter().find(
                    |o| matches!(&o.target, Target::RouteShare { index: i, .. } if i == index),
                ) {
                    return Err(Error::Usage(format!(
                        "--vary {} and --vary {} both set a share of workload `{}`'s route; vary one share, since setting it rescales the others to keep the sum 1",
                        other.path, setter.path, base.workloads[*index].name
                    )));
                }
            }
            Target::Escalation { index, step } => {
                let Some(Routing::Cascade(c)) = &base.workloads[*index].routing else {
                    continue;
                };
                let mut probe = c.clone();
                let mut varied = Vec::new();
                if *step > 0 {
                    if let Some((s, v)) = find(*index, step - 1) {
                        probe.escalation[step - 1] = extremes(v).0;
                        varied.push(format!(
                            "{} takes {} at least",
                            s.path,
                            extremes(v).0.normalize()
                        ));
                    }
                }
                if step + 1 < probe.escalation.len() {
                    if let Some((s, v)) = find(*index, step + 1) {
                        probe.escalation[step + 1] = extremes(v).1;
                        varied.push(format!(
                            "{} takes {} at most",
                            s.path,
                            extremes(v).1.normalize()
                        ));
                    }
                }
                let probe = Routing::Cascade(probe);
                for i in probe_indices(values.len()) {
                    let v = values.get(i);
                    if let Err(why) = probe.clone().set_escalation(*step, v) {
                        let also = if varied.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", varied.join("; "))
                        };
                        return Err(Error::Usage(format!("--vary {}: {why}{also}", setter.path)));
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The indices whose values bound an axis: every one of a short axis; the ends of a long one,
/// which is a range and so monotone.
fn probe_indices(n: u64) -> Vec<u64> {
    if n <= 1 << 16 {
        (0..n).collect()
    } else {
        vec![0, n - 1]
    }
}

/// The smallest and largest value of an axis.
fn extremes(v: &Values) -> (Decimal, Decimal) {
    let all = probe_indices(v.len()).into_iter().map(|i| v.get(i));
    let min = all.clone().min().unwrap_or_default();
    let max = all.max().unwrap_or_default();
    (min, max)
}

fn rule(t: &Target) -> Rule {
    match t {
        Target::Workload { field, .. } => match *field {
            "requests_per_day" | "requests_per_month" => Rule::Positive,
            "input_tokens" | "context_tokens" => Rule::Whole {
                min: 1,
                max: u64::MAX,
            },
            "output_tokens" => Rule::Whole {
                min: 0,
                max: u64::MAX,
            },
            "cached_input_share" | "batch_share" => Rule::Fraction,
            _ => Rule::NonNegative,
        },
        Target::DaysPerMonth => Rule::Whole { min: 1, max: 31 },
        Target::HorizonMonths => Rule::Whole { min: 1, max: 1200 },
        Target::MonthlyGrowth => Rule::Growth,
        Target::MinContextTokens => Rule::Whole {
            min: 1,
            max: u64::MAX,
        },
        Target::MaxMonthlyCost | Target::FitWeight(_) | Target::Override { .. } => {
            Rule::NonNegative
        }
        Target::MinScore(_) => Rule::Any,
        Target::Discount(_) | Target::RouteShare { .. } | Target::Escalation { .. } => {
            Rule::Fraction
        }
        Target::Fx(_) => Rule::Positive,
    }
}

/// Every path that can be varied for this scenario, for suggestions and help.
pub fn valid_paths(s: &Scenario, cat: &Catalogue) -> Vec<String> {
    let mut out: Vec<String> = GLOBAL_FIELDS.iter().map(|f| f.to_string()).collect();
    for w in &s.workloads {
        for f in WORKLOAD_FIELDS {
            out.push(format!("workload.{}.{f}", w.name));
        }
        match &w.routing {
            Some(Routing::Route(shares)) => {
                for r in shares {
                    out.push(format!("workload.{}.route.\"{}\"", w.name, r.model));
                }
            }
            Some(Routing::Cascade(c)) => {
                for i in 0..c.escalation.len() {
                    out.push(format!("workload.{}.cascade.escalation.{i}", w.name));
                }
            }
            None => {}
        }
    }
    for v in cat.vendors.keys() {
        out.push(format!("pricing.discounts.{v}"));
    }
    for m in cat.ids() {
        out.push(format!("pricing.discounts.{m}"));
        for f in ["input", "output", "cached_input"] {
            out.push(format!("pricing.override.{m}.{f}"));
        }
    }
    for c in cat.fx.codes() {
        out.push(format!("pricing.fx.{c}"));
    }
    for b in cat.registry.ids() {
        out.push(format!("requirements.min_scores.{b}"));
        out.push(format!("fit.weights.{b}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::sync::OnceLock;

    fn catalogue() -> &'static Catalogue {
        static CAT: OnceLock<Catalogue> = OnceLock::new();
        CAT.get_or_init(|| Catalogue::embedded().unwrap())
    }

    /// One workload routed between Haiku, Sonnet and Opus with the given percentages.
    fn routed(pcts: [u32; 3]) -> Scenario {
        let share = |p: u32| Decimal::new(p.into(), 2);
        let text = format!(
            "name = \"t\"\n[[workload]]\nname = \"w\"\nrequests_per_month = 1000\ninput_tokens = 10\noutput_tokens = 10\n\
             [workload.route]\n\"anthropic/claude-3-haiku\" = {}\n\"anthropic/claude-3-sonnet\" = {}\n\"anthropic/claude-3-opus\" = {}\n",
            share(pcts[0]), share(pcts[1]), share(pcts[2])
        );
        let src = SourceFile {
            name: "t.toml".into(),
            text,
        };
        Scenario::from_source(&src, catalogue()).unwrap()
    }

    fn shares(s: &Scenario) -> Vec<Decimal> {
        s.workloads[0]
            .routing
            .as_ref()
            .unwrap()
            .legs()
            .iter()
            .map(|l| l.share)
            .collect()
    }

    proptest! {
        /// A point's shares depend only on its own value: setting v after any other values gives
        /// what setting v on the file's route gives, and the shares always sum to exactly 1.
        #[test]
        fn route_shares_depend_only_on_the_value_set(
            (a, b) in (0u32..=100).prop_flat_map(|a| (Just(a), 0..=100 - a)),
            // A share of 1 leaves the others at 0, from which no ratio can be recovered: the
            // case that would make a point depend on the one before it.
            earlier in proptest::collection::vec(prop_oneof![Just(1000u32), 0u32..=1000], 0..4),
            v in 0u32..=1000,
        ) {
            let base = routed([a, b, 100 - a - b]);
            let setter = Setter::resolve("workload.w.route.anthropic/claude-3-sonnet", &base, catalogue(), &[false]).unwrap();
            let value = |x: u32| Decimal::new(x.into(), 3);
            let mut fresh = base.clone();
            setter.apply(&mut fresh, value(v));
            let mut walked = base.clone();
            for x in earlier {
                setter.apply(&mut walked, value(x));
            }
            setter.apply(&mut walked, value(v));
            prop_assert_eq!(shares(&walked), shares(&fresh));
            prop_assert_eq!(shares(&fresh).iter().copied().sum::<Decimal>(), Decimal::ONE);
            let sonnet = fresh.workloads[0].routing.as_ref().unwrap().legs().into_iter()
                .find(|l| l.model == "anthropic/claude-3-sonnet").unwrap();
            prop_assert_eq!(sonnet.share, value(v));
        }
    }

    #[test]
    fn quoted_and_bare_route_paths_name_the_same_share() {
        let s = routed([50, 30, 20]);
        let resolve = |p: &str| {
            Setter::resolve(p, &s, catalogue(), &[false])
                .unwrap()
                .target
        };
        assert_eq!(
            resolve("workload.w.route.\"anthropic/claude-3-opus\""),
            resolve("workload.w.route.anthropic/claude-3-opus")
        );
        assert!(valid_paths(&s, catalogue())
            .contains(&"workload.w.route.\"anthropic/claude-3-opus\"".to_string()));
    }
}
