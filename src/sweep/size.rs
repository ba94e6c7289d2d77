//! `--vary workload.<name>.input_tokens.p50` (and `p95`, `max`, `buckets.<i>`, and the same
//! under `output_tokens`): sweeping a request-size distribution.
//!
//! A bucket's share is set and the other buckets are rescaled in proportion, the last one taking
//! the remainder, so the shares still sum to exactly 1; every point starts from the file's
//! buckets, so a point depends only on its own value. Percentiles that must stay ordered
//! (p50 < p95 ≤ max) are checked over the whole grid before the sweep starts.
//!
//! These paths have no fast-path effect: every point goes through `rank`, whose bill is the cost
//! kernel's, so the sweep equals `cost` at every point by construction.

use super::field::Rule;
use super::values::Values;
use crate::cost::distribution::{Bucket, Size};
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Which number of a distribution a path sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// The lognormal's median.
    P50,
    /// The lognormal's 95th percentile.
    P95,
    /// The lognormal's cap.
    Max,
    /// The share of bucket `i` (from 0), with the file's buckets to rescale from.
    Share(usize, Vec<Bucket>),
}

/// A distribution parameter of one workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SizeTarget {
    /// Index into `Scenario::workloads`.
    pub index: usize,
    /// `output_tokens` rather than `input_tokens`.
    pub output: bool,
    /// Which number.
    pub param: Param,
    /// Whether `context_tokens` follows the sizes (the file did not set it).
    pub derived_context: bool,
}

/// Resolves `field` (the part of the path after the workload's name) when it names a
/// distribution's parameter; `Ok(None)` when it does not. Refuses a plain `input_tokens` or
/// `output_tokens` of a workload whose size is a distribution.
pub fn resolve(
    path: &str,
    s: &Scenario,
    index: usize,
    field: &str,
    explicit_context: bool,
) -> Result<Option<SizeTarget>> {
    let w = &s.workloads[index];
    let (key, rest) = field.split_once('.').unwrap_or((field, ""));
    let (output, size) = match key {
        "input_tokens" => (false, w.input_size.as_deref()),
        "output_tokens" => (true, w.output_size.as_deref()),
        _ => return Ok(None),
    };
    let usage = |why: String| Err(Error::Usage(format!("--vary {path}: {why}")));
    let params = match size {
        Some(Size::Lognormal(_)) => "p50, p95 or max",
        Some(Size::Buckets(_)) => "a bucket's share, buckets.0, buckets.1, …",
        None if rest.is_empty() => return Ok(None),
        None => {
            return usage(format!(
                "`{key}` of workload `{}` is one number; vary workload.{}.{key}",
                w.name, w.name
            ))
        }
    };
    let param = match (size, rest) {
        (_, "") => {
            return usage(format!(
                "`{key}` of workload `{}` is a distribution; vary its {params}, such as workload.{}.{key}.{}",
                w.name,
                w.name,
                if matches!(size, Some(Size::Lognormal(_))) { "p50" } else { "buckets.0" }
            ))
        }
        (Some(Size::Lognormal(_)), "p50") => Param::P50,
        (Some(Size::Lognormal(_)), "p95") => Param::P95,
        (Some(Size::Lognormal(_)), "max") => Param::Max,
        (Some(Size::Buckets(b)), r) if r.starts_with("buckets.") => {
            let Some(i) = r["buckets.".len()..].parse::<usize>().ok().filter(|&i| i < b.len())
            else {
                return usage(format!(
                    "`{key}` of workload `{}` has buckets 0 to {}",
                    w.name,
                    b.len() - 1
                ));
            };
            if b.len() < 2 || b[i].share == Decimal::ONE {
                return usage(format!(
                    "bucket {i} holds every request of workload `{}`: there is no other bucket to rescale",
                    w.name
                ));
            }
            Param::Share(i, b.clone())
        }
        _ => {
            return usage(format!(
                "`{key}` of workload `{}` can vary its {params}",
                w.name
            ))
        }
    };
    Ok(Some(SizeTarget {
        index,
        output,
        param,
        derived_context: !explicit_context,
    }))
}

/// The distribution paths a workload offers, for suggestions.
pub fn paths(w: &crate::scenario::Workload) -> Vec<String> {
    let mut out = Vec::new();
    for (key, size) in [
        ("input_tokens", w.input_size.as_deref()),
        ("output_tokens", w.output_size.as_deref()),
    ] {
        match size {
            Some(Size::Lognormal(_)) => {
                for p in ["p50", "p95", "max"] {
                    out.push(format!("workload.{}.{key}.{p}", w.name));
                }
            }
            Some(Size::Buckets(b)) => {
                for i in 0..b.len() {
                    out.push(format!("workload.{}.{key}.buckets.{i}", w.name));
                }
            }
            None => {}
        }
    }
    out
}

impl SizeTarget {
    /// The file's rule for the value.
    pub fn rule(&self) -> Rule {
        match self.param {
            Param::P50 | Param::P95 | Param::Max => Rule::Whole {
                min: 1,
                max: u64::MAX,
            },
            Param::Share(..) => Rule::Fraction,
        }
    }

    /// The key to name in a message about the value.
    pub fn key(&self) -> &'static str {
        match self.param {
            Param::P50 => "p50",
            Param::P95 => "p95",
            Param::Max => "max",
            Param::Share(..) => "share",
        }
    }

    /// Assigns a checked value, keeping the workload's whole-token mean and derived context in
    /// step with the new size.
    pub fn apply(&self, s: &mut Scenario, v: Decimal) {
        let p = s.requirements.context_percentile;
        let w = &mut s.workloads[self.index];
        let size = if self.output {
            &mut w.output_size
        } else {
            &mut w.input_size
        };
        let n = v.to_u64().unwrap_or(0);
        match (size.as_deref_mut(), &self.param) {
            (Some(Size::Lognormal(l)), Param::P50) => l.p50 = n,
            (Some(Size::Lognormal(l)), Param::P95) => l.p95 = n,
            (Some(Size::Lognormal(l)), Param::Max) => l.max = Some(n),
            (Some(Size::Buckets(b)), Param::Share(i, base)) => *b = rescaled(base, *i, v),
            _ => {}
        }
        let mean = size
            .as_ref()
            .map(|s| s.mean().round().to_u64().unwrap_or(u64::MAX));
        match (self.output, mean) {
            (false, Some(m)) => w.input_tokens = m.max(1),
            (true, Some(m)) => w.output_tokens = m,
            _ => {}
        }
        if self.derived_context {
            w.context_tokens = w.context_at(p);
        }
    }
}

/// The buckets with bucket `i` at `share` and the others rescaled in proportion to sum to exactly
/// 1; the last other bucket takes the remainder.
pub fn rescaled(base: &[Bucket], i: usize, share: Decimal) -> Vec<Bucket> {
    let rest = Decimal::ONE - base[i].share;
    let left = Decimal::ONE - share;
    let last = (0..base.len()).rev().find(|&j| j != i);
    let mut given = share;
    let mut out: Vec<Bucket> = base.to_vec();
    for (j, b) in out.iter_mut().enumerate() {
        if j == i {
            b.share = share;
        } else if Some(j) != last {
            b.share = (b.share * left / rest).round_dp(20);
            given += b.share;
        }
    }
    if let Some(l) = last {
        out[l].share = (Decimal::ONE - given).max(Decimal::ZERO);
    }
    out
}

/// Checks that the percentiles of each lognormal stay ordered at every point of the grid:
/// p50 < p95, and p95 ≤ max.
pub fn check_grid(targets: &[(&str, &SizeTarget, &Values)], base: &Scenario) -> Result<()> {
    for (k, (path, t, _)) in targets.iter().enumerate() {
        let shares = |o: &SizeTarget| {
            o.index == t.index && o.output == t.output && matches!(o.param, Param::Share(..))
        };
        if let Some((other, ..)) = targets[..k].iter().find(|(_, o, _)| shares(o) && shares(t)) {
            return Err(Error::Usage(format!(
                "--vary {other} and --vary {path} both set a bucket share of the same size; vary one share, since setting it rescales the others to keep the sum 1"
            )));
        }
    }
    for (path, t, _) in targets {
        let size = if t.output {
            base.workloads[t.index].output_size.as_deref()
        } else {
            base.workloads[t.index].input_size.as_deref()
        };
        let Some(Size::Lognormal(l)) = size else {
            continue;
        };
        // The range each parameter takes: its axis, or the file's value.
        let range = |param: &Param, fixed: Option<u64>| {
            targets
                .iter()
                .find(|(_, o, _)| o.index == t.index && o.output == t.output && &o.param == param)
                .map(|(_, _, v)| super::path::extremes(v))
                .map(|(a, b)| (a.to_u64(), b.to_u64()))
                .unwrap_or((fixed, fixed))
        };
        let (p50, p95, max) = (
            range(&Param::P50, Some(l.p50)),
            range(&Param::P95, Some(l.p95)),
            range(&Param::Max, l.max),
        );
        let bad = match (p50.1, p95.0, p95.1, max.0) {
            (Some(a), Some(b), _, _) if a >= b => Some(format!(
                "p95 must stay above p50, but p50 reaches {a} and p95 goes down to {b}"
            )),
            (_, _, Some(b), Some(m)) if m < b => Some(format!(
                "max must stay at least p95, but p95 reaches {b} and max goes down to {m}"
            )),
            _ => None,
        };
        if let Some(why) = bad {
            return Err(Error::Usage(format!("--vary {path}: {why}")));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn a_bucket_share_rescales_the_others_to_sum_to_one() {
        let base = [(1_000, "0.5"), (8_000, "0.3"), (150_000, "0.2")].map(|(tokens, s)| Bucket {
            tokens,
            share: d(s),
        });
        // Bucket 2 to 0.4: the others share 0.6 in the file's 5 : 3 ratio, 0.375 and 0.225.
        let got = rescaled(&base, 2, d("0.4"));
        assert_eq!(
            got.iter().map(|b| b.share.normalize()).collect::<Vec<_>>(),
            [d("0.375"), d("0.225"), d("0.4")]
        );
        // Thirds do not divide exactly; the last other bucket takes the remainder.
        let got = rescaled(&base, 0, d("0.1"));
        assert_eq!(got.iter().map(|b| b.share).sum::<Decimal>(), Decimal::ONE);
    }
}
