//! `--vary PATH`: resolving a path once into a typed setter on a validated [`Scenario`].
//!
//! A sweep parses and validates its scenario once; each grid point then only assigns numbers
//! through setters, so no point re-reads or re-validates the file. Each value is checked once, with
//! the same rules (and messages) as the scenario file, before the sweep starts.
//!
//! A workload or scenario-wide number is a field of [`super::field`]: adding one there is enough,
//! and the compiler asks for its rule, its setter and whether the fast path follows it. Other
//! paths (benchmark floors and weights, discounts, rates, overrides, route and escalation shares)
//! are [`Target`] variants recognised in [`Setter::resolve`] and listed in [`valid_paths`] so typos
//! get a suggestion. Rules that tie several axes together (escalation shares that must not
//! increase) go in [`check_grid`].

use super::field::{either, Effect, GlobalField, PriceField, Rule, WorkloadField};
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
use rust_decimal::Decimal;

/// What a path assigns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A field of the workload at this index.
    Workload {
        /// Index into `Scenario::workloads`.
        index: usize,
        /// Which field.
        field: WorkloadField,
        /// Whether `context_tokens` follows input + output tokens (the file did not set it).
        derived_context: bool,
    },
    /// A scenario-wide field.
    Global(GlobalField),
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
        field: PriceField,
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
    /// `workload.<name>.input_tokens.p50` and the other numbers of a request-size distribution.
    Size(super::size::SizeTarget),
    /// `workload.<name>.cascade.escalation.<i>`: the share of all the workload's requests that
    /// reach `models[i + 1]`; `i` counts from 0, as in `escalation[i]`.
    Escalation {
        /// Index into `Scenario::workloads`.
        index: usize,
        /// Which escalation share, from 0.
        step: usize,
    },
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

    /// The scenario file's rule for the field.
    pub fn rule(&self) -> Rule {
        self.rule
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
            Target::Size(t) => t.key(),
            Target::Workload { .. }
            | Target::Global(_)
            | Target::MinScore(_)
            | Target::FitWeight(_)
            | Target::Discount(_)
            | Target::Fx(_)
            | Target::Override { .. } => self.path.rsplit('.').next().unwrap_or(&self.path),
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
        match &self.target {
            Target::Workload {
                index,
                field,
                derived_context,
            } => {
                let p = s.requirements.context_percentile;
                let w = &mut s.workloads[*index];
                field.apply(w, v);
                if *derived_context {
                    w.context_tokens = w.context_at(p);
                }
            }
            Target::Global(g) => g.apply(s, v),
            Target::Size(t) => t.apply(s, v),
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
                field.apply(s.pricing.overrides.entry(model.clone()).or_default(), v);
            }
            Target::RouteShare { index, model, base } => {
                let mut r = base.clone();
                // Cannot fail: the model is on this route and the value was checked to be 0–1.
                if r.set_route_share(model, v).is_ok() {
                    s.workloads[*index].routing = Some(Box::new(r));
                }
            }
            Target::Escalation { index, step } => {
                if let Some(Routing::Cascade(c)) = s.workloads[*index].routing.as_deref_mut() {
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

    /// What the fast path must recompute when this path's value changes, or `None` when it cannot
    /// follow the path: an allow-list. Volumes, token counts, context needs, the calendar, the
    /// budget and the horizon are followed; prices, discounts, exchange rates, media volumes, fit
    /// settings and routes go through the full `rank` engine at every point.
    pub fn effect(&self) -> Option<Effect> {
        match &self.target {
            Target::Workload { index, field, .. } => field.effect(*index),
            Target::Global(g) => g.effect(),
            Target::MinScore(_)
            | Target::FitWeight(_)
            | Target::Discount(_)
            | Target::Fx(_)
            | Target::Override { .. }
            | Target::RouteShare { .. }
            | Target::Size(_)
            | Target::Escalation { .. } => None,
        }
    }

    /// Whether the path changes the horizon cost without changing the monthly one.
    pub fn horizon(&self) -> bool {
        matches!(self.target, Target::Global(g) if g.horizon())
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
    if let Some(g) = GlobalField::parse(path) {
        return Ok(Target::Global(g));
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
        if cat.registry.get(id).is_some() || s.fit.custom.contains_key(id) {
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
            let Some(field) = PriceField::parse(field) else {
                return Err(unknown(Some(format!(
                    "an override sets {}",
                    either(PriceField::ALL, PriceField::name)
                ))));
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
    let explicit = explicit_context.get(index).copied().unwrap_or(true);
    if let Some(t) = super::size::resolve(path, s, index, field, explicit).map_err(Some)? {
        return Ok(Target::Size(t));
    }
    let Some(field) = WorkloadField::parse(field) else {
        return Err(None);
    };
    let w = &s.workloads[index];
    let (per_day, per_month) = (
        WorkloadField::RequestsPerDay,
        WorkloadField::RequestsPerMonth,
    );
    let other = match (field, w.requests) {
        (f, Some(Requests::PerMonth(_))) if f == per_day => Some(per_month),
        (f, Some(Requests::PerDay(_))) if f == per_month => Some(per_day),
        (f, None) if f == per_day || f == per_month => {
            return Err(Some(Error::Usage(format!(
                "--vary {path}: workload `{}` is a media workload with no request volume; vary its {} or {}",
                w.name,
                WorkloadField::ImagesPerMonth.name(),
                WorkloadField::VideoSecondsPerMonth.name()
            ))))
        }
        _ => None,
    };
    if let Some(e) = cache_form(path, w, field) {
        return Err(Some(e));
    }
    if let Some(o) = other.map(WorkloadField::name) {
        return Err(Some(Error::Usage(format!(
            "--vary {path}: workload `{}` gives {o} in the scenario; vary workload.{}.{o} instead",
            w.name, w.name
        ))));
    }
    let derived_context =
        field.feeds_context() && !explicit_context.get(index).copied().unwrap_or(true);
    Ok(Target::Workload {
        index,
        field,
        derived_context,
    })
}

/// Why a caching field cannot be varied on this workload: a `cache.*` field needs its
/// `[workload.cache]`, and `cached_input_share` (the simple form) is not used beside one.
fn cache_form(path: &str, w: &crate::scenario::Workload, field: WorkloadField) -> Option<Error> {
    let cache_field = matches!(
        field,
        WorkloadField::CachePrefixTokens
            | WorkloadField::CacheHitRate
            | WorkloadField::CacheStorageHours
    );
    match (cache_field, w.cache.is_some()) {
        (true, false) => Some(Error::Usage(format!(
            "--vary {path}: workload `{}` has no [workload.cache] in the scenario; add one (prefix_tokens, hit_rate) to sweep it",
            w.name
        ))),
        (false, true) if field == WorkloadField::CachedInputShare => Some(Error::Usage(format!(
            "--vary {path}: workload `{}` bills its cache by [workload.cache], not cached_input_share; vary workload.{}.cache.hit_rate instead",
            w.name, w.name
        ))),
        _ => None,
    }
}

/// `workload.<name>.route."<model>"`, quoted or not (ids contain `/`, and may contain dots).
fn route_share(path: &str, s: &Scenario, index: usize, model: &str) -> Result<Target> {
    let w = &s.workloads[index];
    let model = model
        .strip_prefix('"')
        .and_then(|m| m.strip_suffix('"'))
        .unwrap_or(model);
    let shares = match w.routing.as_deref() {
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
    let c = match w.routing.as_deref() {
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
                let Some(Routing::Cascade(c)) = base.workloads[*index].routing.as_deref() else {
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
            // The other paths are checked value by value, on their own; sizes all together below.
            Target::Size(_)
            | Target::Workload { .. }
            | Target::Global(_)
            | Target::MinScore(_)
            | Target::FitWeight(_)
            | Target::Discount(_)
            | Target::Fx(_)
            | Target::Override { .. } => {}
        }
    }
    let sizes: Vec<_> = setters
        .iter()
        .zip(axes)
        .filter_map(|(st, v)| match &st.target {
            Target::Size(t) => Some((st.path.as_str(), t, v)),
            _ => None,
        })
        .collect();
    super::size::check_grid(&sizes, base)
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
pub(super) fn extremes(v: &Values) -> (Decimal, Decimal) {
    let all = probe_indices(v.len()).into_iter().map(|i| v.get(i));
    let min = all.clone().min().unwrap_or_default();
    let max = all.max().unwrap_or_default();
    (min, max)
}

fn rule(t: &Target) -> Rule {
    match t {
        Target::Workload { field, .. } => field.rule(),
        Target::Global(g) => g.rule(),
        Target::FitWeight(_) | Target::Override { .. } => Rule::NonNegative,
        Target::MinScore(_) => Rule::Any,
        Target::Discount(_) | Target::RouteShare { .. } | Target::Escalation { .. } => {
            Rule::Fraction
        }
        Target::Fx(_) => Rule::Positive,
        Target::Size(t) => t.rule(),
    }
}

/// Every path that can be varied for this scenario, for suggestions and help.
pub fn valid_paths(s: &Scenario, cat: &Catalogue) -> Vec<String> {
    let mut out: Vec<String> = GlobalField::ALL.iter().map(|f| f.name().into()).collect();
    for w in &s.workloads {
        for f in WorkloadField::ALL {
            out.push(format!("workload.{}.{}", w.name, f.name()));
        }
        out.extend(super::size::paths(w));
        match w.routing.as_deref() {
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
        for f in PriceField::ALL {
            out.push(format!("pricing.override.{m}.{}", f.name()));
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
