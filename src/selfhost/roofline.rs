//! Throughput of one replica, calibrated to measurements: a roofline with efficiencies.
//!
//! A replica of n GPUs runs a static batch of B requests, each prefilling I tokens and then
//! generating O, as the published benchmarks do:
//!
//! FLOP/s     = n × peak tensor FLOP/s × prefill_efficiency × tp_efficiency(n)
//! bytes/s    = n × peak bandwidth × decode_bandwidth_efficiency × tp_efficiency(n)
//! prefill    = B × (2 × active params × I + 2 × layers × attention width × I²) ÷ FLOP/s
//! decode step at the average context c = I + O ÷ 2:
//!   compute  = B × (2 × active params + 4 × layers × attention width × c) ÷ FLOP/s
//!   memory   = (weights read × bytes per weight + B × c × KV bytes per token) ÷ bytes/s
//!   step     = max(compute, memory)
//! output tokens/s = B × O ÷ (prefill + O × step)
//! time to first token = prefill (static batch), or prefill ÷ B + step for a request joining a
//!                       running batch (in-flight batching, which the fleet plans with)
//!
//! Attention's FLOPs (4 × layers × width × context a token, causal in prefill so I² ÷ 2 a
//! sequence) and its KV reads are counted. The efficiencies come from `profiles/hardware.toml`,
//! fitted to TensorRT-LLM's published H100 rows (see docs/selfhost.md). Everything here is an
//! estimate, in `f64`.

use super::shape::{bytes_per_param, Shape};
use crate::catalogue::hardware::{Accelerator, Calibration};
use crate::catalogue::vocab::{KvPrecision, Precision};
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

/// Which bound limits a decode step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// Reading weights and cache from memory.
    Bandwidth,
    /// Tensor-core arithmetic.
    Compute,
}

impl Bound {
    /// As printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Bound::Bandwidth => "bandwidth",
            Bound::Compute => "compute",
        }
    }
}

/// One replica's effective rates.
#[derive(Debug, Clone, PartialEq)]
pub struct Engine {
    /// The model.
    pub shape: Shape,
    /// GPUs in the replica (the tensor-parallel degree).
    pub gpus: u64,
    /// Weight precision.
    pub precision: Precision,
    /// Cache precision.
    pub kv: KvPrecision,
    /// Effective FLOP/s of the replica.
    pub flops: f64,
    /// Effective bytes a second of the replica.
    pub bandwidth: f64,
}

/// A static batch run to completion.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Run {
    /// Requests in the batch.
    pub batch: u64,
    /// Prompt tokens a request.
    pub input: u64,
    /// Reply tokens a request.
    pub output: u64,
    /// Seconds to prefill the whole batch: the first token waits for it.
    pub prefill_s: f64,
    /// Seconds one decode step takes at the average context.
    pub step_s: f64,
    /// What limits a decode step.
    pub limited_by: Bound,
}

impl Engine {
    /// The rates of `gpus` GPUs of `gpu` serving `shape`, or why that replica cannot run.
    pub fn new(
        shape: &Shape,
        gpu: &Accelerator,
        gpus: u64,
        precision: Precision,
        kv: KvPrecision,
        cal: &Calibration,
    ) -> Result<Engine, String> {
        let Some(tflops) = gpu.tflops_for(precision) else {
            return Err(format!(
                "{} has no {precision} tensor cores; use bf16 or int8 weights on it",
                gpu.id
            ));
        };
        let Some(tp) = cal.tp_efficiency(gpus) else {
            return Err(format!(
                "no tensor-parallel calibration for {gpus} GPUs (groups of 1, 2, 4 or 8)"
            ));
        };
        let f = |d: rust_decimal::Decimal| d.to_f64().unwrap_or(0.0);
        let n = gpus as f64;
        Ok(Engine {
            shape: shape.clone(),
            gpus,
            precision,
            kv,
            flops: n * f(tflops) * 1e12 * f(cal.prefill_efficiency) * f(tp),
            bandwidth: n * f(gpu.bandwidth_tbs) * 1e12 * f(cal.decode_bandwidth_efficiency) * f(tp),
        })
    }

    /// FLOPs to prefill one `input`-token prompt, attention included (causal: I² ÷ 2 pairs).
    pub fn prefill_flops(&self, input: u64) -> f64 {
        let s = &self.shape;
        let i = input as f64;
        2.0 * s.active_params_b * 1e9 * i + 2.0 * s.layers as f64 * s.attention_width() * i * i
    }

    /// Runs a static batch of `batch` requests of `input` prompt and `output` reply tokens.
    pub fn run(&self, batch: u64, input: u64, output: u64) -> Run {
        let s = &self.shape;
        let b = batch as f64;
        let context = input as f64 + output as f64 / 2.0;
        let prefill_s = b * self.prefill_flops(input) / self.flops;
        let token_flops =
            2.0 * s.active_params_b * 1e9 + 4.0 * s.layers as f64 * s.attention_width() * context;
        let compute = b * token_flops / self.flops;
        let bytes = s.weights_read_b(batch) * 1e9 * bytes_per_param(self.precision)
            + b * context * s.kv_bytes_per_token(self.kv);
        let memory = bytes / self.bandwidth;
        let (step_s, limited_by) = if memory >= compute {
            (memory, Bound::Bandwidth)
        } else {
            (compute, Bound::Compute)
        };
        Run {
            batch,
            input,
            output,
            prefill_s,
            step_s,
            limited_by,
        }
    }
}

impl Run {
    /// Seconds from the batch's start to its last token.
    pub fn total_s(&self) -> f64 {
        self.prefill_s + self.output as f64 * self.step_s
    }

    /// Seconds of the replica one request takes, the batch sharing it.
    pub fn seconds_per_request(&self) -> f64 {
        self.total_s() / self.batch as f64
    }

    /// Prompt tokens prefilled a second.
    pub fn prefill_tokens_per_s(&self) -> f64 {
        per_s(self.batch as f64 * self.input as f64, self.prefill_s)
    }

    /// Tokens decoded a second, over the batch.
    pub fn decode_tokens_per_s(&self) -> f64 {
        per_s(self.batch as f64, self.step_s)
    }

    /// Output tokens ÷ total time, as the benchmarks report it.
    pub fn output_tokens_per_s(&self) -> f64 {
        per_s(self.batch as f64 * self.output as f64, self.total_s())
    }

    /// Milliseconds until the first token of a static batch: the whole batch's prefill, since
    /// every prompt is prefilled before anyone's first token. This is what `llmplan throughput`
    /// reports, as the static-batch benchmarks measure it.
    pub fn time_to_first_token_ms(&self) -> f64 {
        self.prefill_s * 1e3
    }

    /// Milliseconds until the first token of a request joining a running batch of this size, as
    /// engines with in-flight batching serve: its own prompt's prefill, then one decode step of
    /// the batch. The fleet's `max_time_to_first_token_ms` is held to this.
    pub fn in_flight_time_to_first_token_ms(&self) -> f64 {
        (self.prefill_s / self.batch as f64 + self.step_s) * 1e3
    }

    /// Milliseconds between a user's tokens: one decode step.
    pub fn time_per_output_token_ms(&self) -> f64 {
        self.step_s * 1e3
    }
}

/// Tokens a second: a throughput estimate, never an amount of money (the fleet's bill is exact
/// `Decimal`, in `fleet.rs`).
fn per_s(tokens: f64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        tokens / seconds
    } else {
        0.0
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::selfhost::memory::tests::h100;
    use crate::selfhost::shape::tests::{llama2_70b, llama2_7b, mixtral};
    use rust_decimal::Decimal;
    use std::collections::BTreeMap;

    /// The shipped calibration: 0.5 of peak FLOP/s, 0.6 of peak bandwidth, speed-ups 1.27, 1.48
    /// and 1.54 at 2, 4 and 8 GPUs.
    pub(crate) fn calibration() -> Calibration {
        Calibration {
            prefill_efficiency: Decimal::new(5, 1),
            prefill_source: String::new(),
            decode_bandwidth_efficiency: Decimal::new(6, 1),
            decode_source: String::new(),
            tp_speedup: BTreeMap::from([
                (1, Decimal::ONE),
                (2, Decimal::new(127, 2)),
                (4, Decimal::new(148, 2)),
                (8, Decimal::new(154, 2)),
            ]),
            tp_source: String::new(),
        }
    }

    #[track_caller]
    fn close(a: f64, b: f64, rel: f64) {
        assert!(
            (a - b).abs() <= rel * b.abs(),
            "{a} is not {b} within {rel}"
        );
    }

    #[test]
    fn llama2_7b_fp8_on_one_h100_decode_heavy() {
        let e = Engine::new(
            &llama2_7b(),
            &h100(),
            1,
            Precision::Fp8,
            KvPrecision::Fp8,
            &calibration(),
        )
        .unwrap();
        // 1,979e12 × 0.5 = 989.5e12 FLOP/s; 3.35e12 × 0.6 = 2.01e12 B/s.
        close(e.flops, 989.5e12, 1e-12);
        close(e.bandwidth, 2.01e12, 1e-12);
        // TensorRT-LLM row: batch 112, 128 in, 2,048 out. Prefill: 2 × 7e9 × 128 + 2 × 32 × 4,096
        // × 128² = 1.792e12 + 4.295e9 = 1.796295e12 FLOPs a request; × 112 ÷ 989.5e12 = 0.2033 s.
        let r = e.run(112, 128, 2048);
        close(r.prefill_s, 112.0 * 1.796_294_967_296e12 / 989.5e12, 1e-12);
        // Decode at c = 128 + 1,024 = 1,152: bytes = 7e9 + 112 × 1,152 × 262,144 (fp8 cache) =
        // 40.82e9; ÷ 2.01e12 = 20.31 ms, above the compute time (1.65 ms): bandwidth-bound.
        assert_eq!(r.limited_by, Bound::Bandwidth);
        close(
            r.step_s,
            (7e9 + 112.0 * 1152.0 * 262_144.0) / 2.01e12,
            1e-12,
        );
        // 112 × 2,048 ÷ (0.2033 + 2,048 × 0.02031) = 5,488 output tokens/s (published: 6,818).
        close(r.output_tokens_per_s(), 5488.0, 1e-3);
    }

    #[test]
    fn tensor_parallelism_scales_by_the_measured_speed_up() {
        let cal = calibration();
        let one = Engine::new(
            &llama2_70b(),
            &h100(),
            1,
            Precision::Fp8,
            KvPrecision::Fp8,
            &cal,
        )
        .unwrap();
        let two = Engine::new(
            &llama2_70b(),
            &h100(),
            2,
            Precision::Fp8,
            KvPrecision::Fp8,
            &cal,
        )
        .unwrap();
        let eight = Engine::new(
            &llama2_70b(),
            &h100(),
            8,
            Precision::Fp8,
            KvPrecision::Fp8,
            &cal,
        )
        .unwrap();
        // Two GPUs are 1.27× one, not 2×; eight are 1.54×.
        close(two.flops / one.flops, 1.27, 1e-12);
        close(two.bandwidth / one.bandwidth, 1.27, 1e-12);
        close(eight.bandwidth / one.bandwidth, 1.54, 1e-12);
    }

    #[test]
    fn fp8_needs_fp8_tensor_cores() {
        let mut a100 = h100();
        a100.id = "a100-80gb".into();
        a100.fp8_tflops = None;
        let why = Engine::new(
            &llama2_7b(),
            &a100,
            1,
            Precision::Fp8,
            KvPrecision::Bf16,
            &calibration(),
        )
        .unwrap_err();
        assert_eq!(
            why,
            "a100-80gb has no fp8 tensor cores; use bf16 or int8 weights on it"
        );
    }

    #[test]
    fn huge_batches_hit_the_compute_bound() {
        // Batch 4,096 of 10-token prompts and 2-token replies (c = 11): compute = 4,096 × (14e9 +
        // 4 × 32 × 4,096 × 11) ÷ 494.75e12 (bf16 at 0.5) = 116.0 ms; memory = (14e9 + 4,096 × 11 ×
        // 524,288) ÷ 2.01e12 = 18.7 ms: compute limits.
        let e = Engine::new(
            &llama2_7b(),
            &h100(),
            1,
            Precision::Bf16,
            KvPrecision::Bf16,
            &calibration(),
        )
        .unwrap();
        let r = e.run(4096, 10, 2);
        assert_eq!(r.limited_by, Bound::Compute);
        close(
            r.step_s,
            4096.0 * (14e9 + 4.0 * 32.0 * 4096.0 * 11.0) / 494.75e12,
            1e-12,
        );
    }

    #[test]
    fn mixtral_reads_13b_per_token_alone() {
        // Batch 1, bf16 on two H100: a step reads 13e9 × 2 bytes plus the cache, at 2 × 3.35e12 ×
        // 0.6 × 0.635 = 2.5527e12 B/s.
        let e = Engine::new(
            &mixtral(),
            &h100(),
            2,
            Precision::Bf16,
            KvPrecision::Bf16,
            &calibration(),
        )
        .unwrap();
        let r = e.run(1, 1000, 200);
        let bytes = 26e9 + 1100.0 * 131_072.0;
        close(r.step_s, bytes / 2.5527e12, 1e-9);
    }
}
