//! Estimating the scores a model has not published, from the ones it has.
//!
//! Every observed score in the catalogue (and the scenario's own evals) goes into one model ×
//! benchmark table, normalised from chance to 0–100, each model's score taken at the setting the
//! whole catalogue shares most (see [`super::settings`]), so that an estimate is the same in every
//! scenario and in `show`. A one-factor model ([`super::factor`]) is fitted to the table; a missing
//! score is its fitted value, with a standard error. Estimates are rounded to [`ESTIMATE_DP`]
//! decimal places when they become `Decimal`s.
//!
//! The fitted table depends only on the scores, the registry's scales and the custom evals, so
//! [`shared`] keeps the last one fitted, keyed by a hash of exactly those inputs: a sweep that ranks
//! the same catalogue at every point fits it once. The cache only saves time; without it every
//! figure would be the same.

use super::factor::{Estimate, Factor, Obs};
use super::settings::SettingCounts;
use crate::catalogue::model::Model;
use crate::catalogue::registry::{Benchmark, Registry};
use crate::scenario::custom::CustomEval;
use rust_decimal::prelude::ToPrimitive;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// Decimal places kept of an estimated score and its standard error (normalised points): the
/// estimates are good to a few points, so hundredths lose nothing and print the same everywhere.
pub const ESTIMATE_DP: u32 = 2;

/// An estimate as a `Decimal` of [`ESTIMATE_DP`] places: × 100, rounded half away from zero, in
/// `f64`. `None` for a value that is not finite or too large to be a score.
pub fn to_decimal(x: f64) -> Option<rust_decimal::Decimal> {
    // 10^ESTIMATE_DP, exact in f64.
    const SCALE: f64 = 100.0;
    let scaled = (x * SCALE).round();
    (scaled.is_finite() && scaled.abs() < 1e15)
        .then(|| rust_decimal::Decimal::new(scaled as i64, ESTIMATE_DP))
}

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
pub struct Imputer {
    rows: HashMap<String, usize>,
    cols: HashMap<String, usize>,
    factor: Factor,
}

impl Imputer {
    /// Fits the table.
    pub fn new(t: &Table) -> Imputer {
        Imputer {
            rows: t
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| (r.to_string(), i))
                .collect(),
            cols: t
                .cols
                .iter()
                .enumerate()
                .map(|(j, c)| (c.to_string(), j))
                .collect(),
            factor: Factor::fit(t.rows.len(), t.cols.len(), &t.obs),
        }
    }

    /// The estimate of `model` on `benchmark`, or `None` when the model has no observed score or
    /// fewer than [`super::factor::MIN_REPORTING`] models have one for the benchmark.
    pub fn estimate(&self, model: &str, benchmark: &str) -> Option<Estimate> {
        let (i, j) = (*self.rows.get(model)?, *self.cols.get(benchmark)?);
        self.factor.predict(i, j)
    }

    /// The fitted model, for its diagnostics.
    pub fn factor(&self) -> &Factor {
        &self.factor
    }
}

/// The last table fitted, with the hash of its inputs.
static LAST: Mutex<Option<(u64, Arc<Imputer>)>> = Mutex::new(None);

/// The fitted table of `models`' scores (each at the setting the catalogue shares most) and the
/// custom evals' scores, fitting it only when its inputs differ from the last call's.
pub fn shared(
    models: &[Model],
    registry: &Registry,
    custom: &BTreeMap<String, CustomEval>,
) -> Arc<Imputer> {
    let key = fingerprint(models, registry, custom);
    if let Ok(last) = LAST.lock() {
        if let Some((k, imputer)) = last.as_ref() {
            if *k == key {
                return Arc::clone(imputer);
            }
        }
    }
    let counts = SettingCounts::from_models(models);
    let imputer = Arc::new(Imputer::new(&Table::build(
        models, registry, custom, &counts,
    )));
    if let Ok(mut last) = LAST.lock() {
        *last = Some((key, Arc::clone(&imputer)));
    }
    imputer
}

/// A hash of everything the table is built from: each model's id and scores (benchmark, setting,
/// value), the scale and chance level of every registered benchmark, and the custom evals.
/// A fast 64-bit hash of the bytes: a key for an in-memory cache only.
fn fingerprint(
    models: &[Model],
    registry: &Registry,
    custom: &BTreeMap<String, CustomEval>,
) -> u64 {
    let mut h = Fnv::default();
    h.num(models.len() as u128);
    for m in models {
        h.text(&m.id);
        h.num(m.benchmarks.len() as u128);
        for s in &m.benchmarks {
            h.text(&s.id);
            h.text(&s.setting);
            h.dec(s.value);
        }
    }
    let scale = |b: &Benchmark, h: &mut Fnv| {
        h.text(&b.id);
        h.dec(b.min);
        h.dec(b.max);
        h.num(u128::from(b.higher_is_better));
        match b.chance {
            Some(c) => h.dec(c),
            None => h.num(u128::MAX),
        }
    };
    h.num(registry.by_id.len() as u128);
    for b in registry.by_id.values() {
        scale(b, &mut h);
    }
    h.num(custom.len() as u128);
    for c in custom.values() {
        scale(&c.benchmark, &mut h);
        for (model, score) in &c.scores {
            h.text(model);
            h.dec(score.value);
        }
    }
    h.0
}

/// FNV-1a taken eight bytes at a time (a word, then the prime), with a rotation so that every
/// bit of a word reaches the low bits.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn word(&mut self, w: u64) {
        self.0 = (self.0 ^ w)
            .wrapping_mul(0x0000_0100_0000_01b3)
            .rotate_left(29);
    }
    fn bytes(&mut self, b: &[u8]) {
        let mut chunks = b.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            self.word(u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(w));
        }
    }
    /// A string and its length, so that ("ab", "c") and ("a", "bc") differ.
    fn text(&mut self, s: &str) {
        self.num(s.len() as u128);
        self.bytes(s.as_bytes());
    }
    fn num(&mut self, n: u128) {
        self.bytes(&n.to_le_bytes());
    }
    /// A decimal by its exact representation (mantissa and scale).
    fn dec(&mut self, d: rust_decimal::Decimal) {
        self.bytes(&d.serialize());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn estimates_become_hundredths() {
        let d = |s: &str| rust_decimal::Decimal::from_str(s).unwrap();
        assert_eq!(to_decimal(80.506_010_5), Some(d("80.51")));
        assert_eq!(to_decimal(6.434_131), Some(d("6.43")));
        assert_eq!(to_decimal(100.0), Some(d("100")));
        // Half a hundredth rounds away from zero: 0.125 × 100 = 12.5 exactly → 13.
        assert_eq!(to_decimal(0.125), Some(d("0.13")));
        assert_eq!(to_decimal(f64::NAN), None);
        assert_eq!(to_decimal(1e20), None);
        assert_eq!(rust_decimal::Decimal::new(1, ESTIMATE_DP), d("0.01"));
    }
}
