//! The memory of one replica, sized the way serving engines page it.
//!
//! usable (GB)     = GPUs × memory_gb × (1 − runtime reserve)
//! weights (GB)    = params (billions) × bytes per weight
//! cache room (GB) = usable − weights
//! batch that fits = ⌊cache room ÷ (average in-flight context × KV bytes per token)⌋
//!
//! The cache is paged per token (vLLM's PagedAttention, TensorRT-LLM's paged KV cache), so a
//! sequence holds only the tokens it has so far: on average its prompt and half its reply. The
//! batch is whatever fits; tensor parallelism is never added just to hold more cache.

use super::shape::{bytes_per_param, Shape};
use crate::catalogue::hardware::Accelerator;
use crate::catalogue::vocab::{KvPrecision, Precision};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

/// Bytes in a GB.
pub const GB: f64 = 1e9;

/// The memory of one replica of `gpus` GPUs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Memory {
    /// Weights, GB.
    pub weights_gb: f64,
    /// Memory left after the runtime reserve, GB, summed over the replica's GPUs.
    pub usable_gb: f64,
    /// Key/value cache bytes one token holds.
    pub kv_bytes_per_token: f64,
}

impl Memory {
    /// Sizes `gpus` GPUs of `gpu` holding `shape` at `precision`, with a KV cache at `kv`.
    pub fn new(
        shape: &Shape,
        precision: Precision,
        kv: KvPrecision,
        gpu: &Accelerator,
        gpus: u64,
        runtime_reserve: Decimal,
    ) -> Memory {
        let per_gpu = gpu.memory_gb.to_f64().unwrap_or(0.0);
        let keep = 1.0 - runtime_reserve.to_f64().unwrap_or(0.0);
        Memory {
            weights_gb: shape.params_b * bytes_per_param(precision),
            usable_gb: per_gpu * gpus as f64 * keep,
            kv_bytes_per_token: shape.kv_bytes_per_token(kv),
        }
    }

    /// GB left for the cache once the weights are in; negative when they do not fit.
    pub fn cache_room_gb(&self) -> f64 {
        self.usable_gb - self.weights_gb
    }

    /// GB of cache `batch` sequences of `context` tokens each hold.
    pub fn kv_cache_gb(&self, batch: u64, context: f64) -> f64 {
        batch as f64 * context * self.kv_bytes_per_token / GB
    }

    /// The most sequences whose average in-flight `context` fits in the cache room.
    pub fn batch_fitting(&self, context: f64) -> u64 {
        let per_sequence = context * self.kv_bytes_per_token / GB;
        if self.cache_room_gb() <= 0.0 {
            return 0;
        }
        if per_sequence <= 0.0 {
            return u64::MAX;
        }
        (self.cache_room_gb() / per_sequence).floor() as u64
    }

    /// Why the weights and one sequence of `longest` tokens do not fit, or `None` when they do.
    pub fn shortfall(&self, longest: u64, gpu: &str, gpus: u64) -> Option<String> {
        let one = self.kv_cache_gb(1, longest as f64);
        if self.weights_gb + one <= self.usable_gb {
            return None;
        }
        Some(format!(
            "{} GB of weights and {} GB of cache for one {longest}-token request exceed the {} GB usable on {gpus}× {gpu}",
            round1(self.weights_gb),
            round1(one),
            round1(self.usable_gb)
        ))
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::selfhost::shape::tests::{llama2_70b, llama2_7b};
    use std::str::FromStr;

    pub(crate) fn h100() -> Accelerator {
        Accelerator {
            id: "h100-sxm".into(),
            name: "H100".into(),
            memory_gb: Decimal::from(80),
            bandwidth_tbs: Decimal::from_str("3.35").unwrap(),
            bf16_tflops: Decimal::from_str("989.5").unwrap(),
            fp8_tflops: Some(Decimal::from(1979)),
            int8_tops: Some(Decimal::from(1979)),
            consumer: false,
            source: String::new(),
            price: None,
        }
    }

    fn tenth() -> Decimal {
        Decimal::new(1, 1)
    }

    #[test]
    fn llama2_7b_bf16_on_one_h100_at_4k_context() {
        // 7B × 2 bytes = 14 GB of weights; 80 GB × 0.9 = 72 GB usable, 58 GB left for the cache.
        let m = Memory::new(
            &llama2_7b(),
            Precision::Bf16,
            KvPrecision::Bf16,
            &h100(),
            1,
            tenth(),
        );
        assert_eq!(m.weights_gb, 14.0);
        assert!((m.usable_gb - 72.0).abs() < 1e-9);
        // A 4,096-token request holds 4,096 × 524,288 B = 2.147 GB at its longest: it fits on one GPU.
        assert_eq!(m.shortfall(4096, "h100-sxm", 1), None);
        // Requests of 3,072 prompt and 1,024 reply tokens hold 3,072 + 512 = 3,584 tokens on
        // average: 3,584 × 524,288 B = 1.879 GB each, so ⌊58 ÷ 1.879048192⌋ = 30 fit at once.
        assert_eq!(m.batch_fitting(3584.0), 30);
        // The old rule (32 sequences at the full 4k context, 68.7 GB of cache) bought a second GPU;
        // paged, one H100 serves 30 such requests together.
        assert!((m.kv_cache_gb(30, 3584.0) - 56.371_445_76).abs() < 1e-6);
    }

    #[test]
    fn llama2_70b_bf16_needs_at_least_two_h100() {
        // 70B × 2 bytes = 140 GB > 72 GB usable on one H100: no batch at all.
        let one = Memory::new(
            &llama2_70b(),
            Precision::Bf16,
            KvPrecision::Bf16,
            &h100(),
            1,
            tenth(),
        );
        assert_eq!(one.batch_fitting(1000.0), 0);
        let why = one.shortfall(4096, "h100-sxm", 1).unwrap();
        assert_eq!(
            why,
            "140 GB of weights and 1.3 GB of cache for one 4096-token request exceed the 72 GB usable on 1× h100-sxm"
        );
        // Two: 144 GB usable, 4 GB of room; at 1,000 tokens a sequence holds 0.32768 GB: 12 fit.
        let two = Memory::new(
            &llama2_70b(),
            Precision::Bf16,
            KvPrecision::Bf16,
            &h100(),
            2,
            tenth(),
        );
        assert_eq!(two.shortfall(4096, "h100-sxm", 2), None);
        assert_eq!(two.batch_fitting(1000.0), 12);
        // An fp8 cache halves the bytes a token holds: 24 fit.
        let fp8 = Memory::new(
            &llama2_70b(),
            Precision::Bf16,
            KvPrecision::Fp8,
            &h100(),
            2,
            tenth(),
        );
        assert_eq!(fp8.batch_fitting(1000.0), 24);
    }
}
