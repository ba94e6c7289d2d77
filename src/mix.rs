//! The `mix` search: the cheapest route or cascade whose blended fit reaches a target.
//!
//! Every plan is applied to every workload of the scenario (routes written in the file are
//! ignored) and priced through [`crate::routed::plan_cost_each`], the same path as `cost` and
//! `rank`. A plan keeps its totals and each model's part of them, not its bill workload by
//! workload, and the routing is set on the scenario's own workloads while a plan is priced, so
//! that memory does not grow with workloads × plans.
//!
//! Why checking single models and pairs is an exact search over two- and three-model plans:
//!
//! - **Routes.** With shares s on the simplex, cost = Σ sₘ × Cₘ and fit = Σ sₘ × fₘ are both linear
//!   (every cost line is linear in the request count). Minimising a linear cost over the simplex
//!   cut by one linear constraint (fit ≥ F) is a linear programme; an optimum lies at a vertex of
//!   the feasible set, and such a vertex has at most two non-zero shares. For a pair with
//!   f_weak < F < f_strong the cheapest feasible share of the strong model is the smallest one,
//!   s = (F − f_weak) ÷ (f_strong − f_weak), whenever the strong model costs more (if it costs
//!   less, it alone is cheaper and is found as a single).
//! - **Cascades.** A cascade a → b → c with escalations e₁ ≥ e₂ costs Cₐ + e₁ × C_b + e₂ × C_c and
//!   has fit (1 − e₁) fₐ + (e₁ − e₂) f_b + e₂ f_c; again linear, over the triangle
//!   0 ≤ e₂ ≤ e₁ ≤ 1. Its vertices with fit = F lie on the edges e₂ = 0 (the cascade a → b),
//!   e₁ = e₂ (b is paid for but never answers: dearer than a → c) or e₁ = 1 (a is paid for but
//!   never answers: dearer than b → c). So two-model cascades are enough, with the same share.
//!
//! Shares are rounded *up* to [`SHARE_DP`] decimal places, so that the plan can be written in a
//! scenario file and still reaches F; its cost and fit are then computed exactly for that share.

use crate::catalogue::model::Model;
use crate::catalogue::Catalogue;
use crate::cost::{model_cost_each, ModelCost, Unpriced, WorkloadCost};
use crate::eligibility::{requirement_failures, score_failures};
use crate::error::{Error, Result};
use crate::fit::{Fit, Scorer};
use crate::ranking::Excluded;
use crate::reason::{Reason, ReasonCode};
use crate::routed::{blended_fit, plan_cost_each};
use crate::scenario::routing::{Cascade, RouteShare, Routing};
use crate::scenario::Scenario;
use rust_decimal::{Decimal, RoundingStrategy};

/// Decimal places kept in a searched share: 0.0001 is a hundredth of a percent.
pub const SHARE_DP: u32 = 4;

/// Which models the search may combine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pool {
    /// Every model that meets the scenario's requirements.
    All,
    /// The models of one family, such as `claude-3`.
    Family(String),
    /// These model ids.
    Models(Vec<String>),
}

/// A model the search may use, priced alone for the whole scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Model id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Its fit (the point estimate).
    pub fit: Decimal,
    /// Its monthly cost running every workload alone.
    pub monthly_cost: Decimal,
    /// How its fit was made: band, coverage, status.
    pub detail: Fit,
}

/// A plan the search priced.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// `"route"` or `"cascade"`; a single model is a route with one model at share 1.
    pub kind: &'static str,
    /// Model and share: for a route the share of requests it gets, strongest model first; for a
    /// cascade, in cascade order, the share of requests that reach it (1 for the first).
    pub plan: Vec<(String, Decimal)>,
    /// The routing applied to every workload; `None` for a single model.
    pub routing: Option<Routing>,
    /// Blended fit: Σ answer share × fit.
    pub fit: Decimal,
    /// The blend's band, coverage and status, weighted the same way.
    pub detail: Fit,
    /// The bill's totals (its `workloads` are not kept).
    pub cost: ModelCost,
    /// Each model's monthly cost over every workload, in the order first billed.
    pub leg_costs: LegCosts,
}

/// Each model of a plan with its monthly cost over every workload.
pub type LegCosts = Vec<(String, Decimal)>;

/// What the search found.
#[derive(Debug, Clone)]
pub struct MixResult {
    /// The fit to reach.
    pub target: Decimal,
    /// The models combined.
    pub candidates: Vec<Candidate>,
    /// Pool models left out, with reasons.
    pub excluded: Vec<Excluded>,
    /// The cheapest plan reaching the target, of any kind.
    pub best: Option<Plan>,
    /// The cheapest single model reaching the target.
    pub best_single: Option<Candidate>,
    /// The cheapest two-model route reaching the target.
    pub best_route: Option<Plan>,
    /// The cheapest cascade reaching the target.
    pub best_cascade: Option<Plan>,
    /// Whether the scenario had routes of its own, which the search ignores.
    pub routes_ignored: bool,
}

impl MixResult {
    /// The candidate with the highest fit: the best any plan can reach.
    pub fn best_fit(&self) -> Option<&Candidate> {
        self.candidates
            .iter()
            .max_by(|a, b| a.fit.cmp(&b.fit).then_with(|| b.id.cmp(&a.id)))
    }
}

/// Searches routes and cascades over the pool for the cheapest plan whose fit reaches `target`.
///
/// The routes written in `s` are ignored and removed: each plan's routing is set on every
/// workload while it is priced, and removed again.
pub fn search(
    s: &mut Scenario,
    cat: &Catalogue,
    pool: &Pool,
    target: Decimal,
) -> Result<MixResult> {
    if let Some(w) = s.workloads.iter().find(|w| w.is_media()) {
        return Err(Error::Usage(format!("mix routes requests between text models, but workload `{}` generates images or video; leave it out of this scenario", w.name)));
    }
    let routes_ignored = s.has_routes();
    for w in &mut s.workloads {
        w.routing = None;
    }
    let plain = s;
    let (candidates, excluded) = candidates(plain, cat, pool)?;
    let best_single = candidates
        .iter()
        .filter(|c| c.fit >= target)
        .min_by(|a, b| {
            a.monthly_cost
                .cmp(&b.monthly_cost)
                .then(b.fit.cmp(&a.fit))
                .then_with(|| a.id.cmp(&b.id))
        })
        .cloned();
    let mut best_route: Option<Plan> = None;
    let mut best_cascade: Option<Plan> = None;
    for (weak, strong) in pairs(&candidates, target) {
        let Some(share) = strong_share(weak.fit, strong.fit, target) else {
            continue;
        };
        let rest = Decimal::ONE - share;
        let route = Routing::Route(vec![
            RouteShare {
                model: strong.id.clone(),
                share,
            },
            RouteShare {
                model: weak.id.clone(),
                share: rest,
            },
        ]);
        let cascade = Routing::Cascade(Cascade {
            models: vec![weak.id.clone(), strong.id.clone()],
            escalation: vec![share],
            overhead_tokens: 0,
        });
        let fits = [(strong.id.clone(), share), (weak.id.clone(), rest)];
        let fit = blended_fit(&fits, |id| {
            if id == strong.id {
                Some(strong.fit)
            } else {
                Some(weak.fit)
            }
        })
        .unwrap_or_default();
        let detail = Fit::blend([(share, &strong.detail), (rest, &weak.detail)]);
        if let Some(p) = priced(
            plain,
            cat,
            "route",
            vec![(strong.id.clone(), share), (weak.id.clone(), rest)],
            route,
            (fit, detail.clone()),
        )? {
            keep_cheaper(&mut best_route, p);
        }
        if let Some(p) = priced(
            plain,
            cat,
            "cascade",
            vec![(weak.id.clone(), Decimal::ONE), (strong.id.clone(), share)],
            cascade,
            (fit, detail),
        )? {
            keep_cheaper(&mut best_cascade, p);
        }
    }
    let mut best = best_single
        .as_ref()
        .and_then(|c| single_plan(plain, cat, c).transpose())
        .transpose()?;
    for p in [&best_route, &best_cascade].into_iter().flatten() {
        keep_cheaper(&mut best, p.clone());
    }
    Ok(MixResult {
        target,
        candidates,
        excluded,
        best,
        best_single,
        best_route,
        best_cascade,
        routes_ignored,
    })
}

/// The smallest share of the strong model, rounded up to [`SHARE_DP`] places, whose blend
/// (1 − s) × f_weak + s × f_strong reaches `target`; `None` unless f_weak < target < f_strong
/// with a share below 1.
pub fn strong_share(f_weak: Decimal, f_strong: Decimal, target: Decimal) -> Option<Decimal> {
    if !(f_weak < target && target < f_strong) {
        return None;
    }
    let exact = (target - f_weak).checked_div(f_strong - f_weak)?;
    let step = Decimal::new(1, SHARE_DP);
    let mut s = exact.round_dp_with_strategy(SHARE_DP, RoundingStrategy::ToPositiveInfinity);
    // The quotient is itself rounded at 28 digits; one step up restores the guarantee if needed.
    if (Decimal::ONE - s) * f_weak + s * f_strong < target {
        s += step;
    }
    (s < Decimal::ONE).then_some(s)
}

/// Ordered pairs (weak, strong) whose fits straddle the target: the only pairs that can beat a
/// single model.
pub fn pairs(candidates: &[Candidate], target: Decimal) -> Vec<(&Candidate, &Candidate)> {
    let mut out = Vec::new();
    for weak in candidates.iter().filter(|c| c.fit < target) {
        for strong in candidates.iter().filter(|c| c.fit > target) {
            out.push((weak, strong));
        }
    }
    out
}

/// The pool's models that qualify, with fit and cost alone; the others with their reasons.
fn candidates(
    s: &Scenario,
    cat: &Catalogue,
    pool: &Pool,
) -> Result<(Vec<Candidate>, Vec<Excluded>)> {
    let members: Vec<&Model> = match pool {
        Pool::All => cat.models.iter().collect(),
        Pool::Family(f) => {
            let found: Vec<&Model> = cat
                .models
                .iter()
                .filter(|m| m.family.as_deref() == Some(f.as_str()))
                .collect();
            if found.is_empty() {
                let mut families: Vec<&str> = cat
                    .models
                    .iter()
                    .filter_map(|m| m.family.as_deref())
                    .collect();
                families.sort();
                families.dedup();
                let hint = crate::diag::did_you_mean(f, families.iter().copied())
                    .map(|x| format!("did you mean `{x}`? "))
                    .unwrap_or_default();
                return Err(Error::Usage(format!(
                    "no model has family `{f}`; {hint}families: {}",
                    families.join(", ")
                )));
            }
            found
        }
        Pool::Models(ids) => ids
            .iter()
            .map(|id| cat.find_model(id))
            .collect::<Result<_>>()?,
    };
    let passing: Vec<&Model> = cat
        .models
        .iter()
        .filter(|m| requirement_failures(s, m).is_empty())
        .collect();
    let scorer = Scorer::new(s, cat, passing.iter().copied());
    let fx = s.fx(cat);
    let (mut ok, mut excluded) = (Vec::new(), Vec::new());
    for m in members {
        let f = scorer.fit(m);
        let mut reasons = requirement_failures(s, m);
        reasons.extend(score_failures(s, &scorer, m, &f));
        if let (None, Some(why)) = (f.fit, &f.reason) {
            reasons.push(Reason::new(
                ReasonCode::NoFit,
                format!("no fit (insufficient data): {why}"),
            ));
        }
        let cost = match model_cost_each(s, m, &fx, &mut |_| {})? {
            Ok(c) => Some(c.monthly_cost),
            Err(Unpriced::Reason(r)) => {
                reasons.push(Reason::new(ReasonCode::Unpriced, r));
                None
            }
        };
        match (f.fit, cost) {
            (Some(fit), Some(monthly_cost)) if reasons.is_empty() => ok.push(Candidate {
                id: m.id.clone(),
                name: m.name.clone(),
                fit,
                monthly_cost,
                detail: f,
            }),
            _ => excluded.push(Excluded::new(m.id.clone(), reasons, false, None)),
        }
    }
    if ok.is_empty() {
        return Err(Error::Usage(format!(
            "none of the {} model(s) asked for qualifies for this scenario: {}",
            excluded.len(),
            excluded
                .iter()
                .map(|e| format!("{} ({})", e.model, e.reasons.join("; ")))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    Ok((ok, excluded))
}

/// Prices `routing` on every workload: set on each while it is priced, then removed.
fn priced(
    s: &mut Scenario,
    cat: &Catalogue,
    kind: &'static str,
    plan: Vec<(String, Decimal)>,
    routing: Routing,
    (fit, detail): (Decimal, Fit),
) -> Result<Option<Plan>> {
    for w in &mut s.workloads {
        w.routing = Some(Box::new(routing.clone()));
    }
    let priced = price(s, cat, None);
    for w in &mut s.workloads {
        w.routing = None;
    }
    Ok(priced?.map(|(cost, leg_costs)| Plan {
        kind,
        plan,
        routing: Some(routing),
        fit,
        detail,
        cost,
        leg_costs,
    }))
}

fn single_plan(s: &Scenario, cat: &Catalogue, c: &Candidate) -> Result<Option<Plan>> {
    let Some(m) = cat.model(&c.id) else {
        return Ok(None);
    };
    Ok(price(s, cat, Some(m))?.map(|(cost, leg_costs)| Plan {
        kind: "route",
        plan: vec![(c.id.clone(), Decimal::ONE)],
        routing: None,
        fit: c.fit,
        detail: c.detail.clone(),
        cost,
        leg_costs,
    }))
}

/// The bill's totals and each model's part of them, summed over the workloads' legs in workload
/// order; `None` when some part cannot be priced.
fn price(
    s: &Scenario,
    cat: &Catalogue,
    rest: Option<&Model>,
) -> Result<Option<(ModelCost, LegCosts)>> {
    let mut legs: LegCosts = Vec::new();
    let mut overflow = false;
    let mut add = |w: WorkloadCost| {
        for l in &w.route {
            let at = match legs.iter().position(|(id, _)| *id == l.model) {
                Some(i) => i,
                None => {
                    legs.push((l.model.clone(), Decimal::ZERO));
                    legs.len() - 1
                }
            };
            match legs[at].1.checked_add(l.cost) {
                Some(v) => legs[at].1 = v,
                None => overflow = true,
            }
        }
    };
    let cost = plan_cost_each(s, cat, &s.fx(cat), rest, &mut add)?;
    if overflow {
        return Err(Error::overflow("a model's part of a mix's monthly cost"));
    }
    Ok(cost.ok().map(|c| (c, legs)))
}

/// Keeps the cheaper plan; on a tie the one already kept (singles, then routes, then cascades are
/// offered in that order, so the simpler plan wins).
fn keep_cheaper(best: &mut Option<Plan>, p: Plan) {
    let better = match best {
        None => true,
        Some(b) => {
            p.cost.monthly_cost < b.cost.monthly_cost
                || (p.cost.monthly_cost == b.cost.monthly_cost && p.fit > b.fit)
        }
    };
    if better {
        *best = Some(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[track_caller]
    fn case(weak: &str, strong: &str, target: &str, expected: Option<&str>) {
        assert_eq!(
            strong_share(d(weak), d(strong), d(target)),
            expected.map(d),
            "{weak} {strong} {target}"
        );
    }

    #[test]
    fn strong_share_is_the_smallest_that_reaches_the_target() {
        // (84.45 − 80) ÷ (88.9 − 80) = 4.45 ÷ 8.9 = 0.5 exactly.
        case("80", "88.9", "84.45", Some("0.5"));
        // (81 − 80) ÷ 3 = 0.3333…, rounded up to 0.3334 (0.3333 would give 80.9999).
        case("80", "83", "81", Some("0.3334"));
        // Outside the open interval there is no mix to make.
        case("80", "88.9", "80", None);
        case("80", "88.9", "88.9", None);
        case("80", "88.9", "90", None);
        // Needing more than 0.9999 of the strong model means the strong model alone.
        case("0", "100", "99.99999", None);
    }

    fn linear_cost(c: &[(Decimal, Decimal)], shares: &[Decimal]) -> (Decimal, Decimal) {
        let fit = c.iter().zip(shares).map(|((f, _), s)| *f * *s).sum();
        let cost = c.iter().zip(shares).map(|((_, k), s)| *k * *s).sum();
        (fit, cost)
    }

    proptest! {
        /// No three-model route beats the best single model or pair the search tries: the
        /// linear-programming argument in the module doc, checked on random fits and costs.
        #[test]
        fn pairs_are_enough(
            fits in proptest::collection::vec(0u32..1000, 3),
            costs in proptest::collection::vec(1u32..1000, 3),
            target in 1u32..1000,
            w in proptest::collection::vec(0u32..=100, 3),
        ) {
            let cands: Vec<Candidate> = (0..3).map(|i| Candidate {
                id: format!("m{i}"), name: String::new(),
                fit: Decimal::new(fits[i] as i64, 1), monthly_cost: Decimal::from(costs[i]),
                detail: Fit::unknown(""),
            }).collect();
            let target = Decimal::new(target as i64, 1);
            let pc: Vec<(Decimal, Decimal)> = cands.iter().map(|c| (c.fit, c.monthly_cost)).collect();
            let mut best: Option<Decimal> = cands.iter().filter(|c| c.fit >= target).map(|c| c.monthly_cost).min();
            for (weak, strong) in pairs(&cands, target) {
                if let Some(s) = strong_share(weak.fit, strong.fit, target) {
                    let c = (Decimal::ONE - s) * weak.monthly_cost + s * strong.monthly_cost;
                    prop_assert!((Decimal::ONE - s) * weak.fit + s * strong.fit >= target);
                    best = Some(best.map_or(c, |b| b.min(c)));
                }
            }
            let total: u32 = w.iter().sum();
            prop_assume!(total > 0);
            let shares: Vec<Decimal> = w.iter().map(|x| Decimal::from(*x) / Decimal::from(total)).collect();
            let (fit3, cost3) = linear_cost(&pc, &shares);
            if fit3 >= target {
                let best = best.expect("a feasible three-model route implies a feasible single or pair");
                // The search rounds shares up by at most 0.0001, which costs at most 0.0001 × max cost.
                let slack = Decimal::new(1, SHARE_DP) * Decimal::from(*costs.iter().max().unwrap());
                prop_assert!(best <= cost3 + slack, "pair {best} > triple {cost3}");
            }
        }

        /// The rounded share reaches the target and one step less does not.
        #[test]
        fn strong_share_is_minimal(weak in 0u32..1000, gap in 1u32..1000, t in 1u32..1000) {
            let (fw, fs) = (Decimal::new(weak as i64, 1), Decimal::new((weak + gap) as i64, 1));
            let target = fw + (fs - fw) * Decimal::new(t as i64, 3);
            if let Some(s) = strong_share(fw, fs, target) {
                prop_assert!((Decimal::ONE - s) * fw + s * fs >= target);
                let less = s - Decimal::new(1, SHARE_DP);
                prop_assert!((Decimal::ONE - less) * fw + less * fs < target);
            }
        }
    }
}
