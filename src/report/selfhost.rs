//! What a self-hosted candidate adds to a ranked row, and the configurations tried (`rank --all`,
//! `breakeven`). Figures computed in floating point are strings with fixed decimals.

use super::value::{Approx, Exact, Money};
use crate::selfhost::batch::Limit;
use crate::selfhost::fleet::{Considered, Estimate, WorkloadLoad};
use schemars::JsonSchema;
use serde::Serialize;

/// The fields flattened into a self-hosted row.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SelfHostFields {
    /// `self-hosted estimate`: the figures are estimates.
    pub label: &'static str,
    /// Accelerator id.
    pub gpu: String,
    /// GPUs per replica.
    pub gpus: u64,
    /// The tensor-parallel degree.
    pub tensor_parallel: u64,
    /// Replicas in the first month.
    pub replicas: u64,
    /// The batch of the busiest workload.
    pub batch: u64,
    /// Weight precision.
    pub precision: &'static str,
    /// Key/value cache precision.
    pub kv_precision: &'static str,
    /// How the fleet was sized.
    pub selfhost: SelfHostDetail,
}

/// How a self-hosted fleet was sized, and what each workload asks of it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SelfHostDetail {
    /// The share of estimated throughput planned for.
    pub utilization: Exact,
    /// Peak traffic ÷ average traffic.
    pub peak_to_average: Exact,
    /// Replicas the peak needs.
    pub min_replicas: u64,
    /// Replicas added beyond that.
    pub spare_replicas: u64,
    /// Weights per replica, GB.
    pub weights_gb: Approx,
    /// Memory per replica after the runtime reserve, GB.
    pub usable_memory_gb: Approx,
    /// Replica-hours of work a month.
    pub busy_hours: Approx,
    /// Hours billed a month.
    pub hours_per_month: Exact,
    /// The rental price of one GPU for an hour.
    pub gpu_hourly_price: Money,
    /// Cost per 1M tokens with every replica busy.
    pub cost_per_mtok_at_capacity: Money,
    /// Each workload's batch and speed, in the scenario's order.
    pub workloads: Vec<SelfHostWorkload>,
}

/// One workload on a self-hosted replica.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SelfHostWorkload {
    /// Workload name.
    pub name: String,
    /// Requests in the static batch.
    pub batch: u64,
    /// What stopped the batch from growing.
    pub batch_limited_by: Limit,
    /// Key/value cache of the batch, GB.
    pub kv_cache_gb: Approx,
    /// Prompt tokens a second.
    pub prefill_tokens_per_s: Approx,
    /// Generated tokens a second.
    pub decode_tokens_per_s: Approx,
    /// `memory` or `compute`: what bounds a decode step.
    pub decode_bound: &'static str,
    /// Time to first token, ms.
    pub time_to_first_token_ms: Approx,
    /// Time per output token, ms.
    pub time_per_output_token_ms: Approx,
    /// Replica-hours of prefill a month.
    pub prefill_hours: Approx,
    /// Replica-hours of decode a month.
    pub decode_hours: Approx,
}

impl SelfHostFields {
    /// The fields of an estimate.
    pub fn of(e: &Estimate) -> SelfHostFields {
        SelfHostFields {
            label: crate::selfhost::report::LABEL,
            gpu: e.gpu.clone(),
            gpus: e.gpus(),
            tensor_parallel: e.tensor_parallel,
            replicas: e.replicas,
            batch: e.batch(),
            precision: e.precision.as_str(),
            kv_precision: e.kv_precision.as_str(),
            selfhost: SelfHostDetail {
                utilization: Exact::of(e.utilization),
                peak_to_average: Exact::of(e.peak_to_average),
                min_replicas: e.min_replicas,
                spare_replicas: e.spare_replicas,
                weights_gb: Approx::of(e.weights_gb, 3),
                usable_memory_gb: Approx::of(e.usable_gb, 3),
                busy_hours: Approx::of(e.busy_hours, 3),
                hours_per_month: Exact::of(e.hours_per_month),
                gpu_hourly_price: Money::of(e.gpu_hourly),
                cost_per_mtok_at_capacity: Money::of(e.cost_per_mtok),
                // Filled as the report is written, from the workloads' loads made again
                // ([`SelfHostWorkload::of`]).
                workloads: Vec::new(),
            },
        }
    }
}

impl SelfHostWorkload {
    /// One workload's load, as JSON prints it.
    pub fn of(w: &WorkloadLoad) -> SelfHostWorkload {
        SelfHostWorkload {
            name: w.name.clone(),
            batch: w.run.batch,
            batch_limited_by: w.limited_by,
            kv_cache_gb: Approx::of(w.kv_cache_gb, 3),
            prefill_tokens_per_s: Approx::of(w.run.prefill_tokens_per_s(), 1),
            decode_tokens_per_s: Approx::of(w.run.decode_tokens_per_s(), 1),
            decode_bound: w.run.limited_by.as_str(),
            time_to_first_token_ms: Approx::of(w.run.time_to_first_token_ms(), 1),
            time_per_output_token_ms: Approx::of(w.run.time_per_output_token_ms(), 3),
            prefill_hours: Approx::of(w.prefill_hours, 3),
            decode_hours: Approx::of(w.decode_hours, 3),
        }
    }
}

/// One configuration tried: its cost, or why it cannot serve.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Configuration {
    /// Model id.
    pub model: String,
    /// Accelerator id.
    pub gpu: String,
    /// GPUs per replica; null when the GPU was ruled out before sizing.
    pub tensor_parallel: Option<u64>,
    /// The headline batch, when it serves.
    pub batch: Option<u64>,
    /// Replicas in the first month, when it serves.
    pub replicas: Option<u64>,
    /// The monthly bill, when it serves.
    pub monthly_cost: Option<Money>,
    /// Why it cannot serve.
    pub reason: Option<String>,
}

/// Every configuration tried.
pub fn configurations(considered: &[Considered]) -> Vec<Configuration> {
    considered
        .iter()
        .map(|c| Configuration {
            model: c.model.clone(),
            gpu: c.gpu.clone(),
            tensor_parallel: c.tensor_parallel,
            batch: c.batch,
            replicas: c.replicas,
            monthly_cost: c.monthly_cost.map(Money::of),
            reason: c.reason.clone(),
        })
        .collect()
}
