//! How self-hosting estimates appear in reports: the table of the physics behind each fleet, the
//! configurations the planner tried, the JSON fields every self-hosted row carries, and the note
//! that says what the estimate assumed.

use super::fleet::{Considered, Estimate, WorkloadLoad};
use crate::error::Result;
use crate::money::{format_money, grouped_int, money_string, Currency};
use crate::render::{Cell, LazyRows, Section};
use crate::scenario::Selfhost;
use rust_decimal::Decimal;
use std::rc::Rc;

/// The label every self-hosted row carries.
pub const LABEL: &str = "self-hosted (estimate)";

/// Makes an estimate's loads again, workload by workload ([`Estimate::each_load`] on the scenario
/// it was planned for).
pub type MakeLoads = dyn Fn(&Estimate, &mut dyn FnMut(WorkloadLoad)) -> Result<()>;

/// How a report has an estimate's loads made again.
pub type Loads = Rc<MakeLoads>;

/// A table of the sizing and throughput behind each fleet. The per-workload columns list every
/// workload's figure, so a row is made from the loads as the table is written, not held.
pub fn section(estimates: Vec<Estimate>, loads: Loads) -> Section {
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
    t.lazy = Some(LazyRows::new(move |sink| {
        for e in &estimates {
            sink(row(e, &*loads)?);
        }
        Ok(())
    }));
    t
}

/// Workloads a row of the sizing table lists one by one; beyond this many, each per-workload
/// column gives its range instead ([`Spread`]), so a row stays readable and its size does not
/// grow with the workloads. JSON lists every workload (`selfhost.workloads`).
pub const LISTED_WORKLOADS: usize = 8;

/// The note under a sizing table whose fleets serve more than [`LISTED_WORKLOADS`] workloads.
pub fn spread_note(workloads: usize) -> Option<String> {
    (workloads > LISTED_WORKLOADS).then(|| format!(
        "The self-hosted sizing table lists each workload's batch and speeds for up to {LISTED_WORKLOADS} workloads; for these {} it gives each column's range over the workloads (lowest–highest) and every limit met. --format json lists every workload (selfhost.workloads).",
        grouped_int(Decimal::from(workloads))
    ))
}

/// One estimate's row: its per-workload figures joined with " / " in the scenario's order, or
/// their ranges when it serves more than [`LISTED_WORKLOADS`] workloads.
fn row(e: &Estimate, loads: &MakeLoads) -> Result<Vec<Cell>> {
    let cur = e.cost.currency;
    let [batch, limit, kv, prefill, decode, bound] = if e.served <= LISTED_WORKLOADS {
        listed(e, loads)?
    } else {
        let mut spread = Spread::default();
        loads(e, &mut |w| spread.add(&w))?;
        spread.cells()
    };
    Ok(vec![
        Cell::plain(&e.model),
        Cell::plain(&e.gpu),
        Cell::plain(e.gpus().to_string()),
        Cell::plain(e.replicas.to_string()),
        Cell::plain(format!("{} / {}", e.precision, e.kv_precision)),
        Cell::plain(batch),
        Cell::plain(limit),
        Cell::plain(gb(e.weights_gb)),
        Cell::plain(kv),
        Cell::plain(prefill),
        Cell::plain(decode),
        Cell::plain(bound),
        Cell {
            text: format_money(e.cost_per_mtok, cur),
            raw: money_string(e.cost_per_mtok),
        },
    ])
}

/// Each per-workload column: every workload's figure, joined with " / ".
fn listed(e: &Estimate, loads: &MakeLoads) -> Result<[String; 6]> {
    let per: [&dyn Fn(&WorkloadLoad) -> String; 6] = [
        &|w| w.run.batch.to_string(),
        &|w| w.limited_by.as_str().to_string(),
        &|w| gb(w.kv_cache_gb),
        &|w| grouped(w.run.prefill_tokens_per_s()),
        &|w| grouped(w.run.decode_tokens_per_s()),
        &|w| w.run.limited_by.as_str().to_string(),
    ];
    let mut cells: [String; 6] = Default::default();
    let mut first = true;
    loads(e, &mut |w| {
        for (cell, f) in cells.iter_mut().zip(&per) {
            if !first {
                cell.push_str(" / ");
            }
            cell.push_str(&f(&w));
        }
        first = false;
    })?;
    Ok(cells)
}

/// The range of each per-workload column over many workloads: lowest–highest for a figure, and
/// each limit met, in the order first met.
#[derive(Debug, Default)]
struct Spread {
    batch: Option<(u64, u64)>,
    kv_cache_gb: Option<(f64, f64)>,
    prefill: Option<(f64, f64)>,
    decode: Option<(f64, f64)>,
    limits: Vec<&'static str>,
    bounds: Vec<&'static str>,
}

impl Spread {
    fn add(&mut self, w: &WorkloadLoad) {
        fn widen<T: Copy + PartialOrd>(range: &mut Option<(T, T)>, x: T) {
            let (lo, hi) = range.get_or_insert((x, x));
            if x < *lo {
                *lo = x;
            }
            if x > *hi {
                *hi = x;
            }
        }
        fn meet(seen: &mut Vec<&'static str>, x: &'static str) {
            if !seen.contains(&x) {
                seen.push(x);
            }
        }
        widen(&mut self.batch, w.run.batch);
        widen(&mut self.kv_cache_gb, w.kv_cache_gb);
        widen(&mut self.prefill, w.run.prefill_tokens_per_s());
        widen(&mut self.decode, w.run.decode_tokens_per_s());
        meet(&mut self.limits, w.limited_by.as_str());
        meet(&mut self.bounds, w.run.limited_by.as_str());
    }

    fn cells(&self) -> [String; 6] {
        fn range<T: Copy>(r: Option<(T, T)>, f: impl Fn(T) -> String) -> String {
            r.map_or_else(String::new, |(lo, hi)| {
                let (lo, hi) = (f(lo), f(hi));
                if lo == hi {
                    lo
                } else {
                    format!("{lo}–{hi}")
                }
            })
        }
        [
            range(self.batch, |b| b.to_string()),
            self.limits.join(" / "),
            range(self.kv_cache_gb, gb),
            range(self.prefill, grouped),
            range(self.decode, grouped),
            self.bounds.join(" / "),
        ]
    }
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
