//! Throughput bounds for one replica of `gpus` GPUs (tensor parallel, so rates add up).
//!
//! prefill tokens/s = FLOP/s ÷ (2 × active params)          compute bound only: a prompt is
//!                                                           processed as one large matrix product
//! decode tokens/s  = min( FLOP/s ÷ (2 × active params),     compute bound
//!                         batch × bandwidth ÷ bytes/step )  bandwidth bound
//! bytes/step = weights read (see `Shape::weights_read_b`) × bytes per weight
//!              + batch × average context × KV bytes per token
//!
//! Peak rates are used as printed: no speculative decoding, no kernel inefficiency, and attention
//! FLOPs (which grow with context) are left out, so these are upper bounds on throughput.

use super::shape::{bytes_per_param, Shape};
use super::{div, GIGA, TERA};
use crate::catalogue::hardware::Accelerator;
use crate::catalogue::vocab::Precision;
use crate::cost::{add, mul};
use crate::error::Result;
use rust_decimal::Decimal;
use serde::Serialize;

/// Which bound limits decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// Reading weights and cache from memory.
    Bandwidth,
    /// Tensor-core arithmetic.
    Compute,
}

/// Decode throughput and how it was reached.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Decode {
    /// Tokens a second: the smaller bound.
    pub tokens_per_s: Decimal,
    /// FLOP/s ÷ (2 × active params).
    pub compute_bound: Decimal,
    /// batch × bandwidth ÷ bytes per step.
    pub bandwidth_bound: Decimal,
    /// Bytes read in one decode step.
    pub bytes_per_step: Decimal,
    /// Which bound applies.
    pub limited_by: Bound,
}

/// The compute bound, tokens a second: FLOP/s ÷ (2 × active params). Prefill runs at this rate.
pub fn compute_tps(
    shape: &Shape,
    precision: Precision,
    gpu: &Accelerator,
    gpus: u64,
) -> Result<Decimal> {
    let what = "compute-bound throughput";
    let flops = mul(
        mul(gpu.tflops_for(precision), TERA, what)?,
        Decimal::from(gpus),
        what,
    )?;
    let flop_per_token = mul(mul(Decimal::TWO, shape.active_params_b, what)?, GIGA, what)?;
    div(flops, flop_per_token, what)
}

/// Decode throughput at `batch` sequences whose cached context averages `avg_context` tokens.
pub fn decode(
    shape: &Shape,
    precision: Precision,
    gpu: &Accelerator,
    gpus: u64,
    batch: u64,
    avg_context: Decimal,
) -> Result<Decode> {
    let what = "decode throughput";
    let compute_bound = compute_tps(shape, precision, gpu, gpus)?;
    let weight_bytes = mul(
        mul(shape.weights_read_b(batch)?, GIGA, what)?,
        bytes_per_param(precision),
        what,
    )?;
    let cache_bytes = mul(
        mul(Decimal::from(batch), avg_context, what)?,
        shape.kv_bytes_per_token()?,
        what,
    )?;
    let bytes_per_step = add(weight_bytes, cache_bytes, what)?;
    let bandwidth = mul(
        mul(gpu.bandwidth_tbs, TERA, what)?,
        Decimal::from(gpus),
        what,
    )?;
    let bandwidth_bound = div(
        mul(Decimal::from(batch), bandwidth, what)?,
        bytes_per_step,
        what,
    )?;
    let (tokens_per_s, limited_by) = if bandwidth_bound <= compute_bound {
        (bandwidth_bound, Bound::Bandwidth)
    } else {
        (compute_bound, Bound::Compute)
    };
    Ok(Decode {
        tokens_per_s,
        compute_bound,
        bandwidth_bound,
        bytes_per_step,
        limited_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::model::Moe;
    use crate::selfhost::memory::tests::{h100, llama2_70b};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn llama2_70b_bf16_on_two_h100() {
        let s = llama2_70b();
        // Compute: 2 × 989.5e12 FLOP/s ÷ (2 × 70e9) = 1.979e15 ÷ 1.4e11 = 14,135.714… tokens/s.
        let c = compute_tps(&s, Precision::Bf16, &h100(), 2).unwrap();
        assert_eq!(c.round_dp(3), d("14135.714"));
        // Batch 1, 1,000 tokens of context: bytes/step = 140e9 + 1,000 × 327,680 = 140.32768e9;
        // bandwidth bound = 1 × 6.7e12 ÷ 140.32768e9 = 47.7453… tokens/s, far below compute.
        let one = decode(&s, Precision::Bf16, &h100(), 2, 1, d("1000")).unwrap();
        assert_eq!(one.bytes_per_step, d("140327680000"));
        assert_eq!(one.bandwidth_bound.round_dp(4), d("47.7454"));
        assert_eq!(one.limited_by, Bound::Bandwidth);
        assert_eq!(one.tokens_per_s, one.bandwidth_bound);
        // Batch 32: bytes/step = 140e9 + 32 × 1,000 × 327,680 = 150.48576e9;
        // 32 × 6.7e12 ÷ 150.48576e9 = 1,424.7195… tokens/s: batching multiplies decode ~30×.
        let b32 = decode(&s, Precision::Bf16, &h100(), 2, 32, d("1000")).unwrap();
        assert_eq!(b32.tokens_per_s.round_dp(4), d("1424.7195"));
    }

    #[test]
    fn huge_batches_hit_the_compute_bound() {
        // int8 on 8 H100 with int8 tensor rate 1,979 TOP/s; batch 4,096, 10 tokens of context:
        // compute = 8 × 1,979e12 ÷ 140e9 = 113,085.714…; bandwidth = 4,096 × 26.8e12 ÷
        // (70e9 + 4,096 × 10 × 327,680) = 1.09773e17 ÷ 83.42177e9 = 1,315,877.1… — compute limits.
        let mut gpu = h100();
        gpu.int8_tops = Some(d("1979"));
        let r = decode(&llama2_70b(), Precision::Int8, &gpu, 8, 4096, d("10")).unwrap();
        assert_eq!(r.limited_by, Bound::Compute);
        assert_eq!(r.tokens_per_s.round_dp(3), d("113085.714"));
    }

    #[test]
    fn mixtral_reads_13b_per_token_alone() {
        let mix = Shape {
            params_b: d("47"),
            active_params_b: d("13"),
            layers: 32,
            kv_heads: 8,
            head_dim: 128,
            heads: 32,
            moe: Some(Moe {
                experts: 8,
                per_token: 2,
            }),
        };
        // Batch 1, no context: 13e9 × 2 bytes = 26e9 bytes; 3.35e12 ÷ 26e9 = 128.846… tokens/s on one GPU.
        let r = decode(&mix, Precision::Bf16, &h100(), 1, 1, Decimal::ZERO).unwrap();
        assert_eq!(r.tokens_per_s.round_dp(3), d("128.846"));
    }
}
