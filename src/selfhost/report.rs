//! How self-hosting estimates appear in reports: one table of the physics behind each row, and the
//! JSON fields every self-hosted row carries.

use super::fleet::Estimate;
use crate::money::{format_money, grouped_int, money_string};
use crate::render::{Cell, Section};
use rust_decimal::Decimal;
use serde_json::{json, Value};

/// The label every self-hosted row carries.
pub const LABEL: &str = "self-hosted (estimate)";

/// A table of the sizing and throughput behind each estimate.
pub fn section<'a>(estimates: impl Iterator<Item = &'a Estimate>) -> Section {
    let mut t = Section::new(
        Some("Self-hosted estimates: how each was sized".into()),
        &[
            "model",
            "gpu",
            ">GPUs/replica",
            ">replicas",
            "precision",
            ">batch",
            ">weights GB",
            ">KV cache GB",
            ">prefill tok/s",
            ">decode tok/s",
            "decode bound",
            ">$/1M tok at utilization",
        ],
    );
    for e in estimates {
        let cur = e.cost.currency;
        let decode = e
            .workloads
            .iter()
            .map(|w| grouped_int(w.decode.tokens_per_s))
            .collect::<Vec<_>>()
            .join(" / ");
        let bound = e
            .workloads
            .iter()
            .map(|w| bound_name(w.decode.limited_by))
            .collect::<Vec<_>>()
            .join(" / ");
        t.rows.push(vec![
            Cell::plain(&e.model),
            Cell::plain(&e.gpu),
            Cell::plain(e.gpus().to_string()),
            Cell::plain(e.replicas.to_string()),
            Cell::plain(e.precision.as_str()),
            Cell::plain(e.batch.to_string()),
            Cell::plain(e.sizing.weights_gb.round_dp(1).normalize().to_string()),
            Cell::plain(e.sizing.kv_cache_gb.round_dp(1).normalize().to_string()),
            Cell::count(e.prefill_tps),
            Cell {
                text: decode,
                raw: String::new(),
            },
            Cell::plain(bound),
            Cell {
                text: format_money(e.cost_per_mtok, cur),
                raw: money_string(e.cost_per_mtok),
            },
        ]);
    }
    t
}

fn bound_name(b: super::roofline::Bound) -> &'static str {
    match b {
        super::roofline::Bound::Bandwidth => "bandwidth",
        super::roofline::Bound::Compute => "compute",
    }
}

fn num(d: Decimal, dp: u32) -> String {
    d.round_dp(dp).normalize().to_string()
}

/// Adds the self-hosting fields to a ranked row's JSON object.
pub fn add_json(row: &mut Value, e: &Estimate) {
    row["label"] = json!(LABEL);
    row["gpu"] = json!(e.gpu);
    row["gpus"] = json!(e.gpus());
    row["precision"] = json!(e.precision.as_str());
    row["replicas"] = json!(e.replicas);
    row["selfhost"] = json!({
        "batch": e.batch,
        "context_tokens": e.context_tokens,
        "utilization": num(e.utilization, 6),
        "min_replicas": e.min_replicas,
        "weights_gb": num(e.sizing.weights_gb, 3),
        "kv_cache_gb": num(e.sizing.kv_cache_gb, 3),
        "usable_memory_gb": num(e.sizing.usable_gb, 3),
        "prefill_tokens_per_s": num(e.prefill_tps, 3),
        "busy_hours": num(e.busy_hours, 3),
        "hours_per_month": num(e.hours_per_month, 0),
        "gpu_hourly_price": money_string(e.gpu_hourly),
        "cost_per_mtok_at_utilization": money_string(e.cost_per_mtok),
        "workloads": e.workloads.iter().map(|w| json!({
            "name": w.name,
            "decode_tokens_per_s": num(w.decode.tokens_per_s, 3),
            "decode_bound": bound_name(w.decode.limited_by),
            "prefill_hours": num(w.prefill_hours, 3),
            "decode_hours": num(w.decode_hours, 3),
        })).collect::<Vec<_>>(),
    });
}
