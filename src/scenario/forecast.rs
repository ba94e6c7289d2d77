//! The forecast settings of a scenario: `[forecast]` (trials, seed, correlations), price
//! schedules (`[[pricing.schedule]]`), price trends (`[pricing] change_per_year`) and the ranges
//! written in place of numbers, checked once and located in the file when wrong.
//!
//! The schedule and the trend's point values are part of [`super::Pricing`], because the cost
//! kernel prices every month of the horizon with them; the ranges and the trial settings are a
//! [`Forecast`], which `crate::forecast` samples.

use super::input_names::InputNames;
use super::range::{Range, Uncertain};
use super::raw::RawScenario;
use super::PriceOverride;
use crate::catalogue::Catalogue;
use crate::diag::{did_you_mean, KeyPath};
use crate::num::Num;
use crate::validate::Checker;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most trials a forecast may run: ten times the default, enough for percentiles good to a
/// fraction of a percent, and at most a few seconds on the largest catalogue.
pub const MAX_TRIALS: u64 = 1_000_000;
/// Trials when a scenario gives ranges but no `[forecast] trials`.
pub const DEFAULT_TRIALS: u32 = 10_000;
/// The seed when a scenario gives none.
pub const DEFAULT_SEED: u64 = 1;

fn grouped(n: u64) -> String {
    crate::money::grouped_int(Decimal::from(n))
}

/// The environment variable that changes [`DEFAULT_MAX_DRAWS`].
pub const MAX_DRAWS_VAR: &str = "LLMPLAN_MAX_DRAWS";

/// The most values a forecast may draw, trials × ranged inputs, unless [`MAX_DRAWS_VAR`] says
/// otherwise. No draw is held ([`crate::forecast::draws::Draws`]), but every trial estimates every
/// candidate on every ranged input, so a forecast over thousands of ranged workloads at 10,000
/// trials is refused with the figures rather than left to run for hours.
pub const DEFAULT_MAX_DRAWS: u64 = 20_000_000;

/// The limit in force.
pub fn max_draws() -> u64 {
    super::validate::limit_from_env(MAX_DRAWS_VAR, DEFAULT_MAX_DRAWS)
}

/// The `[forecast]` table.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawForecast {
    /// Trials to run, 1 to 1,000,000 (default 10,000).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trials: Option<Num>,
    /// Seed of the random draws: the same seed gives the same figures everywhere (default 1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub seed: Option<Num>,
    /// Inputs that move together; inputs not named here are independent.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub correlate: Vec<RawCorrelation>,
}

/// A `[[forecast.correlate]]` table: ranged inputs drawn with a common factor.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawCorrelation {
    /// The inputs, by path: `monthly_growth`, `workload.<name>.requests_per_day` (or
    /// `requests_per_month`), `pricing.change_per_year.<vendor or model id>`,
    /// `workload.<name>.route.<model>`, `workload.<name>.cascade.escalation.<i>`,
    /// `workload.<name>.cache.hit_rate`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<String>,
    /// Correlation of the inputs' normal scores, 0 to 1 (1: they move in lockstep).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rho: Option<Num>,
}

/// A `[[pricing.schedule]]` entry: a model's price from a month of the horizon on.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawSchedule {
    /// The model id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// First month of the horizon the price applies to; month 1 is the first month.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_month: Option<Num>,
    /// Per 1M input tokens, in the vendor's currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub input: Option<Num>,
    /// Per 1M output tokens, in the vendor's currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub output: Option<Num>,
    /// Per 1M cached input tokens, in the vendor's currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cached_input: Option<Num>,
}

/// A model's price from a month on.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheduled {
    /// Model id.
    pub model: String,
    /// First month (1-based) the price applies to.
    pub from_month: u32,
    /// The prices it sets, as a negotiated override would; unset ones keep the list price.
    pub price: PriceOverride,
}

/// What a ranged input moves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `monthly_growth`.
    Growth,
    /// A workload's request volume, by index.
    Volume(usize),
    /// `change_per_year` of a vendor or model id.
    Change(String),
    /// One share of a workload's route: the workload's index and the share's place in the
    /// route (the order of [`super::Routing::legs`]). Each trial renormalises the route's
    /// drawn shares to sum to 1.
    RouteShare(usize, usize),
    /// `escalation[step]` of a workload's cascade. Each trial caps a drawn share at the one
    /// before it, so the list never increases.
    Escalation(usize, usize),
    /// `hit_rate` of a workload's `[workload.cache]`, by workload index.
    HitRate(usize),
}

/// One uncertain input.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// What it moves.
    pub target: Target,
    /// The range it is drawn from.
    pub range: Range,
}

impl Target {
    /// The workload it belongs to; `None` for growth and price changes, which are scenario-wide.
    pub fn workload(&self) -> Option<usize> {
        match *self {
            Target::Volume(w)
            | Target::HitRate(w)
            | Target::RouteShare(w, _)
            | Target::Escalation(w, _) => Some(w),
            Target::Growth | Target::Change(_) => None,
        }
    }
}

/// A group of inputs drawn with a common factor.
#[derive(Debug, Clone, PartialEq)]
pub struct Correlation {
    /// Indices into [`Forecast::inputs`].
    pub inputs: Vec<usize>,
    /// Correlation of their normal scores, in [0, 1].
    pub rho: Decimal,
}

/// The forecast of a scenario: how many trials, from which seed, over which ranges.
#[derive(Debug, Clone, PartialEq)]
pub struct Forecast {
    /// Trials to run.
    pub trials: u32,
    /// The seed.
    pub seed: u64,
    /// The ranged inputs, in file order.
    pub inputs: Vec<Input>,
    /// Their paths, as `[[forecast.correlate]]` names them: [`Forecast::name`].
    pub names: InputNames,
    /// Correlated groups; an input in none is independent.
    pub correlations: Vec<Correlation>,
}

impl Forecast {
    /// The path of input `i`, as `[[forecast.correlate]]` names it: `monthly_growth`,
    /// `workload.<name>.requests_per_day`, `pricing.change_per_year.<vendor>`, ….
    pub fn name(&self, i: usize) -> &str {
        self.names.get(i)
    }
}

/// What [`check`] found: the forecast, the schedule and the trend's point values.
pub(super) struct Found {
    pub forecast: Option<Forecast>,
    pub schedule: Vec<Scheduled>,
    pub change_per_year: BTreeMap<String, Decimal>,
}

/// Checks every range, the schedule, the trends and `[forecast]`; replaces each range in `raw`
/// by its point, so the scenario's own checks see a number.
pub(super) fn check(ck: &mut Checker, raw: &mut RawScenario, cat: &Catalogue) -> Found {
    let root = KeyPath::root();
    let ranged = ranged_fields(raw);
    let mut inputs = Vec::with_capacity(ranged);
    let mut names = InputNames::with_capacity(ranged);
    // A forecast that would draw too many values is refused at `trials` when the file writes it,
    // else at the first input past the limit at the default trials: where that input is written.
    let limit = max_draws();
    let over_at = raw
        .forecast
        .as_ref()
        .is_none_or(|f| f.trials.is_none())
        .then(|| (limit / u64::from(DEFAULT_TRIALS)) as usize);
    let mut over_path = None;
    let mut take = |ck: &mut Checker,
                    field: &mut Option<Uncertain>,
                    path: KeyPath,
                    name: String,
                    target: Target,
                    point_ok: &dyn Fn(&mut Checker, &KeyPath, Num) -> bool| {
        let Some(u) = field.as_ref() else { return };
        let Some(c) = u.check(ck, &path) else {
            // The fault is reported; the field's own checks see the unchecked point, so they do
            // not add that the field is missing.
            *field = Some(Uncertain::Fixed(u.point()));
            return;
        };
        if let Some(r) = c.range() {
            let (lo, hi) = r.bounds();
            let key = |k: &str| path.key(k);
            let (klo, khi) = match r {
                Range::Quantiles { .. } => ("p10", "p90"),
                Range::Uniform { .. } => ("low", "high"),
            };
            if point_ok(ck, &key(klo), Num(lo)) && point_ok(ck, &key(khi), Num(hi)) {
                if over_at == Some(inputs.len()) {
                    over_path = Some(path.clone());
                }
                inputs.push(Input { target, range: r });
                names.push(&name);
            }
        }
        *field = Some(Uncertain::Fixed(c.point()));
    };

    let growth_ok = |ck: &mut Checker, p: &KeyPath, n: Num| {
        let g = n.get();
        let ok = g > -Decimal::ONE && g <= Decimal::TEN;
        if !ok {
            ck.err(
                p,
                format!("`monthly_growth` must be above -1 and at most 10, found {g}"),
                "it is a fraction per month: 0.05 is 5% growth a month",
            );
        }
        ok
    };
    take(
        ck,
        &mut raw.monthly_growth,
        root.key("monthly_growth"),
        "monthly_growth".into(),
        Target::Growth,
        &growth_ok,
    );
    let positive = |ck: &mut Checker, p: &KeyPath, n: Num| ck.positive(p, n).is_some();
    let fraction = |ck: &mut Checker, p: &KeyPath, n: Num| ck.fraction(p, n).is_some();
    for (i, w) in raw.workload.iter_mut().enumerate() {
        let name = w.name.clone().unwrap_or_else(|| format!("{}", i + 1));
        let path = root.key("workload").index(i);
        // A workload's volume is kept behind a pointer as read, since it may be a range.
        let mut per_day = w.requests_per_day.take().map(|u| *u);
        take(
            ck,
            &mut per_day,
            path.key("requests_per_day"),
            format!("workload.{name}.requests_per_day"),
            Target::Volume(i),
            &positive,
        );
        w.requests_per_day = per_day.map(Box::new);
        let mut per_month = w.requests_per_month.take().map(|u| *u);
        take(
            ck,
            &mut per_month,
            path.key("requests_per_month"),
            format!("workload.{name}.requests_per_month"),
            Target::Volume(i),
            &positive,
        );
        w.requests_per_month = per_month.map(Box::new);
        shares(ck, &mut take, w, &path, &name, i);
        if let Some(c) = w.cache.as_mut() {
            take(
                ck,
                &mut c.hit_rate,
                path.key("cache").key("hit_rate"),
                format!("workload.{name}.cache.hit_rate"),
                Target::HitRate(i),
                &fraction,
            );
        }
    }

    let mut change_per_year = BTreeMap::new();
    let mut schedule = Vec::new();
    if let Some(p) = raw.pricing.as_mut() {
        let change_ok = |ck: &mut Checker, p: &KeyPath, n: Num| {
            let c = n.get();
            let ok = c > -Decimal::ONE && c <= Decimal::TEN;
            if !ok {
                ck.err(
                    p,
                    format!("`change_per_year` must be above -1 and at most 10, found {c}"),
                    "it is a fraction per year: -0.5 halves the price in a year",
                );
            }
            ok
        };
        for (key, value) in p.change_per_year.iter_mut() {
            let path = root.key("pricing").key("change_per_year").key(key);
            if cat.model(key).is_none() && !cat.models.iter().any(|m| m.vendor == *key) {
                let known = cat
                    .models
                    .iter()
                    .map(|m| m.vendor.as_str())
                    .chain(cat.models.iter().map(|m| m.id.as_str()));
                ck.err(
                    &path,
                    format!("`{key}` in change_per_year is neither a vendor nor a model id"),
                    did_you_mean(key, known)
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "use a vendor id such as \"openai\", or a model id such as \"openai/gpt-4o\"".into()),
                );
                continue;
            }
            let mut field = Some(value.clone());
            take(
                ck,
                &mut field,
                path,
                format!("pricing.change_per_year.{key}"),
                Target::Change(key.clone()),
                &change_ok,
            );
            if let Some(Uncertain::Fixed(n)) = field {
                let c = n.get();
                if c > -Decimal::ONE && c <= Decimal::TEN {
                    change_per_year.insert(key.clone(), c);
                } else {
                    change_ok(ck, &root.key("pricing").key("change_per_year").key(key), n);
                }
            }
        }
        let horizon = raw
            .horizon_months
            .map(|n| n.get())
            .unwrap_or(Decimal::from(12));
        for (i, s) in std::mem::take(&mut p.schedule).into_iter().enumerate() {
            if let Some(e) = scheduled(
                ck,
                &root.key("pricing").key("schedule").index(i),
                s,
                cat,
                horizon,
            ) {
                schedule.push(e);
            }
        }
    }
    // Later entries for a model win from their month on; sorting keeps the file's order among
    // equal months, so the last written wins there too.
    schedule.sort_by_key(|s| s.from_month);

    let declared = raw.forecast.is_some();
    let f = raw.forecast.take().unwrap_or_default();
    let fpath = root.key("forecast");
    let trials = match f.trials {
        None => DEFAULT_TRIALS,
        Some(n) => ck
            .whole_in(
                &fpath.key("trials"),
                n,
                1,
                MAX_TRIALS,
                "trials is how many futures are drawn: 10000 gives percentiles good to about 1%",
            )
            .map_or(DEFAULT_TRIALS, |t| t as u32),
    };
    let seed = match f.seed {
        None => DEFAULT_SEED,
        Some(n) => ck
            .whole_in(
                &fpath.key("seed"),
                n,
                0,
                u64::MAX,
                "any whole number; the same seed gives the same figures",
            )
            .unwrap_or(DEFAULT_SEED),
    };
    let mut correlations = Vec::new();
    for (gi, g) in f.correlate.iter().enumerate() {
        let gpath = fpath.key("correlate").index(gi);
        let rho = match g.rho {
            None => {
                ck.err(
                    &gpath,
                    "a [[forecast.correlate]] group has no `rho`",
                    "add rho = 0.8 (0: independent, 1: in lockstep)",
                );
                continue;
            }
            Some(r) => match ck.fraction(&gpath.key("rho"), r) {
                Some(r) => r,
                None => continue,
            },
        };
        let mut members = Vec::new();
        for (k, name) in g.inputs.iter().enumerate() {
            match names.iter().position(|x| x == name) {
                Some(j) if correlations.iter().any(|c: &Correlation| c.inputs.contains(&j)) || members.contains(&j) => {
                    ck.err(&gpath.key("inputs").index(k), format!("`{name}` is already in a correlated group"), "an input belongs to one group at most");
                }
                Some(j) => members.push(j),
                None => ck.err(
                    &gpath.key("inputs").index(k),
                    format!("`{name}` is not a ranged input of this scenario"),
                    did_you_mean(name, names.iter())
                        .map(|s| format!("did you mean `{s}`?"))
                        .unwrap_or_else(|| "name an input written as a range, such as monthly_growth or workload.<name>.requests_per_day".into()),
                ),
            }
        }
        if members.len() >= 2 {
            correlations.push(Correlation {
                inputs: members,
                rho,
            });
        } else if g.inputs.len() < 2 {
            ck.err(
                &gpath.key("inputs"),
                "a correlated group needs at least two inputs",
                "list two or more ranged inputs",
            );
        }
    }
    let draws = u64::from(trials).saturating_mul(inputs.len() as u64);
    if draws > limit {
        let at = over_path.unwrap_or_else(|| fpath.key("trials"));
        ck.err(
            &at,
            format!(
                "the forecast would draw {} values ({} trials × {} ranged inputs), more than the limit of {}; each trial estimates every candidate on every ranged input",
                grouped(draws),
                grouped(u64::from(trials)),
                grouped(inputs.len() as u64),
                grouped(limit),
            ),
            format!("set fewer [forecast] trials (1000 gives percentiles good to about 3%), write fewer inputs as ranges, or raise the limit with {MAX_DRAWS_VAR}=N"),
        );
    }
    inputs.shrink_to_fit();
    names.shrink_to_fit();
    let forecast = (declared || !inputs.is_empty()).then_some(Forecast {
        trials,
        seed,
        inputs,
        names,
        correlations,
    });
    Found {
        forecast,
        schedule,
        change_per_year,
    }
}

/// How many fields of `raw` are written as ranges: the most inputs [`check`] can find, so that
/// their list is made once at its size.
fn ranged_fields(raw: &RawScenario) -> usize {
    let ranged = |u: &Uncertain| usize::from(matches!(u, Uncertain::Range(_)));
    let of = |u: Option<&Uncertain>| u.map_or(0, ranged);
    let workloads: usize = raw
        .workload
        .iter()
        .map(|w| {
            of(w.requests_per_day.as_deref())
                + of(w.requests_per_month.as_deref())
                + w.route.as_ref().map_or(0, |r| r.values().map(ranged).sum())
                + w.cascade
                    .as_ref()
                    .map_or(0, |c| c.escalation.iter().map(ranged).sum())
                + w.cache.as_ref().map_or(0, |c| of(c.hit_rate.as_ref()))
        })
        .sum();
    let changes: usize = raw
        .pricing
        .as_ref()
        .map_or(0, |p| p.change_per_year.values().map(ranged).sum());
    of(raw.monthly_growth.as_ref()) + workloads + changes
}

/// How [`check`] takes one field: checks its range, records it as an input, leaves its point.
type Take<'a> = dyn FnMut(
        &mut Checker,
        &mut Option<Uncertain>,
        KeyPath,
        String,
        Target,
        &dyn Fn(&mut Checker, &KeyPath, Num) -> bool,
    ) + 'a;

/// The ranged shares of a workload's route or cascade. A route whose shares may all be drawn as
/// 0 cannot be renormalised to sum to 1, so a route with a range needs one share that is never
/// 0: a number above 0, or a range whose p10 (or low) is above 0.
fn shares(
    ck: &mut Checker,
    take: &mut Take,
    w: &mut super::raw::RawWorkload,
    path: &KeyPath,
    name: &str,
    i: usize,
) {
    let fraction = |ck: &mut Checker, p: &KeyPath, n: Num| ck.fraction(p, n).is_some();
    if let Some(route) = w.route.as_mut() {
        let rpath = path.key("route");
        let lows: Vec<(bool, Decimal)> = route
            .values()
            .map(|u| match u {
                Uncertain::Fixed(n) => (false, n.get()),
                Uncertain::Range(r) => (true, r.p10.or(r.low).map_or(Decimal::ZERO, Num::get)),
            })
            .collect();
        let before = ck.diags.len();
        for (slot, (key, value)) in route.iter_mut().enumerate() {
            let mut field = Some(value.clone());
            take(
                ck,
                &mut field,
                rpath.key(key),
                format!("workload.{name}.route.{key}"),
                Target::RouteShare(i, slot),
                &fraction,
            );
            if let Some(u) = field {
                *value = u;
            }
        }
        let ranged = lows.iter().any(|(r, _)| *r);
        if ck.diags.len() == before && ranged && lows.iter().all(|(_, lo)| lo.is_zero()) {
            ck.err(
                &rpath,
                format!("the route shares of workload `{name}` could all be drawn as 0, so a trial could not renormalise them to sum to 1"),
                "give one share a number above 0, or a range whose p10 (or low) is above 0",
            );
        }
    }
    if let Some(c) = w.cascade.as_mut() {
        let epath = path.key("cascade").key("escalation");
        for (step, value) in c.escalation.iter_mut().enumerate() {
            let mut field = Some(value.clone());
            take(
                ck,
                &mut field,
                epath.index(step),
                format!("workload.{name}.cascade.escalation.{step}"),
                Target::Escalation(i, step),
                &fraction,
            );
            if let Some(u) = field {
                *value = u;
            }
        }
    }
}

fn scheduled(
    ck: &mut Checker,
    path: &KeyPath,
    s: RawSchedule,
    cat: &Catalogue,
    horizon: Decimal,
) -> Option<Scheduled> {
    let before = ck.diags.len();
    let model = match s.model.as_deref() {
        None => {
            ck.err(
                path,
                "a [[pricing.schedule]] entry has no `model`",
                "add model = \"vendor/model\"",
            );
            None
        }
        Some(m) if cat.model(m).is_none() => {
            let help = did_you_mean(m, cat.models.iter().map(|x| x.id.as_str()))
                .map(|s| format!("did you mean `{s}`?"))
                .unwrap_or_else(|| "`llmplan models` lists the model ids".into());
            ck.err(
                &path.key("model"),
                format!("unknown model `{m}` in the price schedule"),
                help,
            );
            None
        }
        Some(m) => Some(m.to_string()),
    };
    let from_month = match s.from_month {
        None => {
            ck.err(
                path,
                "a [[pricing.schedule]] entry has no `from_month`",
                "add from_month = 4: the price applies from the 4th month of the horizon on",
            );
            None
        }
        Some(n) => {
            let max = horizon.to_string().parse::<u64>().unwrap_or(1200).max(1);
            ck.whole_in(
                &path.key("from_month"),
                n,
                1,
                max,
                &format!("month 1 is the first month of the {max}-month horizon"),
            )
        }
    };
    let mut price = PriceOverride::default();
    for (key, raw, slot) in [
        ("input", s.input, &mut price.input),
        ("output", s.output, &mut price.output),
        ("cached_input", s.cached_input, &mut price.cached_input),
    ] {
        if let Some(n) = raw {
            *slot = ck.non_negative(&path.key(key), n);
        }
    }
    if s.input.is_none() && s.output.is_none() && s.cached_input.is_none() {
        ck.err(
            path,
            "a [[pricing.schedule]] entry sets no price",
            "add input = \"5\" and output = \"15\" (per 1M tokens, in the vendor's currency)",
        );
    }
    (ck.diags.len() == before).then_some(Scheduled {
        model: model?,
        from_month: from_month? as u32,
        price,
    })
}
