//! How self-hosting estimates appear in reports: the table of the physics behind each fleet, the
//! configurations the planner tried, the JSON fields every self-hosted row carries, and the note
//! that says what the estimate assumed.

use super::fleet::{Considered, Estimate};
use crate::money::{format_money, grouped_int, money_string, Currency};
use crate::render::{Cell, Section};
use crate::scenario::Selfhost;
use rust_decimal::Decimal;

/// The label every self-hosted row carries.
pub const LABEL: &str = "self-hosted (estimate)";

/// A table of the sizing and throughput behind each fleet.
pub fn section<'a>(estimates: impl Iterator<Item = &'a Estimate>) -> Section {
    let mut t = Section::new(
        Some("Self-hosted estimates: how each fleet was sized".into()),
        &[
            "model",
            "gpu",
            ">GPUs/replica",
            ">replicas",
            "weights / cache",
            ">batch",
            "batch limited by",
            ">weights GB",
            ">KV cache GB",
            ">prefill tok/s",
            ">decode tok/s",
            "decode bound",
            ">$/1M tok at capacity",
        ],
    )
    .droppable(&[
        "decode bound",
        "batch limited by",
        "weights / cache",
        "prefill tok/s",
        "decode tok/s",
        "KV cache GB",
        "weights GB",
        "GPUs/replica",
    ]);
    for e in estimates {
        let cur = e.cost.currency;
        let per = |f: &dyn Fn(&super::fleet::WorkloadLoad) -> String| {
            e.workloads.iter().map(f).collect::<Vec<_>>().join(" / ")
        };
        t.rows.push(vec![
            Cell::plain(&e.model),
            Cell::plain(&e.gpu),
            Cell::plain(e.gpus().to_string()),
            Cell::plain(e.replicas.to_string()),
            Cell::plain(format!("{} / {}", e.precision, e.kv_precision)),
            Cell::plain(per(&|w| w.run.batch.to_string())),
            Cell::plain(per(&|w| w.limited_by.as_str().to_string())),
            Cell::plain(gb(e.weights_gb)),
            Cell::plain(per(&|w| gb(w.kv_cache_gb))),
            Cell::plain(per(&|w| grouped(w.run.prefill_tokens_per_s()))),
            Cell::plain(per(&|w| grouped(w.run.decode_tokens_per_s()))),
            Cell::plain(per(&|w| w.run.limited_by.as_str().to_string())),
            Cell {
                text: format_money(e.cost_per_mtok, cur),
                raw: money_string(e.cost_per_mtok),
            },
        ]);
    }
    t
}

/// A table of every configuration tried, with its monthly cost or why it cannot serve.
pub fn configurations_section(considered: &[Considered], cur: Currency) -> Section {
    let mut t = Section::new(
        Some(format!(
            "Self-hosted configurations considered ({})",
            considered.len()
        )),
        &[
            "model",
            "gpu",
            ">GPUs/replica",
            ">batch",
            ">replicas",
            ">monthly",
            "why not",
        ],
    )
    .droppable(&["GPUs/replica", "batch", "replicas"]);
    for c in considered {
        let opt = |v: Option<u64>| v.map_or_else(|| "—".to_string(), |n| n.to_string());
        t.rows.push(vec![
            Cell::plain(&c.model),
            Cell::plain(&c.gpu),
            Cell::plain(opt(c.tensor_parallel)),
            Cell::plain(opt(c.batch)),
            Cell::plain(opt(c.replicas)),
            c.monthly_cost
                .map_or_else(|| Cell::plain("—"), |m| Cell::money(m, cur)),
            Cell::plain(c.reason.clone().unwrap_or_default()),
        ]);
    }
    t
}

fn gb(x: f64) -> String {
    trim(format!("{x:.1}"))
}

fn grouped(x: f64) -> String {
    Decimal::from_f64_retain(x.round()).map_or_else(|| format!("{x:.0}"), grouped_int)
}

fn trim(s: String) -> String {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// A number for JSON: `dp` decimals, trailing zeros dropped, as a string like every other
/// fractional field.
pub fn num(x: f64, dp: usize) -> String {
    trim(format!("{x:.dp$}"))
}

/// The note under a report with self-hosted rows: what the estimate assumed.
pub fn note(spec: &Selfhost) -> String {
    let mut levels = vec![format!(
        "replicas sized for a peak {}× the average at {}% of estimated throughput",
        spec.peak_to_average.normalize(),
        (spec.utilization * Decimal::ONE_HUNDRED).normalize()
    )];
    if spec.spare_replicas > 0 {
        levels.push(format!("{} spare", spec.spare_replicas));
    }
    levels.push(format!("at least {} running", spec.min_replicas));
    if let Some(t) = spec.max_time_to_first_token_ms {
        levels.push(format!("first token within {} ms", t.normalize()));
    }
    if let Some(t) = spec.min_output_tokens_per_s_per_user {
        levels.push(format!("at least {} tokens/s per user", t.normalize()));
    }
    format!(
        "Self-hosted rows are estimates: a roofline calibrated to TensorRT-LLM's published H100 throughput (within 1.5×), {} weights and a {} cache, batch as large as memory allows up to {}; {}; {} h a month at on-demand GPU prices from profiles/hardware.toml. The cheapest GPU and tensor-parallel degree is shown (rank --all lists every one tried). $/1M tok = monthly cost ÷ input and output tokens. Formulas: docs/selfhost.md.",
        spec.precision,
        spec.kv_precision,
        spec.max_batch,
        levels.join(", "),
        spec.hours_per_month.normalize()
    )
}
