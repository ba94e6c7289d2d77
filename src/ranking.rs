//! What a ranking is made of: the rows of qualifying candidates, the excluded models with their
//! reasons, and the ranking as a whole. [`crate::rank`] builds it for single models and
//! [`crate::routed_rank`] adds the routed candidate; both build the same rows from here, below them.

use crate::cost::ModelCost;
use crate::fit::Fit;
use crate::money::Currency;
use crate::reason::{Reason, ReasonCode};
use crate::scenario::raw::Objective;
use crate::selfhost::fleet::{Considered, Estimate};
use rust_decimal::Decimal;
use serde::Serialize;

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
    /// The bill; a ranking that keeps only totals leaves an API row's `workloads` empty
    /// ([`crate::rank::Bills`]), and a self-hosted or routed row's is always empty: it is made
    /// again when needed ([`crate::rank::bills_again`]).
    pub cost: ModelCost,
    /// The bill's price basis and token total, whether or not its workloads were kept.
    #[serde(skip)]
    pub summary: crate::bill_summary::BillSummary,
    /// Bought through an API, or served on rented GPUs (an estimate).
    pub deployment: Deployment,
    /// For a routed candidate, which models give the final answers; empty for a single model.
    pub answered_by: Vec<Answer>,
    /// For a routed candidate, the single model that serves the workloads without a route; `None`
    /// when every workload is routed, and for a single model.
    pub rest: Option<String>,
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
    /// The code of each reason, parallel to `reasons`.
    pub reason_codes: Vec<ReasonCode>,
    /// Whether this is the self-hosted candidate of an open-weight model.
    pub self_hosted: bool,
    /// The accelerator, for a self-hosted candidate that failed on one.
    pub gpu: Option<String>,
}

impl Excluded {
    /// An excluded model; `reasons` and `reason_codes` are filled from the same list, so they
    /// stay parallel.
    pub fn new(
        model: String,
        reasons: Vec<Reason>,
        self_hosted: bool,
        gpu: Option<String>,
    ) -> Excluded {
        Excluded {
            model,
            reason_codes: reasons.iter().map(|r| r.code).collect(),
            reasons: reasons.into_iter().map(|r| r.text).collect(),
            self_hosted,
            gpu,
        }
    }
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
    /// Every self-hosted configuration tried, with its cost or why it cannot serve.
    pub selfhost_configurations: Vec<Considered>,
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
