//! The facts about a model that decide how it serves: how many weights sit in memory, how many each
//! token uses, and how large its key/value cache grows.

use super::div;
use crate::catalogue::model::{Model, Moe};
use crate::catalogue::vocab::Precision;
use crate::cost::{add, mul};
use crate::error::Result;
use rust_decimal::{Decimal, MathematicalOps};

/// A model's serving shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Total parameters, billions: all of them must be resident.
    pub params_b: Decimal,
    /// Parameters used per token, billions (the total for a dense model).
    pub active_params_b: Decimal,
    /// Transformer layers.
    pub layers: u64,
    /// Key/value heads.
    pub kv_heads: u64,
    /// Size of one head.
    pub head_dim: u64,
    /// Attention heads (hidden size ÷ head dim): tensor parallelism splits these evenly.
    pub heads: u64,
    /// Expert routing, for a mixture of experts.
    pub moe: Option<Moe>,
}

/// Bytes a weight takes at a precision.
pub fn bytes_per_param(p: Precision) -> Decimal {
    match p {
        Precision::Bf16 => Decimal::TWO,
        Precision::Fp8 | Precision::Int8 => Decimal::ONE,
        Precision::Int4 => Decimal::new(5, 1),
    }
}

/// Bytes of one cached key or value element. The cache stays in 16-bit whatever the weights are,
/// as serving stacks do by default.
pub const KV_BYTES: u64 = 2;

impl Shape {
    /// The shape of a catalogued model served at `precision`, or the reason it cannot be estimated.
    pub fn from_model(m: &Model, precision: Precision) -> std::result::Result<Shape, String> {
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
        if !s.precisions.contains(&precision) {
            let have = s
                .precisions
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            return Err(format!(
                "not available in {precision} (published precisions: {have})"
            ));
        }
        let heads = s.hidden_size / s.head_dim;
        if heads == 0 {
            return Err("hidden_size is smaller than head_dim".into());
        }
        Ok(Shape {
            params_b,
            active_params_b: m.active_params_b.unwrap_or(params_b),
            layers: s.layers,
            kv_heads: s.kv_heads,
            head_dim: s.head_dim,
            heads,
            moe: s.moe,
        })
    }

    /// Key/value cache bytes for one token: 2 (K and V) × layers × KV heads × head dim × 2 bytes.
    pub fn kv_bytes_per_token(&self) -> Result<Decimal> {
        [self.layers, self.kv_heads, self.head_dim]
            .into_iter()
            .try_fold(Decimal::from(2 * KV_BYTES), |acc, n| {
                mul(acc, Decimal::from(n), "key/value cache size")
            })
    }

    /// Billions of weights one decode step reads for a batch of `batch` tokens.
    ///
    /// A dense model reads all of them. A mixture of experts reads its shared weights and every
    /// expert that at least one token in the batch is routed to. With uniform routing a token
    /// misses a given expert with probability 1 − k/E, so the expected share of experts read is
    /// 1 − (1 − k/E)^batch: k/E for one token, nearly all of them for a large batch.
    pub fn weights_read_b(&self, batch: u64) -> Result<Decimal> {
        let Some(moe) = self.moe else {
            return Ok(self.params_b);
        };
        let what = "expert weights read per step";
        let (e, k) = (Decimal::from(moe.experts), Decimal::from(moe.per_token));
        let per_expert = div(self.params_b - self.active_params_b, e - k, what)?;
        let shared = self.active_params_b - mul(k, per_expert, what)?;
        // 0 < miss < 1, so the power shrinks towards zero; a power too small to hold is zero.
        let miss = Decimal::ONE - div(k, e, what)?;
        let touched = Decimal::ONE - miss.checked_powu(batch).unwrap_or(Decimal::ZERO);
        add(shared, mul(mul(per_expert, e, what)?, touched, what)?, what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mixtral() -> Shape {
        // Profile figures: 47B total, 13B active, 8 experts, 2 per token, 32 layers, 8 KV heads.
        Shape {
            params_b: Decimal::from(47),
            active_params_b: Decimal::from(13),
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

    #[test]
    fn kv_cache_per_token() {
        // Llama 2 70B: 2 × 80 layers × 8 KV heads × 128 × 2 bytes = 327,680 bytes.
        let s = Shape {
            layers: 80,
            kv_heads: 8,
            head_dim: 128,
            heads: 64,
            moe: None,
            ..mixtral()
        };
        assert_eq!(s.kv_bytes_per_token().unwrap(), Decimal::from(327_680));
    }

    #[test]
    fn moe_reads_active_experts_for_one_token_and_all_for_a_big_batch() {
        let m = mixtral();
        // per expert = (47 − 13) ÷ (8 − 2) = 5.666…B; shared = 13 − 2 × 5.666… = 1.666…B.
        // One token: shared + 8 × 5.666… × 2/8 = 13B, exactly the active parameters.
        assert_eq!(m.weights_read_b(1).unwrap().round_dp(9), Decimal::from(13));
        // Two tokens: 1 − 0.75² = 0.4375 of 45.333…B of experts, plus shared = 21.5B.
        assert_eq!(
            m.weights_read_b(2).unwrap().round_dp(9),
            Decimal::new(215, 1)
        );
        // 1,024 tokens: 0.75^1024 ≈ 1.6e-128, so every expert is read: 47B.
        assert_eq!(
            m.weights_read_b(1024).unwrap().round_dp(9),
            Decimal::from(47)
        );
        let dense = Shape {
            moe: None,
            ..mixtral()
        };
        assert_eq!(dense.weights_read_b(1).unwrap(), Decimal::from(47));
    }

    #[test]
    fn int4_is_half_a_byte() {
        assert_eq!(
            bytes_per_param(Precision::Int4) * Decimal::from(70),
            Decimal::from(35)
        );
    }
}
