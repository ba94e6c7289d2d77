//! Ranking: which models qualify for a scenario, what each costs, how well each fits, in order.
//!
//! The `balanced` objective scores a model as the mean of its fit and a cost score:
//! cost score = 100 − p × log10(monthly cost ÷ cheapest eligible monthly cost), floored at 0, where
//! p is `[rank] points_per_tenfold` (25 unless the scenario says otherwise). The cheapest model
//! gets 100 cost points and every tenfold in price costs p of them. Ranking uses the fit's point
//! estimate; a model with no fit ranks after every model with one under `best_fit` and
//! `balanced` (among themselves, by cost), and `cheapest` orders by cost alone.

use crate::catalogue::fx::FxTable;
use crate::catalogue::model::Model;
use crate::catalogue::vocab::Modality;
use crate::catalogue::Catalogue;
use crate::cost::{model_cost, ModelCost, Unpriced};
use crate::error::Result;
use crate::fit::{Fit, Scorer};
use crate::money::{format_money, grouped_int, Currency};
use crate::scenario::raw::{MissingPolicy, Objective};
use crate::scenario::{Scenario, Selfhost};
use crate::selfhost::fleet::{estimate, Estimate};
use crate::selfhost::shape::Shape;
use rust_decimal::{Decimal, MathematicalOps};
use serde::Serialize;
use std::cmp::Ordering;

/// A model that qualifies, with its cost and fit.
#[derive(Debug, Clone, Serialize)]
pub struct Ranked {
    /// Position, from 1.
    pub rank: usize,
    /// Model id.
    pub model: String,
    /// Vendor id.
    pub vendor: String,
    /// Display name.
    pub name: String,
    /// Cost in the first month.
    pub monthly_cost: Decimal,
    /// Cost over the horizon.
    pub horizon_cost: Decimal,
    /// Fit, 0–100.
    pub fit: Option<Decimal>,
    /// Balanced score, 0–100.
    pub balanced: Option<Decimal>,
    /// On the cost–fit Pareto front.
    pub pareto: bool,
    /// How the fit was made.
    pub fit_detail: Fit,
    /// The bill.
    pub cost: ModelCost,
    /// Bought through an API, or served on rented GPUs (an estimate).
    pub deployment: Deployment,
    /// For a routed candidate, which models give the final answers; empty for a single model.
    pub answered_by: Vec<Answer>,
    /// `min_scores` benchmarks the model has no score for, kept under
    /// `min_scores_missing = "allow"`.
    pub unverified: Vec<String>,
}

/// How often a model gives the final answer in a routed candidate, and its own fit.
#[derive(Debug, Clone, Serialize)]
pub struct Answer {
    /// Model id.
    pub model: String,
    /// Share of all the scenario's requests it answers.
    pub share: Decimal,
    /// Its own fit.
    pub fit: Option<Decimal>,
}

/// How a candidate would be bought.
#[derive(Debug, Clone, Serialize)]
pub enum Deployment {
    /// The vendor's API at list price.
    Api,
    /// Served on rented GPUs: an estimate from first principles (see `selfhost`).
    SelfHosted(Box<Estimate>),
}

impl Deployment {
    /// `"api"` or `"self-hosted"`, as JSON writes it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Deployment::Api => "api",
            Deployment::SelfHosted(_) => "self-hosted",
        }
    }
}

/// A model that does not qualify, with every reason.
#[derive(Debug, Clone, Serialize)]
pub struct Excluded {
    /// Model id.
    pub model: String,
    /// Every reason it fails.
    pub reasons: Vec<String>,
    /// Whether this is the self-hosted candidate of an open-weight model.
    pub self_hosted: bool,
    /// The accelerator, for a self-hosted candidate that failed on one.
    pub gpu: Option<String>,
}

/// The outcome of ranking a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Ranking {
    /// Scenario name.
    pub scenario: String,
    /// Currency of every amount.
    pub currency: Currency,
    /// Ordering used.
    pub objective: Objective,
    /// Qualifying models, in order (cut to `top` when set).
    pub ranked: Vec<Ranked>,
    /// Non-qualifying models.
    pub excluded: Vec<Excluded>,
    /// Qualifying models before `top` was applied.
    pub eligible: usize,
    /// When the budget excluded everything: the cheapest model otherwise eligible and its cost.
    pub cheapest_over_budget: Option<(String, Decimal)>,
}

/// Ranks every catalogued model against a scenario.
pub fn rank(scenario: &Scenario, catalogue: &Catalogue) -> Result<Ranking> {
    let fx = scenario.fx(catalogue);
    // Settings are counted over the models that meet the hard requirements: those are the
    // candidates whose scores will be compared.
    let failures: Vec<Vec<String>> = catalogue
        .models
        .iter()
        .map(|m| requirement_failures(scenario, m))
        .collect();
    let candidates = catalogue
        .models
        .iter()
        .zip(&failures)
        .filter(|(_, f)| f.is_empty())
        .map(|(m, _)| m);
    let scorer = Scorer::new(scenario, catalogue, candidates);

    let mut out = Placed::default();
    for (m, reasons) in catalogue.models.iter().zip(failures) {
        let open = reasons.is_empty() && m.open_weights;
        let cost = model_cost(scenario, m, &fx)?.map_err(|Unpriced::Reason(r)| r);
        place(
            scenario,
            &scorer,
            m,
            reasons,
            cost,
            Deployment::Api,
            &mut out,
        );
        // Self-hosted candidates share the hard requirements; a model that fails them is
        // already listed with its reasons.
        if let (true, Some(spec)) = (open, &scenario.selfhost) {
            selfhost_candidates(scenario, spec, catalogue, &scorer, &fx, m, &mut out)?;
        }
    }
    let Placed {
        mut ranked,
        mut excluded,
        mut over_budget,
    } = out;
    score_and_sort(&mut ranked, scenario.objective, scenario.points_per_tenfold);
    if scenario.has_routes() {
        // Workloads without a route run on the best single API model, so the routed row is "my
        // routes, and otherwise what this ranking would pick".
        let rest = crate::routed_rank::rest_model(scenario, &ranked, catalogue);
        match crate::routed_rank::mix_row(scenario, catalogue, &fx, &scorer, rest)? {
            Ok(row) => ranked.push(row),
            Err((ex, budget_only_cost)) => {
                if let Some(c) = budget_only_cost {
                    over_budget.push((ex.model.clone(), c));
                }
                excluded.push(ex);
            }
        }
        score_and_sort(&mut ranked, scenario.objective, scenario.points_per_tenfold);
    }
    let eligible = ranked.len();
    if let Some(top) = scenario.top {
        ranked.truncate(top);
    }
    let cheapest_over_budget = if eligible == 0 {
        over_budget.into_iter().min_by(|a, b| a.1.cmp(&b.1))
    } else {
        None
    };
    Ok(Ranking {
        scenario: scenario.name.clone(),
        currency: scenario.currency,
        objective: scenario.objective,
        ranked,
        excluded,
        eligible,
        cheapest_over_budget,
    })
}

/// The score floors a model fails: `min_scores`, and missing scores under `fit.missing = "exclude"`.
pub fn score_failures(scenario: &Scenario, scorer: &Scorer, m: &Model, f: &Fit) -> Vec<String> {
    let mut reasons = Vec::new();
    for (id, floor) in &scenario.requirements.min_scores {
        match scorer.observed(m, id) {
            Some(s) if s.value >= *floor => {}
            Some(s) => reasons.push(format!(
                "{id} {} ({}) is below the floor of {floor}",
                s.value.normalize(),
                s.setting
            )),
            None if scenario.requirements.allow_unscored => {}
            None => reasons.push(format!("no {id} score (min_scores requires {floor})")),
        }
    }
    if scenario.fit.missing == MissingPolicy::Exclude && !f.missing.is_empty() {
        reasons.push(format!(
            "no score for {} (fit.missing = \"exclude\")",
            f.missing.join(", ")
        ));
    }
    reasons
}

/// The `min_scores` benchmarks a model has no score for: kept but unverified when the scenario
/// sets `min_scores_missing = "allow"`.
pub fn unverified_floors(scenario: &Scenario, scorer: &Scorer, m: &Model) -> Vec<String> {
    scenario
        .requirements
        .min_scores
        .keys()
        .filter(|id| scorer.observed(m, id).is_none())
        .cloned()
        .collect()
}

/// Candidates sorted into those that qualify and those that do not.
#[derive(Default)]
struct Placed {
    ranked: Vec<Ranked>,
    excluded: Vec<Excluded>,
    over_budget: Vec<(String, Decimal)>,
}

/// Checks score floors, fit policy and budget for a candidate, adding to the `reasons` it already
/// fails, and files it as ranked or excluded. `cost` is the bill, or why there is none.
fn place(
    s: &Scenario,
    scorer: &Scorer,
    m: &Model,
    mut reasons: Vec<String>,
    cost: std::result::Result<ModelCost, String>,
    deployment: Deployment,
    out: &mut Placed,
) {
    let f = scorer.fit(m);
    reasons.extend(score_failures(s, scorer, m, &f));
    let cost = match cost {
        Ok(c) => Some(c),
        Err(r) => {
            reasons.push(r);
            None
        }
    };
    if let (Some(c), Some(max)) = (&cost, s.requirements.max_monthly_cost) {
        if c.monthly_cost > max {
            if reasons.is_empty() {
                out.over_budget.push((m.id.clone(), c.monthly_cost));
            }
            reasons.push(format!(
                "over budget: {} a month > {} max_monthly_cost",
                format_money(c.monthly_cost, s.currency),
                format_money(max, s.currency)
            ));
        }
    }
    match cost {
        Some(cost) if reasons.is_empty() => out.ranked.push(Ranked {
            rank: 0,
            model: m.id.clone(),
            vendor: m.vendor.clone(),
            name: m.name.clone(),
            monthly_cost: cost.monthly_cost,
            horizon_cost: cost.horizon_cost,
            fit: f.fit,
            balanced: None,
            pareto: false,
            fit_detail: f,
            cost,
            deployment,
            answered_by: Vec::new(),
            unverified: unverified_floors(s, scorer, m),
        }),
        _ => {
            let gpu = match &deployment {
                Deployment::SelfHosted(e) => Some(e.gpu.clone()),
                Deployment::Api => None,
            };
            out.excluded.push(Excluded {
                model: m.id.clone(),
                reasons,
                self_hosted: gpu.is_some(),
                gpu,
            });
        }
    }
}

/// The self-hosted candidates of one open-weight model: one per accelerator in `[selfhost]`.
fn selfhost_candidates(
    s: &Scenario,
    spec: &Selfhost,
    cat: &Catalogue,
    scorer: &Scorer,
    fx: &FxTable,
    m: &Model,
    out: &mut Placed,
) -> Result<()> {
    let excluded = |reason: String, gpu: Option<String>| Excluded {
        model: m.id.clone(),
        reasons: vec![reason],
        self_hosted: true,
        gpu,
    };
    if let Err(why) = Shape::from_model(m, spec.precision) {
        out.excluded.push(excluded(why, None));
        return Ok(());
    }
    for gpu in spec.gpus.iter().filter_map(|g| cat.hardware.get(g)) {
        match estimate(s, spec, m, gpu, cat, fx)? {
            Ok(e) => {
                let cost = e.cost.clone();
                let d = Deployment::SelfHosted(Box::new(e));
                place(s, scorer, m, Vec::new(), Ok(cost), d, out);
            }
            Err(why) => out.excluded.push(excluded(why, Some(gpu.id.clone()))),
        }
    }
    Ok(())
}

impl Ranking {
    /// Excluded models that fail exactly one check, for "what would it take" hints.
    pub fn near_misses(&self) -> Vec<&Excluded> {
        self.excluded
            .iter()
            .filter(|e| e.reasons.len() == 1)
            .collect()
    }
}

/// Fills in balanced scores and the Pareto flag, sorts by the objective and numbers the ranks.
/// `points_per_tenfold` is the balanced objective's exchange rate.
pub fn score_and_sort(ranked: &mut [Ranked], objective: Objective, points_per_tenfold: Decimal) {
    let cheapest = ranked
        .iter()
        .map(|r| r.monthly_cost)
        .filter(|c| *c > Decimal::ZERO)
        .min();
    for r in ranked.iter_mut() {
        r.balanced = r
            .fit
            .map(|f| (f + cost_score(r.monthly_cost, cheapest, points_per_tenfold)) / Decimal::TWO);
    }
    // A model is on the front when no other is at least as cheap and at least as fit, and
    // strictly better on one. A model without a fit is not on a cost–fit front at all.
    let flags: Vec<bool> = ranked
        .iter()
        .map(|p| {
            p.fit.is_some()
                && !ranked.iter().any(|q| {
                    q.monthly_cost <= p.monthly_cost
                        && q.fit >= p.fit
                        && (q.monthly_cost < p.monthly_cost || q.fit > p.fit)
                })
        })
        .collect();
    for (r, f) in ranked.iter_mut().zip(flags) {
        r.pareto = f;
    }
    ranked.sort_by(|a, b| compare(a, b, objective));
    for (i, r) in ranked.iter_mut().enumerate() {
        r.rank = i + 1;
    }
}

/// 100 − p × log10(cost ÷ cheapest), clamped to 0–100, rounded to six decimals (half to even),
/// for p = `points_per_tenfold` (1 to 100).
pub fn cost_score(
    cost: Decimal,
    cheapest: Option<Decimal>,
    points_per_tenfold: Decimal,
) -> Decimal {
    let Some(min) = cheapest else {
        return Decimal::ONE_HUNDRED;
    };
    if cost <= min {
        return Decimal::ONE_HUNDRED;
    }
    // A ratio too large to represent is more than 28 decades: the score is 0 either way.
    let Some(ratio) = cost.checked_div(min) else {
        return Decimal::ZERO;
    };
    if let Some(score) = score_from_float(ratio, points_per_tenfold) {
        return score;
    }
    exact_score(ratio, points_per_tenfold)
}

/// Distance, in millionths of a point, that a floating-point score must keep from a rounding
/// boundary (and from a whole millionth) to be used. Its error is below 1e-5 millionths: the
/// ratio and p are converted within a few parts in 1e16, the logarithm is good to an ulp, and
/// p × log10 is at most 100 × 28 points.
const SCORE_MARGIN: f64 = 1e-3;

/// The score from a floating-point logarithm, when no rounding can differ from [`exact_score`]'s:
/// the exact logarithm is a series in `Decimal`, most of the time `rank` spends. `None` near a
/// midpoint between millionths, near a whole millionth (where the exact score may carry fewer
/// decimals) and near the clamps; the exact path decides those. A property test holds the two
/// equal, digit for digit.
fn score_from_float(ratio: Decimal, points_per_tenfold: Decimal) -> Option<Decimal> {
    use rust_decimal::prelude::ToPrimitive;
    let p = points_per_tenfold.to_f64()?;
    let millionths = (100.0 - p * ratio.to_f64()?.log10()) * 1e6;
    if !(1.0..1e8 - 1.0).contains(&millionths) {
        return None;
    }
    let frac = millionths - millionths.floor();
    let clear = |lo: f64, hi: f64| frac > lo + SCORE_MARGIN && frac < hi - SCORE_MARGIN;
    if !clear(0.0, 0.5) && !clear(0.5, 1.0) {
        return None;
    }
    Some(Decimal::new(millionths.round() as i64, 6))
}

/// The score with `Decimal`'s own logarithm.
fn exact_score(ratio: Decimal, points_per_tenfold: Decimal) -> Decimal {
    let decades = ratio.checked_log10().unwrap_or(Decimal::ZERO);
    let lost = points_per_tenfold
        .checked_mul(decades)
        .unwrap_or(Decimal::ONE_HUNDRED);
    (Decimal::ONE_HUNDRED - lost)
        .clamp(Decimal::ZERO, Decimal::ONE_HUNDRED)
        .round_dp(6)
}

fn desc_opt(a: Option<Decimal>, b: Option<Decimal>) -> Ordering {
    match (a, b) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn compare(a: &Ranked, b: &Ranked, objective: Objective) -> Ordering {
    order(
        objective,
        (a.monthly_cost, a.fit, a.balanced, &a.model),
        (b.monthly_cost, b.fit, b.balanced, &b.model),
    )
}

/// The ranking order of two candidates given as (monthly cost, fit, balanced score, model id):
/// `Less` when `a` ranks first. `sweep` orders near-ties with it, so both agree to the last digit.
pub fn order(
    objective: Objective,
    a: (Decimal, Option<Decimal>, Option<Decimal>, &str),
    b: (Decimal, Option<Decimal>, Option<Decimal>, &str),
) -> Ordering {
    let by_cost = a.0.cmp(&b.0);
    let by_fit = desc_opt(a.1, b.1);
    let primary = match objective {
        Objective::Cheapest => by_cost.then(by_fit),
        Objective::BestFit => by_fit.then(by_cost),
        Objective::Balanced => desc_opt(a.2, b.2).then(by_fit).then(by_cost),
    };
    primary.then_with(|| a.3.cmp(b.3))
}

/// Every requirement a model fails before prices and scores are looked at.
pub fn requirement_failures(s: &Scenario, m: &Model) -> Vec<String> {
    let req = &s.requirements;
    let mut out = Vec::new();
    if !req.statuses.contains(&m.status) {
        out.push(m.status.exclusion_reason());
    }
    if !req.vendors.is_empty() && !req.vendors.contains(&m.vendor) {
        out.push(format!(
            "vendor `{}` is not in requirements.vendors",
            m.vendor
        ));
    }
    if req.exclude_vendors.contains(&m.vendor) {
        out.push(format!(
            "vendor `{}` is in requirements.exclude_vendors",
            m.vendor
        ));
    }
    if req.exclude_models.contains(&m.id) {
        out.push("listed in requirements.exclude_models".into());
    }
    let text_work = s.workloads.iter().any(|w| w.requests.is_some());
    let needed_ctx = s
        .workloads
        .iter()
        .filter(|w| w.requests.is_some())
        .map(|w| (w.context_tokens, w.name.as_str()))
        .max_by_key(|x| x.0);
    // One context reason, naming whichever need is larger: the workload's or the floor.
    let need = match (needed_ctx, req.min_context_tokens) {
        (Some((w, name)), Some(min)) if w > min => {
            Some((w, format!("needed by workload `{name}`")))
        }
        (_, Some(min)) => Some((min, "required by min_context_tokens".to_string())),
        (Some((w, name)), None) => Some((w, format!("needed by workload `{name}`"))),
        (None, None) => None,
    };
    if let Some((need, why)) = need {
        match m.context_window {
            Some(have) if have < need => out.push(format!(
                "context window {} tokens < {} {why}",
                grouped_int(Decimal::from(have)),
                grouped_int(Decimal::from(need))
            )),
            None => out.push("context window unknown".into()),
            _ => {}
        }
    }
    if let (Some(max_out), Some(w)) = (
        m.max_output_tokens,
        s.workloads
            .iter()
            .filter(|w| w.requests.is_some())
            .max_by_key(|w| w.output_tokens),
    ) {
        if max_out < w.output_tokens {
            out.push(format!(
                "max output {} tokens < {} wanted by workload `{}`",
                grouped_int(Decimal::from(max_out)),
                grouped_int(Decimal::from(w.output_tokens)),
                w.name
            ));
        }
    }
    let mut inputs: Vec<Modality> = req.modalities.clone();
    let mut outputs: Vec<Modality> = req.output_modalities.clone();
    if text_work {
        inputs.push(Modality::Text);
        outputs.push(Modality::Text);
    }
    if s.workloads.iter().any(|w| !w.images_per_month.is_zero()) {
        outputs.push(Modality::Image);
    }
    if s.workloads
        .iter()
        .any(|w| !w.video_seconds_per_month.is_zero())
    {
        outputs.push(Modality::Video);
    }
    inputs.sort();
    inputs.dedup();
    outputs.sort();
    outputs.dedup();
    for modality in inputs {
        if !m.reads(modality) {
            out.push(format!("does not accept {modality} input"));
        }
    }
    for modality in outputs {
        if !m.writes(modality) {
            out.push(format!("does not produce {modality} output"));
        }
    }
    for c in &req.capabilities {
        if !m.capabilities.contains(c) {
            out.push(format!("lacks capability `{c}`"));
        }
    }
    for l in &req.languages {
        if !m.languages.contains(l) {
            out.push(format!("does not list language `{l}`"));
        }
    }
    match req.open_weights {
        Some(true) if !m.open_weights => {
            out.push("weights are not open (requirements.open_weights = true)".into())
        }
        Some(false) if m.open_weights => {
            out.push("weights are open (requirements.open_weights = false)".into())
        }
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    const P25: Decimal = crate::scenario::DEFAULT_POINTS_PER_TENFOLD;

    #[test]
    fn cost_score_from_a_float_is_the_exact_score() {
        let d = |s: &str| Decimal::from_str_exact(s).unwrap();
        // Hand-computed: log10(3) = 0.47712125…, so 100 − 11.92803137… = 88.07196863… → 88.071969.
        assert_eq!(
            cost_score(d("300"), Some(d("100")), P25).to_string(),
            "88.071969"
        );
        assert_eq!(score_from_float(d("3"), P25), Some(d("88.071969")));
        // log10(7) gives 78.87254899964…: a hair from a whole millionth, so the exact path answers.
        assert_eq!(score_from_float(d("7"), P25), None);
        assert_eq!(
            cost_score(d("7"), Some(d("1")), P25).to_string(),
            "78.872549"
        );
        // Exactly 75: near a whole millionth, so the exact path answers, with its own digits.
        assert_eq!(score_from_float(d("10"), P25), None);
        assert_eq!(
            cost_score(d("10"), Some(d("1")), P25).to_string(),
            exact_score(d("10"), P25).to_string()
        );
    }

    proptest::proptest! {
        #[test]
        fn float_scores_round_as_exact_ones(
            extra in 1i64..1_000_000_000_000,
            extra_dp in 0u32..12,
            min in 1i64..1_000_000_000,
            min_dp in 0u32..8,
            // Exchange rates from 1 to 100, with up to two decimals.
            p in 100i64..=10_000,
        ) {
            let m = Decimal::new(min, min_dp);
            let ratio = (m + Decimal::new(extra, extra_dp)) / m;
            let p = Decimal::new(p, 2);
            if let Some(fast) = score_from_float(ratio, p) {
                let exact = exact_score(ratio, p);
                proptest::prop_assert_eq!(fast.to_string(), exact.to_string(), "ratio {}", ratio);
            }
        }
    }

    #[test]
    fn most_scores_take_the_float_path() {
        // The fast path must be the common one, or `rank` would not gain from it.
        let taken = (2..2000)
            .filter(|&i| score_from_float(Decimal::new(i, 1), P25).is_some())
            .count();
        assert!(taken > 1900, "{taken}");
    }

    #[test]
    fn cost_score_loses_25_points_per_decade() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(cost_score(d("100"), Some(d("100")), P25), d("100"));
        assert_eq!(cost_score(d("1000"), Some(d("100")), P25), d("75"));
        assert_eq!(cost_score(d("10000"), Some(d("100")), P25), d("50"));
        assert_eq!(cost_score(d("1e9"), Some(d("1")), P25), d("0"));
        assert_eq!(cost_score(Decimal::MAX, Some(d("1e-28")), P25), d("0"));
    }

    #[test]
    fn points_per_tenfold_sets_the_exchange_rate() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        // Ten times the cheapest: 100 − p × 1. A hundred times: 100 − p × 2, floored at 0.
        assert_eq!(cost_score(d("1000"), Some(d("100")), d("10")), d("90"));
        assert_eq!(cost_score(d("10000"), Some(d("100")), d("40")), d("20"));
        assert_eq!(cost_score(d("10000"), Some(d("100")), d("60")), d("0"));
        // 300 ÷ 100 = 3: 100 − 50 × 0.47712125… = 76.1439374… → 76.143937.
        assert_eq!(
            cost_score(d("300"), Some(d("100")), d("50")).to_string(),
            "76.143937"
        );
    }
}
