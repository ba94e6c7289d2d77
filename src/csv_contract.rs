//! The CSV header of every command: one fixed list of machine names per command, whatever the
//! scenario, so a script can read columns by name.
//!
//! Values under these headers are machine values: plain decimals (`1234.5`), ISO dates, `true`
//! or `false`, and an empty field for unknown. Units live in the header (`input_per_mtok`,
//! `horizon_months`), never in the values. Tables for people may show fewer columns (a narrow
//! terminal, zero lines in `cost`) or extra ones; an empty key marks a table-only column that CSV
//! leaves out. The README lists every header and `tests/csv_contract.rs` pins each.

use crate::cost::Kind;

/// `rank`.
pub const RANK: &[&str] = &[
    "rank",
    "model",
    "vendor",
    "deployment",
    "gpu",
    "gpus",
    "precision",
    "monthly_cost",
    "cost_per_mtok",
    "horizon_cost",
    "horizon_cost_p10",
    "horizon_cost_p90",
    "win_share",
    "horizon_months",
    "fit",
    "coverage",
    "balanced",
    "pareto",
    "price_basis",
    "overflow_share",
];

/// `cost`: the workload, its volumes, one column per kind of cost line (zero lines included),
/// and the total.
pub fn cost() -> Vec<String> {
    let mut h: Vec<String> = [
        "workload",
        "requests",
        "input_tokens",
        "cached_input_tokens",
        "output_tokens",
    ]
    .map(String::from)
    .to_vec();
    h.extend(Kind::all().map(|k| k.label().key.to_string()));
    h.push("cost".into());
    h
}

/// `models`.
pub const MODELS: &[&str] = &[
    "id",
    "name",
    "status",
    "context_window",
    "input_per_mtok",
    "output_per_mtok",
    "per_image",
    "per_video_second",
    "currency",
    "benchmarks",
];

/// `show`: one row per fact.
pub const SHOW: &[&str] = &["field", "value", "source"];

/// `benchmarks`.
pub const BENCHMARKS: &[&str] = &[
    "id",
    "name",
    "domain",
    "",
    "scale_min",
    "scale_max",
    "better",
    "chance",
    "models",
    "reported_by",
];

/// `diff`: one row per model.
pub const DIFF: &[&str] = &[
    "model",
    "qualifies",
    "base_monthly",
    "new_monthly",
    "monthly_change",
    "monthly_change_percent",
    "base_horizon",
    "new_horizon",
    "horizon_change",
];

/// `compare`: one row per vendor or family (`--by`).
pub const COMPARE: &[&str] = &[
    "group",
    "best_model",
    "monthly_cost",
    "horizon_cost",
    "horizon_months",
    "fit",
    "coverage",
    "balanced",
    "qualifying",
];

/// `mix`: one row per model of the plan.
pub const MIX: &[&str] = &["model", "name", "share", "answers", "fit", "monthly_cost"];

/// `check`: one row per file.
pub const CHECK: &[&str] = &["file", "kind"];

/// `breakeven` and `throughput`: one row per figure.
pub const FIGURES: &[&str] = &["field", "value"];

/// The machine value of a fact printed for people: empty for unknown (`—`, `unknown`, `?`), and a
/// grouped number (`4,096`) without its separators; anything else as it is.
pub fn machine(text: &str) -> String {
    match text {
        "—" | "-" | "unknown" | "?" => String::new(),
        t if !t.is_empty()
            && t.contains(',')
            && t.chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.')
            && t.starts_with(|c: char| c.is_ascii_digit()) =>
        {
            t.replace(',', "")
        }
        t => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_values_drop_separators_and_unknowns() {
        assert_eq!(machine("4,096"), "4096");
        assert_eq!(machine("200,000.5"), "200000.5");
        assert_eq!(machine("—"), "");
        assert_eq!(machine("unknown"), "");
        assert_eq!(machine("text, image"), "text, image");
        assert_eq!(machine("2024-03-13"), "2024-03-13");
    }
}
