//! Like with like: which setting of each benchmark the candidates share.
//!
//! A model may report one benchmark under several settings (GPT-4's MMLU at CoT@32 and at
//! 5-shot), and models report the same benchmark under different ones (Haiku's GSM8K 0-shot CoT,
//! GPT-3.5's 5-shot). Settings are counted over the candidates of a ranking (the models that meet
//! its hard requirements), each model once per setting. A model's score is taken at the setting
//! most candidates share among those it reports (the first listed on a tie), and is marked as the
//! majority setting when no other setting is shared by more candidates.

use crate::catalogue::model::{Model, Score};
use std::collections::{BTreeMap, BTreeSet};

/// How many candidates report each setting of each benchmark.
#[derive(Debug, Clone, Default)]
pub struct SettingCounts<'a>(BTreeMap<&'a str, BTreeMap<&'a str, usize>>);

impl<'a> SettingCounts<'a> {
    /// Counts the settings of every benchmark the candidates report.
    pub fn from_models(models: impl IntoIterator<Item = &'a Model>) -> SettingCounts<'a> {
        SettingCounts::counting(models, |_| true)
    }

    /// Counts the settings of the given benchmarks only.
    pub fn for_benchmarks(
        models: impl IntoIterator<Item = &'a Model>,
        benchmarks: &BTreeSet<&str>,
    ) -> SettingCounts<'a> {
        SettingCounts::counting(models, |id| benchmarks.contains(id))
    }

    fn counting(
        models: impl IntoIterator<Item = &'a Model>,
        wanted: impl Fn(&str) -> bool,
    ) -> SettingCounts<'a> {
        let mut counts: BTreeMap<&'a str, BTreeMap<&'a str, usize>> = BTreeMap::new();
        let mut seen = BTreeSet::new();
        for m in models {
            seen.clear();
            for s in m.benchmarks.iter().filter(|s| wanted(&s.id)) {
                if seen.insert((s.id.as_str(), s.setting.as_str())) {
                    *counts
                        .entry(s.id.as_str())
                        .or_default()
                        .entry(s.setting.as_str())
                        .or_default() += 1;
                }
            }
        }
        SettingCounts(counts)
    }

    /// The candidates reporting `setting` of `benchmark`.
    pub fn count(&self, benchmark: &str, setting: &str) -> usize {
        self.0
            .get(benchmark)
            .and_then(|c| c.get(setting))
            .copied()
            .unwrap_or(0)
    }

    /// The model's score for a benchmark under the most widely shared setting it has.
    pub fn pick<'m>(&self, model: &'m Model, benchmark: &str) -> Option<&'m Score> {
        let counts = self.0.get(benchmark);
        let mut best: Option<(&Score, usize)> = None;
        for s in model.benchmarks.iter().filter(|s| s.id == benchmark) {
            let n = counts
                .and_then(|c| c.get(s.setting.as_str()))
                .copied()
                .unwrap_or(0);
            if best.is_none_or(|(_, bn)| n > bn) {
                best = Some((s, n));
            }
        }
        best.map(|(s, _)| s)
    }

    /// Whether no setting of `benchmark` is shared by more candidates than `setting`.
    pub fn is_majority(&self, benchmark: &str, setting: &str) -> bool {
        let most = self
            .0
            .get(benchmark)
            .and_then(|c| c.values().max())
            .copied()
            .unwrap_or(0);
        self.count(benchmark, setting) >= most
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use rust_decimal::Decimal;

    fn model_with(scores: &[(&str, &str, i64)]) -> Model {
        let cat = Catalogue::embedded().unwrap();
        let mut m = cat.models[0].clone();
        m.benchmarks = scores
            .iter()
            .map(|(id, setting, v)| Score {
                id: id.to_string(),
                setting: setting.to_string(),
                value: Decimal::from(*v),
                source: "t".into(),
            })
            .collect();
        m
    }

    #[test]
    fn the_most_shared_setting_wins() {
        let a = model_with(&[("mmlu", "CoT@32", 90), ("mmlu", "5-shot", 84)]);
        let b = model_with(&[("mmlu", "5-shot", 70)]);
        let c = model_with(&[("mmlu", "5-shot", 75)]);
        let counts = SettingCounts::from_models([&a, &b, &c]);
        assert_eq!(counts.pick(&a, "mmlu").unwrap().setting, "5-shot");
        let alone = SettingCounts::from_models([&a]);
        assert_eq!(alone.pick(&a, "mmlu").unwrap().setting, "CoT@32");
    }

    #[test]
    fn a_minority_setting_is_marked() {
        // GSM8K: 0-shot CoT by two candidates, 5-shot by one.
        let a = model_with(&[("gsm8k", "0-shot CoT", 95)]);
        let b = model_with(&[("gsm8k", "0-shot CoT", 92)]);
        let c = model_with(&[("gsm8k", "5-shot", 57)]);
        let counts = SettingCounts::from_models([&a, &b, &c]);
        assert!(counts.is_majority("gsm8k", "0-shot CoT"));
        assert!(!counts.is_majority("gsm8k", "5-shot"));
        // A tie: both are the majority.
        let tie = SettingCounts::from_models([&a, &c]);
        assert!(tie.is_majority("gsm8k", "5-shot") && tie.is_majority("gsm8k", "0-shot CoT"));
        // A benchmark no candidate reports has no other setting to defer to.
        assert!(counts.is_majority("mmlu", "5-shot"));
    }
}
