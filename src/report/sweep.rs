//! One row of `sweep --format jsonl` (and `--format json`, which writes the same lines): the
//! values of the varied paths at a grid point, the winner, its cost and fit, the runner-up and,
//! when the sweep has them, the horizon cost and the routed mix's cost and fit.
//!
//! A sweep streams its rows without building them: [`crate::sweep::sink`] writes each line
//! straight into a byte buffer, for speed. This type is the definition of a row; the fast writer
//! is held to it, byte for byte, by a property test on random rows (`sweep::row_proof`), and the
//! schema `llmplan schema sweep-output` is generated from it.
//!
//! Unlike the other documents, a row's keys keep the order of the fields below (the varied paths
//! first, in the order given), as sweeps have always written them.

use super::value::{Exact, Money, Score};
use crate::sweep::engine::{Engine, Row};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::ser::{Serialize, Serializer};
use std::collections::BTreeMap;

/// One JSON Lines row of `sweep`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, JsonSchema)]
pub struct SweepRow {
    /// The value of each varied path at this point, keyed by the path as given to `--vary`
    /// (`workload.chat.requests_per_day`, …).
    #[serde(flatten)]
    #[schemars(with = "BTreeMap<String, Exact>")]
    pub point: AxisValues,
    /// The winning candidate: a model id, `id (self-hosted)`, or a routed mix's name; null when
    /// no model qualifies.
    pub winner: Option<String>,
    /// The winner's monthly cost; null when nothing wins.
    pub monthly_cost: Option<Money>,
    /// The winner's fit, as `rank` computes it; null when it has none or nothing wins.
    pub fit: Option<Score>,
    /// `true` when the winner's fit includes estimated scores (imputed from the model's published
    /// ones, as `rank` marks them; tables print the fit with `~`); absent when it is measured
    /// throughout or there is no fit.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[schemars(with = "TrueOnly")]
    pub fit_estimated: bool,
    /// The runner-up; null when there is none.
    pub runner_up: Option<String>,
    /// The winner's cost over the horizon; present when a horizon path (`horizon_months`,
    /// `monthly_growth`) is varied, null when nothing wins.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Money>")]
    pub horizon_cost: Option<Option<Money>>,
    /// The routed mix's monthly cost, whether or not it wins or qualifies; present when the
    /// scenario has routes.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Money>")]
    pub mix_monthly_cost: Option<Option<Money>>,
    /// The mix's blended fit; present when the scenario has routes, null when it has none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Option<Score>")]
    pub mix_fit: Option<Option<Score>>,
}

impl SweepRow {
    /// The row at the grid point where the axes take `values`, from the engine's result there.
    pub fn of(e: &Engine, values: &[Decimal], row: &Row) -> SweepRow {
        let winner = row.winner.as_ref();
        let mix = row.mix.as_ref();
        SweepRow {
            point: AxisValues(
                e.setters
                    .iter()
                    .zip(values)
                    .map(|(s, &v)| (s.path.clone(), Exact::of(v)))
                    .collect(),
            ),
            winner: winner.map(|p| e.name(&p.who).to_string()),
            monthly_cost: winner.map(|p| Money::of(p.monthly)),
            fit: winner.and_then(|p| p.fit).map(Score::of),
            fit_estimated: winner.is_some_and(|p| p.fit.is_some() && e.fit_is_estimate(&p.who)),
            runner_up: row.runner_up.as_ref().map(|r| e.name(r).to_string()),
            horizon_cost: e.horizon.then(|| row.horizon.map(Money::of)),
            mix_monthly_cost: e.mix.then(|| mix.map(|m| Money::of(m.monthly_cost))),
            mix_fit: e.mix.then(|| mix.and_then(|m| m.fit).map(Score::of)),
        }
    }
}

/// The mark of an estimated fit in a row's schema: only ever `true`, since the key is left out
/// otherwise.
#[derive(JsonSchema)]
#[schemars(extend("const" = true))]
pub struct TrueOnly(pub bool);

/// The varied paths and their values at one point, in the order of `--vary`: flattened into the
/// row, one key per path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AxisValues(pub Vec<(String, Exact)>);

impl Serialize for AxisValues {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(path, value)| (path, value)))
    }
}
