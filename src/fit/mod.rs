//! Fit: how well a model's benchmarks match what the scenario weighs, and how much of that is known.
//!
//! fit = Σ wᵢ × nᵢ ÷ Σ wᵢ, where nᵢ is the model's score on benchmark i normalised from chance (0)
//! to the best end of its scale (100) by the registry (see `Benchmark::normalise`).
//!
//! A weighted benchmark the model has no score for is, by `[fit] missing`:
//! - `impute` (the default): estimated from the model's observed scores on other benchmarks (see
//!   [`impute`]), marked as an estimate, with a standard error that widens the fit's band;
//! - `zero`: counted as 0, the chance level;
//! - `skip`: left out of both sums;
//! - `exclude`: the model is excluded (its fit is computed as for `skip`).
//!
//! Coverage is the weight of the benchmarks with an observed score over the total weight. A model
//! gets no fit at all (`insufficient_data`) when it has no observed score on any benchmark, when
//! its coverage is below `[fit] min_coverage`, or when nothing observed or imputed is left to
//! average: a number made only of zeros for missing scores is not a measurement.
//!
//! The band is about one standard error: fit ± Σ (wᵢ × seᵢ) ÷ Σ wᵢ over the imputed scores,
//! clamped to 0–100 (the errors of one model's estimates are taken as moving together, the
//! cautious reading). It is the fit itself when nothing is imputed.

pub mod accuracy;
pub mod factor;
pub mod impute;
pub mod settings;

pub use settings::SettingCounts;

use crate::catalogue::model::Model;
use crate::catalogue::registry::{Benchmark, Registry};
use crate::catalogue::Catalogue;
use crate::scenario::custom;
use crate::scenario::raw::MissingPolicy;
use crate::scenario::{FitSpec, Scenario};
use impute::Imputer;
use rust_decimal::Decimal;
use serde::Serialize;
use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// How a fit was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FitStatus {
    /// Every score in it was observed.
    Observed,
    /// Some scores in it are estimates.
    PartlyImputed,
    /// Every score in it is an estimate.
    Imputed,
    /// Too little is known for a fit.
    InsufficientData,
}

impl FitStatus {
    /// As JSON writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            FitStatus::Observed => "observed",
            FitStatus::PartlyImputed => "partly_imputed",
            FitStatus::Imputed => "imputed",
            FitStatus::InsufficientData => "insufficient_data",
        }
    }

    /// Whether any score in the fit is an estimate.
    pub fn is_estimate(self) -> bool {
        matches!(self, FitStatus::PartlyImputed | FitStatus::Imputed)
    }
}

/// One benchmark's contribution to a fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsedScore {
    /// Benchmark id.
    pub benchmark: String,
    /// Setting used; `None` for an estimate.
    pub setting: Option<String>,
    /// Value on the benchmark's own scale (an estimate's is converted back from `normalised`).
    pub value: Decimal,
    /// Value on 0–100, from chance.
    pub normalised: Decimal,
    /// About one standard error below and above `normalised`; both equal it when observed.
    pub low: Decimal,
    /// See `low`.
    pub high: Decimal,
    /// Weight.
    pub weight: Decimal,
    /// Where the value was read, or how it was estimated.
    pub source: String,
    /// An estimate, not a published score.
    pub imputed: bool,
    /// No other setting of the benchmark is shared by more candidates (always true for an
    /// estimate, which is made on the candidates' common footing).
    pub setting_majority: bool,
}

/// A model's fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// 0–100, or none when too little is known.
    pub fit: Option<Decimal>,
    /// About one standard error below the fit; the fit itself when nothing is imputed.
    pub low: Option<Decimal>,
    /// About one standard error above the fit.
    pub high: Option<Decimal>,
    /// Weight of the benchmarks with an observed score ÷ total weight, 0–1.
    pub coverage: Decimal,
    /// How the fit was made.
    pub status: FitStatus,
    /// The scores used, observed and estimated, in weight-table order.
    pub used: Vec<UsedScore>,
    /// Weighted benchmarks the model has no observed score for.
    pub missing: Vec<String>,
    /// Weighted benchmarks that could not be estimated (fewer than
    /// [`factor::MIN_REPORTING`] models have a score for them), left out.
    pub unimputable: Vec<String>,
    /// Why there is no fit.
    pub reason: Option<String>,
}

impl Fit {
    /// A fit that is not known, for `reason`.
    pub fn unknown(reason: impl Into<String>) -> Fit {
        Fit {
            fit: None,
            low: None,
            high: None,
            coverage: Decimal::ZERO,
            status: FitStatus::InsufficientData,
            used: Vec::new(),
            missing: Vec::new(),
            unimputable: Vec::new(),
            reason: Some(reason.into()),
        }
    }

    /// The share-weighted blend of several models' fits (a route or cascade: Σ share × fit, and
    /// the same for the band and the coverage); unknown if any part is.
    pub fn blend<'f>(parts: impl IntoIterator<Item = (Decimal, &'f Fit)>) -> Fit {
        let (mut fit, mut low, mut high, mut coverage) =
            (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        let (mut any_estimate, mut all_estimate, mut any) = (false, true, false);
        let mut missing: Vec<String> = Vec::new();
        for (share, f) in parts {
            let (Some(v), Some(l), Some(h)) = (f.fit, f.low, f.high) else {
                return Fit::unknown(
                    f.reason
                        .clone()
                        .unwrap_or_else(|| "a model in the mix has no fit".into()),
                );
            };
            any = true;
            fit += share * v;
            low += share * l;
            high += share * h;
            coverage += share * f.coverage;
            any_estimate |= f.status.is_estimate();
            all_estimate &= f.status == FitStatus::Imputed;
            missing.extend(f.missing.iter().cloned());
        }
        missing.sort();
        missing.dedup();
        let status = match (any, any_estimate, all_estimate) {
            (false, _, _) => return Fit::unknown("nothing answers"),
            (_, false, _) => FitStatus::Observed,
            (_, true, true) => FitStatus::Imputed,
            (_, true, false) => FitStatus::PartlyImputed,
        };
        Fit {
            fit: Some(fit),
            low: Some(low),
            high: Some(high),
            coverage,
            status,
            used: Vec::new(),
            missing,
            unimputable: Vec::new(),
            reason: None,
        }
    }
}

/// A score a model has on the record: published, or from the scenario's own eval.
#[derive(Debug, Clone, Copy)]
pub struct Observed<'a> {
    /// On the benchmark's own scale.
    pub value: Decimal,
    /// The setting it was measured at.
    pub setting: &'a str,
    /// Where it was read.
    pub source: &'a str,
}

/// Scores every candidate of one ranking on the same footing: the same benchmark settings and,
/// under `missing = "impute"`, the same fitted table of the whole catalogue.
pub struct Scorer<'a> {
    spec: &'a FitSpec,
    registry: &'a Registry,
    models: &'a [Model],
    counts: SettingCounts<'a>,
    imputer: OnceCell<Arc<Imputer>>,
}

impl<'a> Scorer<'a> {
    /// Settings are counted over `candidates`, the models that meet the scenario's hard
    /// requirements, whose scores will be compared, for the benchmarks the scenario weighs or
    /// floors.
    pub fn new(
        scenario: &'a Scenario,
        catalogue: &'a Catalogue,
        candidates: impl IntoIterator<Item = &'a Model>,
    ) -> Scorer<'a> {
        let mut benches: BTreeSet<&str> = scenario.fit.weights.keys().map(String::as_str).collect();
        benches.extend(scenario.requirements.min_scores.keys().map(String::as_str));
        Scorer {
            spec: &scenario.fit,
            registry: &catalogue.registry,
            models: &catalogue.models,
            counts: SettingCounts::for_benchmarks(candidates, &benches),
            imputer: OnceCell::new(),
        }
    }

    /// A registry benchmark or one of the scenario's own evals.
    pub fn benchmark(&self, id: &str) -> Option<&'a Benchmark> {
        self.registry
            .get(id)
            .or_else(|| self.spec.custom.get(id).map(|c| &c.benchmark))
    }

    /// The model's score on a benchmark, at the setting the candidates share most.
    pub fn observed<'m>(&'m self, m: &'m Model, id: &str) -> Option<Observed<'m>> {
        if let Some(c) = self.spec.custom.get(id) {
            return c.scores.get(&m.id).map(|s| Observed {
                value: s.value,
                setting: custom::SETTING,
                source: &s.source,
            });
        }
        self.counts.pick(m, id).map(|s| Observed {
            value: s.value,
            setting: &s.setting,
            source: &s.source,
        })
    }

    /// Whether the model has any observed score at all: in the catalogue or in a custom eval.
    pub fn has_any_score(&self, m: &Model) -> bool {
        !m.benchmarks.is_empty()
            || self
                .spec
                .custom
                .values()
                .any(|c| c.scores.contains_key(&m.id))
    }

    fn imputer(&self) -> &Imputer {
        self.imputer
            .get_or_init(|| impute::shared(self.models, self.registry, &self.spec.custom))
    }

    /// Scores a model.
    pub fn fit(&self, m: &Model) -> Fit {
        if self.spec.weights.is_empty() {
            return Fit::unknown("no benchmark is weighted");
        }
        if !self.has_any_score(m) {
            return Fit {
                missing: self.spec.weights.keys().cloned().collect(),
                ..Fit::unknown(
                    "no published score on any benchmark in the catalogue, so its fit cannot be estimated",
                )
            };
        }
        let mut f = Fit::unknown("");
        let (mut num, mut den, mut observed_w, mut total_w, mut se_w) = (
            Decimal::ZERO,
            Decimal::ZERO,
            Decimal::ZERO,
            Decimal::ZERO,
            Decimal::ZERO,
        );
        let (mut n_observed, mut n_imputed) = (0, 0);
        for (id, &w) in &self.spec.weights {
            let Some(bench) = self.benchmark(id) else {
                continue;
            };
            total_w += w;
            if let Some(o) = self.observed(m, id) {
                let n = bench.normalise(o.value);
                num += w * n;
                den += w;
                observed_w += w;
                n_observed += 1;
                f.used.push(UsedScore {
                    benchmark: id.clone(),
                    setting: Some(o.setting.to_string()),
                    value: o.value,
                    normalised: n,
                    low: n,
                    high: n,
                    weight: w,
                    source: o.source.to_string(),
                    imputed: false,
                    setting_majority: self.spec.custom.contains_key(id)
                        || self.counts.is_majority(id, o.setting),
                });
                continue;
            }
            f.missing.push(id.clone());
            match self.spec.missing {
                MissingPolicy::Zero => den += w,
                MissingPolicy::Skip | MissingPolicy::Exclude => {}
                MissingPolicy::Impute => match self.estimate(m, bench, w) {
                    Some((used, se)) => {
                        num += w * used.normalised;
                        den += w;
                        se_w += w * se;
                        n_imputed += 1;
                        f.used.push(used);
                    }
                    None => f.unimputable.push(id.clone()),
                },
            }
        }
        f.coverage = if total_w.is_zero() {
            Decimal::ZERO
        } else {
            observed_w / total_w
        };
        f.reason = if f.coverage < self.spec.min_coverage {
            Some(format!(
                "coverage {} is below min_coverage {}",
                percent(f.coverage),
                percent(self.spec.min_coverage)
            ))
        } else if den.is_zero() || n_observed + n_imputed == 0 {
            Some(if f.unimputable.is_empty() {
                "no weighted benchmark has an observed or estimated score".to_string()
            } else {
                format!(
                    "no observed score on the weighted benchmarks, and {} cannot be estimated",
                    f.unimputable.join(", ")
                )
            })
        } else {
            None
        };
        if f.reason.is_some() {
            f.status = FitStatus::InsufficientData;
            return f;
        }
        let fit = num / den;
        let spread = se_w / den;
        f.fit = Some(fit);
        f.low = Some((fit - spread).max(Decimal::ZERO));
        f.high = Some((fit + spread).min(Decimal::ONE_HUNDRED));
        f.status = match (n_observed, n_imputed) {
            (_, 0) => FitStatus::Observed,
            (0, _) => FitStatus::Imputed,
            _ => FitStatus::PartlyImputed,
        };
        f
    }

    /// An estimated score for a weighted benchmark, and its standard error, or `None` when it
    /// cannot be estimated.
    fn estimate(
        &self,
        m: &Model,
        bench: &Benchmark,
        weight: Decimal,
    ) -> Option<(UsedScore, Decimal)> {
        let e = self.imputer().estimate(&m.id, &bench.id)?;
        let (mean, se) = (
            impute::to_decimal(e.mean.clamp(0.0, 100.0))?,
            impute::to_decimal(e.se)?,
        );
        let value = bench.denormalise(mean)?.round_dp(4);
        let used = UsedScore {
            benchmark: bench.id.clone(),
            setting: None,
            value,
            normalised: mean,
            low: (mean - se).max(Decimal::ZERO),
            high: (mean + se).min(Decimal::ONE_HUNDRED),
            weight,
            source: format!(
                "estimate: one-factor model of the catalogue's scores, standard error {} points",
                se.normalize()
            ),
            imputed: true,
            setting_majority: true,
        };
        Some((used, se))
    }
}

/// A share as a whole percentage, for messages: 0.6667 → "67%".
fn percent(share: Decimal) -> String {
    format!(
        "{}%",
        (share * Decimal::ONE_HUNDRED).round_dp(0).normalize()
    )
}

/// The scores a model has for the benchmarks `ids`, for a scenario without candidates (`show`):
/// estimates of the ones it lacks, each with its standard error in normalised points.
pub fn estimates_for<'a>(
    catalogue: &'a Catalogue,
    m: &'a Model,
    ids: &[&str],
) -> Vec<(&'a Benchmark, Decimal, Decimal)> {
    let imputer = impute::shared(&catalogue.models, &catalogue.registry, &BTreeMap::new());
    ids.iter()
        .filter(|id| !m.benchmarks.iter().any(|b| b.id == **id))
        .filter_map(|id| {
            let b = catalogue.registry.get(id)?;
            let e = imputer.estimate(&m.id, id)?;
            Some((
                b,
                impute::to_decimal(e.mean.clamp(0.0, 100.0))?,
                impute::to_decimal(e.se)?,
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::model::Score;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    /// (benchmark, setting, value).
    type Cell<'a> = (&'a str, &'a str, &'a str);

    /// A catalogue of the given models, each with its scores, and the embedded registry.
    fn catalogue(models: &[(&str, &[Cell])]) -> Catalogue {
        let mut cat = Catalogue::embedded().unwrap();
        let template = cat.models[0].clone();
        cat.models = models
            .iter()
            .map(|(id, scores)| {
                let mut m = template.clone();
                m.id = id.to_string();
                m.benchmarks = scores
                    .iter()
                    .map(|(b, setting, v)| Score {
                        id: b.to_string(),
                        setting: setting.to_string(),
                        value: d(v),
                        source: "t".into(),
                        inherited_from: None,
                    })
                    .collect();
                m
            })
            .collect();
        cat
    }

    fn scenario(weights: &[(&str, &str)], missing: MissingPolicy) -> Scenario {
        let cat = Catalogue::embedded().unwrap();
        let mut s = Scenario::from_source(
            &crate::source::SourceFile {
                name: "t.toml".into(),
                text: "name = \"t\"\n[[workload]]\nname = \"w\"\nrequests_per_day = 1\ninput_tokens = 1\noutput_tokens = 1\n".into(),
            },
            &cat,
        )
        .unwrap();
        s.fit.weights = weights.iter().map(|(k, v)| (k.to_string(), d(v))).collect();
        s.fit.missing = missing;
        s
    }

    fn fit_of(cat: &Catalogue, s: &Scenario, id: &str) -> Fit {
        let scorer = Scorer::new(s, cat, &cat.models);
        scorer.fit(cat.models.iter().find(|m| m.id == id).unwrap())
    }

    #[test]
    fn weighted_mean_of_chance_normalised_scores() {
        // mmlu 80 → 100 × (80 − 25) ÷ 75 = 73.33…, weight 1; mt_bench 9 → 100 × (9 − 1) ÷ 9 =
        // 88.88…, weight 3: (73.33… + 266.66…) ÷ 4 = 85.
        let cat = catalogue(&[("v/a", &[("mmlu", "5-shot", "80"), ("mt_bench", "x", "9")])]);
        let s = scenario(&[("mmlu", "1"), ("mt_bench", "3")], MissingPolicy::Zero);
        let f = fit_of(&cat, &s, "v/a");
        assert_eq!(f.fit.unwrap().round_dp(10), d("85"));
        assert_eq!(f.status, FitStatus::Observed);
        assert_eq!(f.coverage, Decimal::ONE);
        assert_eq!((f.low, f.high), (f.fit, f.fit), "no band without estimates");
    }

    #[test]
    fn missing_scores_follow_the_policy() {
        // humaneval 80 (chance 0 → 80) observed; gsm8k missing.
        let cat = catalogue(&[("v/a", &[("humaneval", "0-shot", "80")])]);
        let both = [("humaneval", "1"), ("gsm8k", "1")];
        let zero = fit_of(&cat, &scenario(&both, MissingPolicy::Zero), "v/a");
        assert_eq!(zero.fit, Some(d("40")));
        assert_eq!(zero.coverage, d("0.5"));
        assert_eq!(zero.status, FitStatus::Observed);
        let skip = fit_of(&cat, &scenario(&both, MissingPolicy::Skip), "v/a");
        assert_eq!(skip.fit, Some(d("80")));
        assert_eq!(skip.missing, vec!["gsm8k".to_string()]);
        // Nobody has gsm8k: it cannot be estimated, so it is left out and said so.
        let impute = fit_of(&cat, &scenario(&both, MissingPolicy::Impute), "v/a");
        assert_eq!(impute.fit, Some(d("80")));
        assert_eq!(impute.unimputable, vec!["gsm8k".to_string()]);
    }

    #[test]
    fn no_number_without_evidence() {
        let cat = catalogue(&[
            ("v/none", &[]),
            ("v/other", &[("mt_bench", "x", "8")]),
            (
                "v/has",
                &[("humaneval", "0-shot", "60"), ("mt_bench", "x", "7")],
            ),
            (
                "v/more",
                &[("humaneval", "0-shot", "40"), ("mt_bench", "x", "6")],
            ),
        ]);
        let s = scenario(&[("humaneval", "1")], MissingPolicy::Zero);
        // No score on any benchmark: no fit, whatever the policy.
        let none = fit_of(&cat, &s, "v/none");
        assert_eq!((none.fit, none.status), (None, FitStatus::InsufficientData));
        // Scores elsewhere but coverage 0 under "zero": a 0 made of missing scores is no fit.
        let other = fit_of(&cat, &s, "v/other");
        assert_eq!(other.fit, None);
        // Imputed instead, it has a fit: an estimate with a band.
        let s = scenario(&[("humaneval", "1")], MissingPolicy::Impute);
        let other = fit_of(&cat, &s, "v/other");
        assert_eq!(other.status, FitStatus::Imputed);
        assert_eq!(other.coverage, Decimal::ZERO);
        assert!(other.low.unwrap() < other.fit.unwrap());
        assert!(other.used[0].imputed && other.used[0].setting.is_none());
    }

    #[test]
    fn a_benchmark_one_model_reports_is_not_estimated() {
        let one = catalogue(&[
            (
                "v/a",
                &[("humaneval", "0-shot", "60"), ("mt_bench", "x", "7")],
            ),
            ("v/b", &[("mt_bench", "x", "8")]),
        ]);
        let s = scenario(&[("humaneval", "1")], MissingPolicy::Impute);
        // One reporter: every model would get v/a's 60, whatever its ability. No fit instead.
        let b = fit_of(&one, &s, "v/b");
        assert_eq!((b.fit, b.status), (None, FitStatus::InsufficientData));
        assert_eq!(b.unimputable, vec!["humaneval".to_string()]);
        assert_eq!(
            b.reason.as_deref(),
            Some("no observed score on the weighted benchmarks, and humaneval cannot be estimated")
        );
        // A second reporter gives the benchmark a line to learn.
        let two = catalogue(&[
            (
                "v/a",
                &[("humaneval", "0-shot", "60"), ("mt_bench", "x", "7")],
            ),
            ("v/b", &[("mt_bench", "x", "8")]),
            (
                "v/c",
                &[("humaneval", "0-shot", "40"), ("mt_bench", "x", "6")],
            ),
        ]);
        assert_eq!(fit_of(&two, &s, "v/b").status, FitStatus::Imputed);
    }

    #[test]
    fn min_coverage_withholds_the_fit() {
        let cat = catalogue(&[
            ("v/a", &[("humaneval", "0-shot", "60")]),
            (
                "v/b",
                &[("humaneval", "0-shot", "70"), ("gsm8k", "0-shot", "80")],
            ),
        ]);
        let mut s = scenario(&[("humaneval", "1"), ("gsm8k", "2")], MissingPolicy::Impute);
        s.fit.min_coverage = d("0.5");
        // v/a: coverage 1 ÷ 3 < 0.5.
        let a = fit_of(&cat, &s, "v/a");
        assert_eq!(a.fit, None);
        assert_eq!(
            a.reason.as_deref(),
            Some("coverage 33% is below min_coverage 50%")
        );
        assert!(fit_of(&cat, &s, "v/b").fit.is_some());
    }

    #[test]
    fn blends_share_weighted() {
        let f = |v: &str, l: &str, h: &str, status| Fit {
            fit: Some(d(v)),
            low: Some(d(l)),
            high: Some(d(h)),
            coverage: if status == FitStatus::Observed {
                Decimal::ONE
            } else {
                Decimal::ZERO
            },
            status,
            ..Fit::unknown("")
        };
        let a = f("80", "80", "80", FitStatus::Observed);
        let b = f("60", "50", "70", FitStatus::Imputed);
        // 0.75 × 80 + 0.25 × 60 = 75; low 0.75 × 80 + 0.25 × 50 = 72.5; coverage 0.75.
        let m = Fit::blend([(d("0.75"), &a), (d("0.25"), &b)]);
        assert_eq!(
            (m.fit, m.low, m.high),
            (Some(d("75")), Some(d("72.5")), Some(d("77.5")))
        );
        assert_eq!(
            (m.coverage, m.status),
            (d("0.75"), FitStatus::PartlyImputed)
        );
        let unknown = Fit::unknown("no score");
        assert_eq!(Fit::blend([(d("0.5"), &a), (d("0.5"), &unknown)]).fit, None);
    }
}
