//! The benchmark registry: what each benchmark id means and how its scale normalises to 0–100.
//!
//! A score is normalised from the level guessing earns (`chance`), not from the bottom of the
//! scale: 25 on four-option MMLU is no knowledge at all, so it counts as 0, and 62.5 as 50.

use super::raw::{RawBenchmark, RawRegistry};
use crate::diag::{Diagnostic, KeyPath};
use crate::source::SourceFile;
use crate::validate::Checker;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// One registered benchmark.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Benchmark {
    /// Lowercase id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Area it measures.
    pub domain: String,
    /// What it is and how its scale was chosen.
    pub description: String,
    /// Worst value of the scale.
    pub min: Decimal,
    /// Best value of the scale.
    pub max: Decimal,
    /// False where lower is better.
    pub higher_is_better: bool,
    /// The value guessing earns; `None` for the worst end of the scale.
    pub chance: Option<Decimal>,
    /// Why `chance` is what it is, or why it is unset.
    pub chance_reason: Option<String>,
}

impl From<RawBenchmark> for Benchmark {
    /// The entry as read; the registry's checks (ranges, duplicates) are made by the caller.
    fn from(b: RawBenchmark) -> Benchmark {
        Benchmark {
            id: b.id,
            name: b.name,
            domain: b.domain,
            description: b.description,
            min: b.min.get(),
            max: b.max.get(),
            higher_is_better: b.higher_is_better,
            chance: b.chance.map(|c| c.get()),
            chance_reason: b.chance_reason,
        }
    }
}

impl Benchmark {
    /// The value a model earns by guessing: `chance`, else the worst end of the scale (`min`, or
    /// `max` where lower is better).
    pub fn floor(&self) -> Decimal {
        self.chance.unwrap_or(if self.higher_is_better {
            self.min
        } else {
            self.max
        })
    }

    /// The best end of the scale.
    pub fn best(&self) -> Decimal {
        if self.higher_is_better {
            self.max
        } else {
            self.min
        }
    }

    /// The value on a 0–100 scale from chance (0) to the best end (100), clamped:
    /// 100 × (value − chance) ÷ (max − chance), or 100 × (chance − value) ÷ (chance − min) where
    /// lower is better.
    ///
    /// Every step is checked: a hand-written file may hold values near the limit of `Decimal`.
    /// There the differences are taken between quarters, which cannot overflow, and a ratio still
    /// too large to compute is far outside the scale, so it clamps like any other.
    pub fn normalise(&self, value: Decimal) -> Decimal {
        let (floor, best) = (self.floor(), self.best());
        // Both measured towards the best end, so a larger `raw` is always better.
        let (raw_from, raw_to, span_from, span_to) = if self.higher_is_better {
            (floor, value, floor, best)
        } else {
            (value, floor, best, floor)
        };
        if span_to <= span_from {
            return Decimal::ZERO;
        }
        let exact = match (raw_to.checked_sub(raw_from), span_to.checked_sub(span_from)) {
            (Some(raw), Some(span)) => raw
                .checked_mul(Decimal::ONE_HUNDRED)
                .and_then(|x| x.checked_div(span)),
            _ => None,
        };
        let score = exact.or_else(|| {
            // Quarters: a difference of two quarters is at most half of Decimal's range, even
            // after each quarter is rounded to 28 digits.
            let q = Decimal::from(4);
            let raw = (raw_to / q).checked_sub(raw_from / q)?;
            let span = (span_to / q).checked_sub(span_from / q)?;
            raw.checked_div(span)
                .and_then(|r| r.checked_mul(Decimal::ONE_HUNDRED))
        });
        let beyond = if raw_to > raw_from {
            Decimal::ONE_HUNDRED
        } else {
            Decimal::ZERO
        };
        score
            .unwrap_or(beyond)
            .clamp(Decimal::ZERO, Decimal::ONE_HUNDRED)
    }

    /// The value on the benchmark's own scale whose normalised score is `n` (0–100): the inverse
    /// of [`Benchmark::normalise`], for showing an estimated score as the benchmark prints it.
    pub fn denormalise(&self, n: Decimal) -> Option<Decimal> {
        let (floor, best) = (self.floor(), self.best());
        let span = best.checked_sub(floor)?;
        floor.checked_add(span.checked_mul(n)?.checked_div(Decimal::ONE_HUNDRED)?)
    }
}

/// All registered benchmarks, by id.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// By id.
    pub by_id: BTreeMap<String, Benchmark>,
}

impl Registry {
    /// Parses and checks a registry file.
    pub fn from_source(src: &SourceFile) -> Result<Registry, Vec<Diagnostic>> {
        Registry::from_raw(src, src.parse().map_err(|d| vec![d])?)
    }

    /// Checks a registry file already parsed from `src`, locating each fault in its text.
    pub fn from_raw(src: &SourceFile, raw: RawRegistry) -> Result<Registry, Vec<Diagnostic>> {
        let mut ck = Checker::new(src);
        let mut by_id = BTreeMap::new();
        for (i, b) in raw.benchmark.into_iter().enumerate() {
            let path = KeyPath::root().key("benchmark").index(i);
            if !is_snake_id(&b.id) {
                ck.err(
                    &path.key("id"),
                    format!("benchmark id `{}` must be lowercase snake_case", b.id),
                    "use letters, digits and _ only",
                );
            }
            ck.name(&path.key("name"), &b.name);
            if b.max.get() <= b.min.get() {
                ck.err(&path.key("max"), format!("`max` ({}) must be above `min` ({})", b.max.get(), b.min.get()), "max is the best end of the scale for higher-is-better benchmarks and the worst end otherwise; both are the scale's bounds");
            } else if let Some(c) = b.chance {
                check_chance(&mut ck, &path, &b, c.get());
            }
            if by_id.contains_key(&b.id) {
                ck.err(
                    &path.key("id"),
                    format!("benchmark `{}` is registered twice", b.id),
                    "remove one of the entries",
                );
            }
            by_id.insert(b.id.clone(), Benchmark::from(b));
        }
        ck.finish()?;
        Ok(Registry { by_id })
    }

    /// Adds or replaces entries from another registry.
    pub fn merge(&mut self, other: Registry) {
        self.by_id.extend(other.by_id);
    }

    /// A benchmark by id.
    pub fn get(&self, id: &str) -> Option<&Benchmark> {
        self.by_id.get(id)
    }

    /// The ids, for "did you mean" and error lists.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.by_id.keys().map(String::as_str)
    }
}

/// `chance` lies on the scale, short of its best end, and says why.
fn check_chance(ck: &mut Checker, path: &KeyPath, b: &RawBenchmark, c: Decimal) {
    let (min, max) = (b.min.get(), b.max.get());
    let best = if b.higher_is_better { max } else { min };
    if c < min || c > max {
        ck.err(
            &path.key("chance"),
            format!("`chance` ({c}) is outside the scale {min}–{max}"),
            "chance is the score guessing earns, on the benchmark's own scale: 25 for four-option multiple choice scored 0-100",
        );
    } else if c == best {
        ck.err(
            &path.key("chance"),
            format!("`chance` ({c}) is the best end of the scale"),
            "guessing cannot earn the best score; chance is usually near the worst end (0 for a free-form answer)",
        );
    }
    if b.chance_reason
        .as_deref()
        .is_none_or(|r| r.trim().is_empty())
    {
        ck.err(
            &path.key("chance"),
            format!("`chance` of benchmark `{}` has no `chance_reason`", b.id),
            "add chance_reason = \"...\" saying what it follows from, such as \"four answer options\"",
        );
    }
}

/// Lowercase letters, digits and underscores, starting with a letter or digit.
pub fn is_snake_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn bench(min: &str, max: &str, higher: bool) -> Benchmark {
        Benchmark {
            id: "x".into(),
            name: "X".into(),
            domain: "d".into(),
            description: String::new(),
            min: Decimal::from_str(min).unwrap(),
            max: Decimal::from_str(max).unwrap(),
            higher_is_better: higher,
            chance: None,
            chance_reason: None,
        }
    }

    #[test]
    fn normalises_scales() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(bench("0", "100", true).normalise(d("86.8")), d("86.8"));
        assert_eq!(bench("0", "10", true).normalise(d("8.61")), d("86.1"));
        assert_eq!(bench("0", "1", true).normalise(d("0.67")), d("67"));
        assert_eq!(bench("800", "1400", true).normalise(d("1250")), d("75"));
        assert_eq!(
            bench("0", "1000", false).normalise(d("242.02")),
            d("75.798")
        );
        assert_eq!(bench("0", "100", true).normalise(d("120")), d("100"));
        // Near the limit of Decimal nothing overflows: the values clamp.
        let max = Decimal::MAX.to_string();
        let neg = format!("-{max}");
        assert_eq!(bench("0", "100", true).normalise(d(&max)), d("100"));
        assert_eq!(bench("0", "100", true).normalise(d(&neg)), d("0"));
        assert_eq!(bench("0", "100", false).normalise(d(&neg)), d("100"));
        assert_eq!(bench("-1", &max, true).normalise(d(&max)), d("100"));
        // The whole range of Decimal as a scale: 0 is its middle, 50 points.
        assert_eq!(bench(&neg, &max, true).normalise(d("0")), d("50"));
    }

    #[test]
    fn normalises_from_chance() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        let mmlu = Benchmark {
            chance: Some(d("25")),
            ..bench("0", "100", true)
        };
        // 100 × (25 − 25) ÷ 75 = 0; 100 × (62.5 − 25) ÷ 75 = 50; below chance clamps to 0.
        assert_eq!(mmlu.normalise(d("25")), d("0"));
        assert_eq!(mmlu.normalise(d("62.5")), d("50"));
        assert_eq!(mmlu.normalise(d("10")), d("0"));
        assert_eq!(mmlu.normalise(d("100")), d("100"));
        assert_eq!(mmlu.denormalise(d("50")), Some(d("62.5")));
        // Lower is better, chance 800 on 0–1000: 100 × (800 − 200) ÷ 800 = 75.
        let lower = Benchmark {
            chance: Some(d("800")),
            ..bench("0", "1000", false)
        };
        assert_eq!(lower.normalise(d("200")), d("75"));
        assert_eq!(lower.normalise(d("900")), d("0"));
        assert_eq!(lower.denormalise(d("75")), Some(d("200")));
        // Without chance the worst end of the scale is the floor, as before.
        assert_eq!(
            bench("0", "1000", false).denormalise(d("75")),
            Some(d("250"))
        );
    }
}
