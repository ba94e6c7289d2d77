//! Estimating the scores a model has not published, from the ones it has.
//!
//! Every observed score in the catalogue (and the scenario's own evals) goes into one model ×
//! benchmark table, normalised from chance to 0–100, each model's score taken at the setting the
//! ranking's candidates share (see [`super::settings`]). A one-factor model ([`super::factor`]) is
//! fitted to the table once per ranking; a missing score is its fitted value, with a standard
//! error. Estimates are rounded to [`ESTIMATE_DP`] decimal places when they become `Decimal`s.

use super::factor::{Estimate, Factor, Obs};
use super::settings::SettingCounts;
use crate::catalogue::model::Model;
use crate::catalogue::registry::{Benchmark, Registry};
use crate::scenario::custom::CustomEval;
use rust_decimal::prelude::ToPrimitive;
use std::collections::{BTreeMap, HashMap};

/// Decimal places kept of an estimated score and its standard error (normalised points): the
/// estimates are good to a few points, so hundredths lose nothing and print the same everywhere.
pub const ESTIMATE_DP: u32 = 2;

/// The observed, normalised scores of a catalogue, as a table.
#[derive(Debug, Clone, Default)]
pub struct Table<'a> {
    /// Model ids, one per row.
    pub rows: Vec<&'a str>,
    /// Benchmark ids, one per column.
    pub cols: Vec<&'a str>,
    /// The observed cells, by row, then in the order the model lists its benchmarks.
    pub obs: Vec<Obs>,
}

impl<'a> Table<'a> {
    /// Every model's observed scores: registry benchmarks at the setting `counts` prefers, then
    /// the custom evals' scores.
    pub fn build(
        models: &'a [Model],
        registry: &'a Registry,
        custom: &'a BTreeMap<String, CustomEval>,
        counts: &SettingCounts,
    ) -> Table<'a> {
        let mut t = Table::default();
        let mut col_of: HashMap<&'a str, u32> = HashMap::new();
        let mut row_of: HashMap<&'a str, u32> = HashMap::new();
        let mut seen: Vec<&str> = Vec::new();
        for m in models {
            let row = t.rows.len() as u32;
            t.rows.push(m.id.as_str());
            row_of.insert(m.id.as_str(), row);
            seen.clear();
            for s in &m.benchmarks {
                if seen.contains(&s.id.as_str()) {
                    continue;
                }
                seen.push(s.id.as_str());
                let (Some(b), Some(picked)) = (registry.get(&s.id), counts.pick(m, &s.id)) else {
                    continue;
                };
                let col = t.col(&mut col_of, b.id.as_str());
                t.push(row, col, b, picked.value);
            }
        }
        for (id, eval) in custom {
            let col = t.col(&mut col_of, id.as_str());
            for (model, score) in &eval.scores {
                if let Some(&row) = row_of.get(model.as_str()) {
                    t.push(row, col, &eval.benchmark, score.value);
                }
            }
        }
        t
    }

    fn col(&mut self, col_of: &mut HashMap<&'a str, u32>, id: &'a str) -> u32 {
        *col_of.entry(id).or_insert_with(|| {
            self.cols.push(id);
            (self.cols.len() - 1) as u32
        })
    }

    fn push(&mut self, row: u32, col: u32, b: &Benchmark, value: rust_decimal::Decimal) {
        if let Some(v) = b.normalise(value).to_f64() {
            self.obs.push(Obs { row, col, value: v });
        }
    }
}

/// A fitted table, answering "what would this model score on that benchmark?".
#[derive(Debug, Clone)]
pub struct Imputer<'a> {
    rows: HashMap<&'a str, usize>,
    cols: HashMap<&'a str, usize>,
    factor: Factor,
}

impl<'a> Imputer<'a> {
    /// Fits the table.
    pub fn new(t: &Table<'a>) -> Imputer<'a> {
        Imputer {
            rows: t.rows.iter().enumerate().map(|(i, r)| (*r, i)).collect(),
            cols: t.cols.iter().enumerate().map(|(j, c)| (*c, j)).collect(),
            factor: Factor::fit(t.rows.len(), t.cols.len(), &t.obs),
        }
    }

    /// The estimate of `model` on `benchmark`, or `None` when the model has no observed score or
    /// no model has one for the benchmark.
    pub fn estimate(&self, model: &str, benchmark: &str) -> Option<Estimate> {
        let (i, j) = (*self.rows.get(model)?, *self.cols.get(benchmark)?);
        self.factor.predict(i, j)
    }

    /// The fitted model, for its diagnostics.
    pub fn factor(&self) -> &Factor {
        &self.factor
    }
}
