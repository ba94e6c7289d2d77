//! The document `diff --format json` prints: each model's cost under both scenarios, the chosen
//! model's change per workload, and the CI gate's verdict.

use super::value::{Exact, Money};
use crate::money::Currency;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::Serialize;

/// `diff --format json`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffReport {
    /// Currency of every amount.
    pub currency: Currency,
    /// The base scenario and its winner.
    pub base: DiffSide,
    /// The new scenario and its winner.
    pub new: DiffSide,
    /// Whether the winner changes.
    pub winner_changed: bool,
    /// The chosen model's change, when both scenarios can price it.
    pub chosen: Option<DiffChosen>,
    /// Every model's cost under both scenarios.
    pub models: Vec<DiffModel>,
    /// The chosen model's change per workload.
    pub workloads: Vec<DiffWorkload>,
    /// The chosen-model spend and the gate's verdict.
    #[serde(flatten)]
    pub gate: DiffGate,
}

/// One scenario of the two.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffSide {
    /// Scenario name.
    pub scenario: String,
    /// Its best qualifying model; null when none qualifies.
    pub winner: Option<String>,
}

/// The chosen model under both scenarios.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffChosen {
    /// Model id.
    pub model: String,
    /// The model compared with: BASE's winner.
    pub compared_with: String,
    /// Its monthly cost under BASE.
    pub base_monthly: Money,
    /// Its monthly cost under NEW.
    pub new_monthly: Money,
    /// NEW − BASE, monthly.
    pub monthly_increase: Money,
    /// Its horizon cost under BASE.
    pub base_horizon: Money,
    /// Its horizon cost under NEW.
    pub new_horizon: Money,
    /// NEW − BASE, over the horizon.
    pub horizon_increase: Money,
}

/// One model under both scenarios; null where a scenario cannot price it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffModel {
    /// Model id.
    pub model: String,
    /// Whether it qualifies under BASE's requirements.
    pub qualifies_base: bool,
    /// Whether it qualifies under NEW's requirements.
    pub qualifies_new: bool,
    /// Its costs under both scenarios.
    #[serde(flatten)]
    pub costs: DiffAmounts,
}

/// One workload of the chosen model; null where a scenario does not have it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffWorkload {
    /// Workload name.
    pub name: String,
    /// Its costs under both scenarios.
    #[serde(flatten)]
    pub costs: DiffAmounts,
}

/// Monthly and horizon cost under BASE and NEW, and the change (NEW − BASE); each is null where a
/// scenario has no such cost.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffAmounts {
    /// Monthly cost under BASE.
    pub base_monthly: Option<Money>,
    /// Monthly cost under NEW.
    pub new_monthly: Option<Money>,
    /// NEW − BASE, monthly.
    pub monthly_change: Option<Money>,
    /// Horizon cost under BASE.
    pub base_horizon: Option<Money>,
    /// Horizon cost under NEW.
    pub new_horizon: Option<Money>,
    /// NEW − BASE, over the horizon.
    pub horizon_change: Option<Money>,
}

impl DiffAmounts {
    /// The amounts from the monthly and horizon costs under BASE and NEW.
    pub fn of(monthly: [Option<Decimal>; 2], horizon: [Option<Decimal>; 2]) -> DiffAmounts {
        let m = |v: Option<Decimal>| v.map(Money::of);
        let change = |[b, n]: [Option<Decimal>; 2]| Some(n? - b?);
        DiffAmounts {
            base_monthly: m(monthly[0]),
            new_monthly: m(monthly[1]),
            monthly_change: m(change(monthly)),
            base_horizon: m(horizon[0]),
            new_horizon: m(horizon[1]),
            horizon_change: m(change(horizon)),
        }
    }
}

/// The chosen-model spend before and after, the limits set and each gate's verdict.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffGate {
    /// BASE's winner.
    pub chosen_before: Option<String>,
    /// NEW's winner.
    pub chosen_after: Option<String>,
    /// Monthly spend on BASE's winner under BASE.
    pub monthly_before: Money,
    /// Monthly spend on NEW's winner under NEW.
    pub monthly_after: Money,
    /// After − before.
    pub monthly_change: Money,
    /// The change in percent; null when spend before is zero.
    pub monthly_change_percent: Option<Exact>,
    /// The change over the horizon.
    pub horizon_change: Money,
    /// `--fail-above`, when given.
    pub fail_above: Option<Money>,
    /// `--fail-above-percent`, when given.
    pub fail_above_percent: Option<Exact>,
    /// `--fail-if-monthly-above`, when given.
    pub fail_if_monthly_above: Option<Money>,
    /// Whether any gate is crossed (the exit code is then 1).
    pub failed: bool,
    /// Each gate given.
    pub gates: Vec<DiffGateCheck>,
}

/// One gate and its verdict.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DiffGateCheck {
    /// The flag that set it.
    pub flag: &'static str,
    /// Its limit.
    pub limit: Exact,
    /// Whether it is crossed.
    pub crossed: bool,
    /// The verdict, for people.
    pub message: String,
}
