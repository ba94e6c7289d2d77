//! How good the estimates are: leave-one-out over the catalogue's own scores.
//!
//! For every model with at least [`MIN_OBSERVED`] observed benchmarks, each of its scores is
//! hidden in turn, the model of [`super::factor`] is fitted to everything else, and the hidden
//! score is estimated as `rank` would estimate it. Two figures sum it up: the mean absolute error
//! in normalised points, and the share of hidden scores inside the reported band (estimate ± one
//! standard error; about two in three if the band is honest). A score whose benchmark fewer than
//! [`MIN_REPORTING`] other models report cannot be estimated and is counted apart.
//!
//! [`SHIPPED`] holds the figures for the shipped catalogue, the ones `docs/fit.md` reports. A
//! test holds imputation to them, so they cannot silently get worse; when the catalogue's scores
//! change, run `cargo test --test imputation -- --nocapture`, and copy the new figures here and
//! into `docs/fit.md`.

use super::factor::{Factor, Obs, MIN_REPORTING};
use super::impute::Table;
use super::settings::SettingCounts;
use crate::catalogue::Catalogue;
use std::collections::BTreeMap;

/// Models with fewer observed benchmarks are not tested.
pub const MIN_OBSERVED: usize = 4;

/// The leave-one-out figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Accuracy {
    /// Models tested.
    pub models: usize,
    /// Scores hidden and estimated.
    pub hidden: usize,
    /// Scores that could not be estimated: fewer than [`MIN_REPORTING`] other models report the
    /// benchmark.
    pub not_estimable: usize,
    /// Mean absolute error, normalised points.
    pub mae: f64,
    /// Share of hidden scores inside estimate ± one standard error.
    pub within_band: f64,
}

/// The figures for the shipped catalogue (`cargo test --test imputation -- --nocapture` prints
/// them). Update them, and `docs/fit.md`, when the catalogue's scores change.
pub const SHIPPED: Accuracy = Accuracy {
    models: 26,
    hidden: 256,
    not_estimable: 26,
    mae: 5.21,
    within_band: 0.695,
};

/// Leave-one-out over a table.
pub fn leave_one_out(t: &Table) -> Accuracy {
    let mut per_row: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for (k, o) in t.obs.iter().enumerate() {
        per_row.entry(o.row).or_default().push(k);
    }
    let mut col_n = vec![0usize; t.cols.len()];
    for o in &t.obs {
        col_n[o.col as usize] += 1;
    }
    let mut acc = Accuracy {
        models: 0,
        hidden: 0,
        not_estimable: 0,
        mae: 0.0,
        within_band: 0.0,
    };
    let (mut abs, mut inside) = (0.0, 0usize);
    let mut rest: Vec<Obs> = Vec::with_capacity(t.obs.len());
    for cells in per_row.values().filter(|c| c.len() >= MIN_OBSERVED) {
        acc.models += 1;
        for &k in cells {
            let hidden = t.obs[k];
            // The others that report the benchmark, once this score is hidden, must be enough.
            if col_n[hidden.col as usize] - 1 < MIN_REPORTING as usize {
                acc.not_estimable += 1;
                continue;
            }
            rest.clear();
            rest.extend(
                t.obs
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != k)
                    .map(|(_, o)| *o),
            );
            let f = Factor::fit(t.rows.len(), t.cols.len(), &rest);
            let Some(e) = f.predict(hidden.row as usize, hidden.col as usize) else {
                acc.not_estimable += 1;
                continue;
            };
            let est = e.mean.clamp(0.0, 100.0);
            let err = (est - hidden.value).abs();
            abs += err;
            let (lo, hi) = ((est - e.se).max(0.0), (est + e.se).min(100.0));
            if (lo..=hi).contains(&hidden.value) {
                inside += 1;
            }
            acc.hidden += 1;
        }
    }
    if acc.hidden > 0 {
        acc.mae = abs / acc.hidden as f64;
        acc.within_band = inside as f64 / acc.hidden as f64;
    }
    acc
}

/// Leave-one-out over a catalogue's published scores, every model a candidate.
pub fn of_catalogue(cat: &Catalogue) -> Accuracy {
    let counts = SettingCounts::from_models(&cat.models);
    let custom = BTreeMap::new();
    leave_one_out(&Table::build(&cat.models, &cat.registry, &custom, &counts))
}
