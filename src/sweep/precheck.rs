//! Before the first row: the grid's extreme points are evaluated, so a grid whose amounts
//! overflow stops before anything is written, and the error names the `--vary` values that caused
//! it rather than the scenario's line (which holds a value the sweep replaced).
//!
//! Amounts grow with the swept values in one direction or the other (volumes, tokens, rates,
//! shares, growth), so an overflow anywhere shows at a corner of the grid: every axis at its
//! smallest or its largest value. A short axis is scanned for its extremes; a long one is a range,
//! whose extremes are its ends.

use super::engine::Engine;
use super::values::Values;
use crate::error::{Error, Result};

/// Axes beyond this many are checked at their ends together, not at every corner.
const MAX_CORNER_AXES: usize = 10;

/// Evaluates every corner of the grid; the first that fails is reported against the flags.
pub fn corners(e: &Engine) -> Result<()> {
    let ends: Vec<Vec<u64>> = e.axes.iter().map(extreme_indices).collect();
    let mut w = e.worker();
    let combos: Vec<Vec<u64>> = if ends.len() <= MAX_CORNER_AXES {
        ends.iter().fold(vec![Vec::new()], |acc, choices| {
            acc.iter()
                .flat_map(|prefix| {
                    choices.iter().map(move |&i| {
                        let mut next = prefix.clone();
                        next.push(i);
                        next
                    })
                })
                .collect()
        })
    } else {
        (0..2)
            .map(|k| ends.iter().map(|c| c[k.min(c.len() - 1)]).collect())
            .collect()
    };
    for combo in combos {
        for (a, &i) in combo.iter().enumerate() {
            e.set(&mut w, a, e.axes[a].get(i));
        }
        if let Err(err) = e.eval(&mut w) {
            return Err(blame(e, &combo, err));
        }
    }
    Ok(())
}

/// The indices of an axis's smallest and largest values (one index when they are the same).
fn extreme_indices(v: &Values) -> Vec<u64> {
    let n = v.len();
    if n == 0 {
        return vec![0];
    }
    let (lo, hi) = if n <= 1 << 16 {
        let mut lo = 0;
        let mut hi = 0;
        for i in 1..n {
            let x = v.get(i);
            if x < v.get(lo) {
                lo = i;
            }
            if x > v.get(hi) {
                hi = i;
            }
        }
        (lo, hi)
    } else {
        (0, n - 1)
    };
    if lo == hi {
        vec![lo]
    } else {
        vec![lo, hi]
    }
}

/// The error at a grid point, told in terms of the flags that set it.
fn blame(e: &Engine, combo: &[u64], err: Error) -> Error {
    let why = match &err {
        Error::Input(d) => d
            .first()
            .map_or_else(|| err.to_string(), |d| d.message.clone()),
        other => other.to_string(),
    };
    let at: Vec<String> = combo
        .iter()
        .enumerate()
        .map(|(a, &i)| format!("{} = {}", e.setters[a].path, e.axes[a].label(i)))
        .collect();
    let flags: Vec<String> = e
        .setters
        .iter()
        .map(|s| format!("--vary {}", s.path))
        .collect();
    Error::Usage(format!(
        "{}: the grid point {} cannot be evaluated: {why}; nothing was written. Sweep smaller values: every amount must stay below 79,228,162,514,264,337,593,543,950,335",
        flags.join(", "),
        at.join(", ")
    ))
}
