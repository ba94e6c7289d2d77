//! Sizing one replica: the fewest GPUs whose memory holds the weights and the key/value cache.
//!
//! weights (GB) = params (billions) × bytes per weight
//! KV cache (GB) = batch × context tokens × KV bytes per token ÷ 10⁹
//! GPUs = the smallest count n that divides the attention heads and has
//!        n × memory_gb × 0.9 ≥ weights + KV cache.

use super::shape::{bytes_per_param, Shape};
use super::{div, GIGA};
use crate::catalogue::hardware::Accelerator;
use crate::catalogue::vocab::Precision;
use crate::cost::{add, mul};
use crate::error::Result;
use rust_decimal::Decimal;

/// Share of a GPU's memory available to weights and cache. The rest holds activations, the CUDA
/// context and allocator slack; 0.9 is vLLM's default `gpu_memory_utilization`.
pub const USABLE_MEMORY: Decimal = Decimal::from_parts(9, 0, 0, false, 1);

/// How one replica is sized.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Sizing {
    /// Weights, GB.
    pub weights_gb: Decimal,
    /// Key/value cache for the batch at the longest context, GB.
    pub kv_cache_gb: Decimal,
    /// GPUs in one replica.
    pub gpus: u64,
    /// Usable memory of those GPUs, GB.
    pub usable_gb: Decimal,
}

impl Sizing {
    /// Weights plus cache, GB.
    pub fn needed_gb(&self) -> Decimal {
        self.weights_gb + self.kv_cache_gb
    }
}

/// Sizes a replica, or says why the model fits on no tensor-parallel group of this GPU.
pub fn size(
    shape: &Shape,
    precision: Precision,
    gpu: &Accelerator,
    batch: u64,
    context_tokens: u64,
) -> Result<std::result::Result<Sizing, String>> {
    let what = "memory sizing";
    let weights_gb = mul(shape.params_b, bytes_per_param(precision), what)?;
    let cached_tokens = mul(Decimal::from(batch), Decimal::from(context_tokens), what)?;
    let kv_cache_gb = div(
        mul(cached_tokens, shape.kv_bytes_per_token()?, what)?,
        GIGA,
        what,
    )?;
    let needed = add(weights_gb, kv_cache_gb, what)?;
    let per_gpu = mul(gpu.memory_gb, USABLE_MEMORY, what)?;
    // Tensor parallelism gives every GPU the same number of attention heads.
    for n in (1..=shape.heads).filter(|n| shape.heads.is_multiple_of(*n)) {
        let usable_gb = mul(per_gpu, Decimal::from(n), what)?;
        if usable_gb >= needed {
            return Ok(Ok(Sizing {
                weights_gb,
                kv_cache_gb,
                gpus: n,
                usable_gb,
            }));
        }
    }
    let most = mul(per_gpu, Decimal::from(shape.heads), what)?;
    Ok(Err(format!(
        "needs {} GB for weights and cache, more than {} {} hold ({} GB usable); lower the precision or the batch",
        needed.round_dp(1).normalize(),
        shape.heads,
        gpu.id,
        most.round_dp(1).normalize()
    )))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::str::FromStr;

    pub(crate) fn h100() -> Accelerator {
        Accelerator {
            id: "h100-sxm".into(),
            name: "H100".into(),
            memory_gb: Decimal::from(80),
            bandwidth_tbs: Decimal::from_str("3.35").unwrap(),
            bf16_tflops: Decimal::from_str("989.5").unwrap(),
            fp8_tflops: None,
            int8_tops: None,
            source: String::new(),
            price: None,
        }
    }

    pub(crate) fn llama2_70b() -> Shape {
        Shape {
            params_b: Decimal::from(70),
            active_params_b: Decimal::from(70),
            layers: 80,
            kv_heads: 8,
            head_dim: 128,
            heads: 64,
            moe: None,
        }
    }

    #[track_caller]
    fn case(p: Precision, batch: u64, ctx: u64, weights: &str, kv: &str, gpus: u64) {
        let s = size(&llama2_70b(), p, &h100(), batch, ctx)
            .unwrap()
            .unwrap();
        assert_eq!(s.weights_gb, Decimal::from_str(weights).unwrap(), "weights");
        assert_eq!(
            s.kv_cache_gb.normalize(),
            Decimal::from_str(kv).unwrap(),
            "kv"
        );
        assert_eq!(s.gpus, gpus, "gpus");
    }

    #[test]
    fn llama2_70b_on_h100() {
        // bf16: 70B × 2 bytes = 140 GB > one H100's 72 usable GB, so at least 2 GPUs.
        // Batch 1 at 4,096 tokens adds 4,096 × 327,680 B = 1.34217728 GB: 141.3 ≤ 2 × 72 = 144.
        case(Precision::Bf16, 1, 4096, "140", "1.34217728", 2);
        // Batch 32 at 4,096 tokens: 42.94967296 GB of cache, 182.9 GB in all > 144; 3 GPUs (216)
        // would hold it but 3 does not divide Llama's 64 heads, so 4.
        case(Precision::Bf16, 32, 4096, "140", "42.94967296", 4);
        // int8: 70 GB + 42.9 = 112.9 GB ≤ 144: 2 GPUs. int4: 35 + 1.3 = 36.3 ≤ 72: 1 GPU.
        case(Precision::Int8, 32, 4096, "70", "42.94967296", 2);
        case(Precision::Int4, 1, 4096, "35.0", "1.34217728", 1);
    }

    #[test]
    fn too_big_for_any_group() {
        // 140 GB + 100,000 × 4,096 × 327,680 B = 140 + 134,217.728 GB; 64 GPUs hold 64 × 72.
        let why = size(&llama2_70b(), Precision::Bf16, &h100(), 100_000, 4096)
            .unwrap()
            .unwrap_err();
        assert!(why.starts_with("needs 134357.7 GB"), "{why}");
        assert!(why.contains("64 h100-sxm hold (4608 GB usable)"), "{why}");
    }
}
