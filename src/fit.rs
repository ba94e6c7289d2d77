//! Fit: how well a model's published benchmarks match what the scenario weighs.
//!
//! fit = Σ wᵢ × nᵢ ÷ Σ wᵢ, where nᵢ is the model's score on benchmark i normalised to 0–100 by the
//! registry (see `Benchmark::normalise`). A benchmark the model has no score for counts as 0
//! (`missing = "zero"`, the default), is left out of both sums (`"skip"`), or excludes the model
//! (`"exclude"`).
//!
//! A model may have one benchmark under several settings (GPT-4 MMLU at CoT@32 and at 5-shot). The
//! setting used is the one most candidates share, so that models are compared like with like; the
//! output always says which setting was used.

use crate::catalogue::model::{Model, Score};
use crate::catalogue::registry::Registry;
use crate::scenario::raw::MissingPolicy;
use crate::scenario::FitSpec;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How many candidates report each setting of each benchmark.
#[derive(Debug, Clone, Default)]
pub struct SettingCounts(BTreeMap<String, BTreeMap<String, usize>>);

impl SettingCounts {
    /// Counts settings over the candidate models for the given benchmarks.
    pub fn from_models<'a>(
        models: impl IntoIterator<Item = &'a Model>,
        benchmarks: &BTreeSet<&str>,
    ) -> SettingCounts {
        let mut counts: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for m in models {
            let mut seen = BTreeSet::new();
            for s in m
                .benchmarks
                .iter()
                .filter(|s| benchmarks.contains(s.id.as_str()))
            {
                if seen.insert((s.id.as_str(), s.setting.as_str())) {
                    *counts
                        .entry(s.id.clone())
                        .or_default()
                        .entry(s.setting.clone())
                        .or_default() += 1;
                }
            }
        }
        SettingCounts(counts)
    }

    /// The model's score for a benchmark under the most widely shared setting it has.
    pub fn pick<'m>(&self, model: &'m Model, benchmark: &str) -> Option<&'m Score> {
        let counts = self.0.get(benchmark);
        let mut best: Option<(&Score, usize)> = None;
        for s in model.benchmarks.iter().filter(|s| s.id == benchmark) {
            let n = counts.and_then(|c| c.get(&s.setting)).copied().unwrap_or(0);
            if best.is_none_or(|(_, bn)| n > bn) {
                best = Some((s, n));
            }
        }
        best.map(|(s, _)| s)
    }
}

/// One benchmark's contribution to a fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UsedScore {
    /// Benchmark id.
    pub benchmark: String,
    /// Setting used.
    pub setting: String,
    /// Value on the source's scale.
    pub value: Decimal,
    /// Value on 0–100.
    pub normalised: Decimal,
    /// Weight.
    pub weight: Decimal,
    /// Where the value was read.
    pub source: String,
}

/// A model's fit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fit {
    /// 0–100, or none when no weighted benchmark could be scored.
    pub fit: Option<Decimal>,
    /// The scores used.
    pub used: Vec<UsedScore>,
    /// Weighted benchmarks the model has no score for.
    pub missing: Vec<String>,
}

/// Scores a model.
pub fn fit(model: &Model, spec: &FitSpec, registry: &Registry, counts: &SettingCounts) -> Fit {
    let mut used = Vec::new();
    let mut missing = Vec::new();
    let (mut num, mut den) = (Decimal::ZERO, Decimal::ZERO);
    for (id, &w) in &spec.weights {
        let Some(bench) = registry.get(id) else {
            continue;
        };
        match counts.pick(model, id) {
            Some(s) => {
                let n = bench.normalise(s.value);
                num += w * n;
                den += w;
                used.push(UsedScore {
                    benchmark: id.clone(),
                    setting: s.setting.clone(),
                    value: s.value,
                    normalised: n,
                    weight: w,
                    source: s.source.clone(),
                });
            }
            None => {
                missing.push(id.clone());
                if spec.missing == MissingPolicy::Zero {
                    den += w;
                }
            }
        }
    }
    let fit = if den.is_zero() || (used.is_empty() && spec.missing != MissingPolicy::Zero) {
        None
    } else {
        Some(num / den)
    };
    Fit { fit, used, missing }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use std::str::FromStr;

    fn spec(weights: &[(&str, &str)], missing: MissingPolicy) -> FitSpec {
        FitSpec {
            weights: weights
                .iter()
                .map(|(k, v)| (k.to_string(), Decimal::from_str(v).unwrap()))
                .collect(),
            missing,
            default_weights: false,
        }
    }

    fn model_with(scores: &[(&str, &str, &str)]) -> Model {
        let cat = Catalogue::embedded().unwrap();
        let mut m = cat.models[0].clone();
        m.benchmarks = scores
            .iter()
            .map(|(id, setting, v)| Score {
                id: id.to_string(),
                setting: setting.to_string(),
                value: Decimal::from_str(v).unwrap(),
                source: "t".into(),
                inherited_from: None,
            })
            .collect();
        m
    }

    #[test]
    fn weighted_mean_of_normalised_scores() {
        let cat = Catalogue::embedded().unwrap();
        // mmlu 80 (→80) weight 1, mt_bench 9 (→90) weight 3: (80 + 270) / 4 = 87.5
        let m = model_with(&[("mmlu", "5-shot", "80"), ("mt_bench", "x", "9")]);
        let s = spec(&[("mmlu", "1"), ("mt_bench", "3")], MissingPolicy::Zero);
        let counts = SettingCounts::from_models([&m], &["mmlu", "mt_bench"].into());
        assert_eq!(
            fit(&m, &s, &cat.registry, &counts).fit,
            Some(Decimal::from_str("87.5").unwrap())
        );
    }

    #[test]
    fn missing_scores_follow_the_policy() {
        let cat = Catalogue::embedded().unwrap();
        let m = model_with(&[("mmlu", "5-shot", "80")]);
        let counts = SettingCounts::from_models([&m], &["mmlu", "gsm8k"].into());
        let zero = spec(&[("mmlu", "1"), ("gsm8k", "1")], MissingPolicy::Zero);
        assert_eq!(
            fit(&m, &zero, &cat.registry, &counts).fit,
            Some(Decimal::from(40))
        );
        let skip = spec(&[("mmlu", "1"), ("gsm8k", "1")], MissingPolicy::Skip);
        let f = fit(&m, &skip, &cat.registry, &counts);
        assert_eq!(f.fit, Some(Decimal::from(80)));
        assert_eq!(f.missing, vec!["gsm8k".to_string()]);
    }

    #[test]
    fn the_most_shared_setting_wins() {
        let a = model_with(&[("mmlu", "CoT@32", "90"), ("mmlu", "5-shot", "84")]);
        let b = model_with(&[("mmlu", "5-shot", "70")]);
        let c = model_with(&[("mmlu", "5-shot", "75")]);
        let counts = SettingCounts::from_models([&a, &b, &c], &["mmlu"].into());
        assert_eq!(counts.pick(&a, "mmlu").unwrap().setting, "5-shot");
        let alone = SettingCounts::from_models([&a], &["mmlu"].into());
        assert_eq!(alone.pick(&a, "mmlu").unwrap().setting, "CoT@32");
    }
}
