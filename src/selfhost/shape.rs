//! The facts about a model that decide how it serves: how many weights sit in memory, how many each
//! token uses, how large its key/value cache grows per token, and how tensor parallelism may split
//! it.
//!
//! These are engineering estimates (sizes, bytes, FLOPs), so the arithmetic is in `f64`; no
//! amount of money is computed here: the fleet's bill is exact `Decimal` in `fleet.rs`.

use crate::catalogue::hardware::TP_DEGREES;
use crate::catalogue::model::{Model, Moe};
use crate::catalogue::vocab::{KvPrecision, Precision};

/// A model's serving shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Total parameters, billions: all of them must be resident.
    pub params_b: f64,
    /// Parameters used per token, billions (the total for a dense model).
    pub active_params_b: f64,
    /// Transformer layers.
    pub layers: u64,
    /// Key/value heads.
    pub kv_heads: u64,
    /// Size of one head.
    pub head_dim: u64,
    /// Attention (query) heads: hidden size ÷ head dim.
    pub heads: u64,
    /// Expert routing, for a mixture of experts.
    pub moe: Option<Moe>,
}

/// Bytes a weight takes at a precision.
pub fn bytes_per_param(p: Precision) -> f64 {
    match p {
        Precision::Bf16 => 2.0,
        Precision::Fp8 | Precision::Int8 => 1.0,
        Precision::Int4 => 0.5,
    }
}

impl Shape {
    /// The shape of a catalogued model, or the reason it cannot be estimated.
    pub fn from_model(m: &Model) -> Result<Shape, String> {
        let Some(s) = &m.serving else {
            return Err(
                "no [model.serving] facts (layers, KV heads) to estimate self-hosting".into(),
            );
        };
        let Some(params_b) = m.params_b else {
            return Err(
                "parameter count unknown (params_b), so the weights cannot be sized".into(),
            );
        };
        let heads = s.hidden_size / s.head_dim;
        if heads == 0 {
            return Err("hidden_size is smaller than head_dim".into());
        }
        let f = |d: rust_decimal::Decimal| rust_decimal::prelude::ToPrimitive::to_f64(&d);
        let params = f(params_b).ok_or("params_b is out of range")?;
        let active = match m.active_params_b {
            Some(a) => f(a).ok_or("active_params_b is out of range")?,
            None => params,
        };
        Ok(Shape {
            params_b: params,
            active_params_b: active,
            layers: s.layers,
            kv_heads: s.kv_heads,
            head_dim: s.head_dim,
            heads,
            moe: s.moe,
        })
    }

    /// Whether a model can be served with weights at `p`, or why not.
    ///
    /// bf16, int8 and int4 must be among the model's published precisions. fp8 weights are
    /// quantised from the 16-bit release when the engine loads them (TensorRT-LLM and vLLM both
    /// do), so a model published in bf16 can be served in fp8; the GPU must have fp8 tensor cores,
    /// which the accelerator catalogue says.
    pub fn check_precision(m: &Model, p: Precision) -> Result<(), String> {
        let Some(s) = &m.serving else {
            return Ok(());
        };
        let published = s.precisions.contains(&p)
            || (p == Precision::Fp8 && s.precisions.contains(&Precision::Bf16));
        if published {
            return Ok(());
        }
        let have = s
            .precisions
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        Err(format!(
            "not available in {p} (published precisions: {have})"
        ))
    }

    /// The tensor-parallel group sizes this model allows: 1, 2, 4 or 8 GPUs (one node), dividing
    /// both its attention heads and its key/value heads so every GPU holds whole heads.
    pub fn tp_degrees(&self) -> Vec<u64> {
        TP_DEGREES
            .into_iter()
            .filter(|n| self.heads.is_multiple_of(*n) && self.kv_heads.is_multiple_of(*n))
            .collect()
    }

    /// Width of the attention (query) projection: heads × head dim.
    pub fn attention_width(&self) -> f64 {
        (self.heads * self.head_dim) as f64
    }

    /// Key/value cache bytes for one token: 2 (K and V) × layers × KV heads × head dim × bytes.
    pub fn kv_bytes_per_token(&self, kv: KvPrecision) -> f64 {
        (2 * self.layers * self.kv_heads * self.head_dim * kv.bytes()) as f64
    }

    /// Billions of weights one decode step reads for a batch of `batch` tokens.
    ///
    /// A dense model reads all of them. A mixture of experts reads its shared weights and every
    /// expert that at least one token in the batch is routed to. With uniform routing a token
    /// misses a given expert with probability 1 − k/E, so the expected share of experts read is
    /// 1 − (1 − k/E)^batch: k/E for one token, nearly all of them for a large batch.
    pub fn weights_read_b(&self, batch: u64) -> f64 {
        let Some(moe) = self.moe else {
            return self.params_b;
        };
        let (e, k) = (moe.experts as f64, moe.per_token as f64);
        if e <= k {
            return self.params_b;
        }
        let per_expert = (self.params_b - self.active_params_b) / (e - k);
        let shared = self.active_params_b - k * per_expert;
        let miss = 1.0 - k / e;
        let touched = 1.0 - miss.powf(batch as f64);
        shared + per_expert * e * touched
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn mixtral() -> Shape {
        // Profile figures: 47B total, 13B active, 8 experts, 2 per token, 32 layers, 8 KV heads.
        Shape {
            params_b: 47.0,
            active_params_b: 13.0,
            layers: 32,
            kv_heads: 8,
            head_dim: 128,
            heads: 32,
            moe: Some(Moe {
                experts: 8,
                per_token: 2,
            }),
        }
    }

    pub(crate) fn llama2_7b() -> Shape {
        // 32 layers, hidden 4096 = 32 heads of 128, no grouped KV heads (32).
        Shape {
            params_b: 7.0,
            active_params_b: 7.0,
            layers: 32,
            kv_heads: 32,
            head_dim: 128,
            heads: 32,
            moe: None,
        }
    }

    pub(crate) fn llama2_70b() -> Shape {
        // 80 layers, hidden 8192 = 64 heads of 128, 8 KV heads.
        Shape {
            params_b: 70.0,
            active_params_b: 70.0,
            layers: 80,
            kv_heads: 8,
            head_dim: 128,
            heads: 64,
            moe: None,
        }
    }

    pub(crate) fn grok1() -> Shape {
        // 314B total, 78.5B active, 64 layers, 48 query heads and 8 KV heads of 128.
        Shape {
            params_b: 314.0,
            active_params_b: 78.5,
            layers: 64,
            kv_heads: 8,
            head_dim: 128,
            heads: 48,
            moe: Some(Moe {
                experts: 8,
                per_token: 2,
            }),
        }
    }

    #[test]
    fn kv_cache_per_token() {
        // Llama 2 70B: 2 × 80 layers × 8 KV heads × 128 × 2 bytes = 327,680 bytes; fp8 halves it.
        let s = llama2_70b();
        assert_eq!(s.kv_bytes_per_token(KvPrecision::Bf16), 327_680.0);
        assert_eq!(s.kv_bytes_per_token(KvPrecision::Fp8), 163_840.0);
        // Llama 2 7B: 2 × 32 × 32 × 128 × 2 = 524,288 bytes, half a megabyte a token.
        assert_eq!(llama2_7b().kv_bytes_per_token(KvPrecision::Bf16), 524_288.0);
    }

    #[test]
    fn tensor_parallel_degrees_divide_both_head_counts() {
        // Grok-1: 48 query heads and 8 KV heads; 1, 2, 4 and 8 divide both (6 would not divide 8).
        assert_eq!(grok1().tp_degrees(), [1, 2, 4, 8]);
        // 48 query heads but 6 KV heads: 4 divides 48 and not 6, so 1 and 2 only.
        let narrow = Shape {
            heads: 48,
            kv_heads: 6,
            ..llama2_7b()
        };
        assert_eq!(narrow.tp_degrees(), [1, 2]);
        // 52 heads (LLaMA 33B): 1, 2 and 4 only; 8 would split a head.
        let l33 = Shape {
            heads: 52,
            kv_heads: 52,
            ..llama2_7b()
        };
        assert_eq!(l33.tp_degrees(), [1, 2, 4]);
        // Never above 8, whatever the head count.
        let wide = Shape {
            heads: 128,
            kv_heads: 128,
            ..llama2_7b()
        };
        assert_eq!(wide.tp_degrees().iter().max(), Some(&8));
    }

    #[track_caller]
    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9 * b.abs().max(1.0), "{a} != {b}");
    }

    #[test]
    fn moe_reads_active_experts_for_one_token_and_all_for_a_big_batch() {
        let m = mixtral();
        // per expert = (47 − 13) ÷ (8 − 2) = 5.666…B; shared = 13 − 2 × 5.666… = 1.666…B.
        // One token: shared + 8 × 5.666… × 2/8 = 13B, exactly the active parameters.
        close(m.weights_read_b(1), 13.0);
        // Two tokens: 1 − 0.75² = 0.4375 of 45.333…B of experts, plus shared = 21.5B.
        close(m.weights_read_b(2), 21.5);
        // 1,024 tokens: 0.75^1024 ≈ 1.6e-128, so every expert is read: 47B.
        close(m.weights_read_b(1024), 47.0);
        let dense = Shape { moe: None, ..m };
        close(dense.weights_read_b(1), 47.0);
    }

    #[test]
    fn int4_is_half_a_byte() {
        assert_eq!(bytes_per_param(Precision::Int4) * 70.0, 35.0);
    }
}
