//! How many sequences a replica runs together: as many as fit in memory after the weights and the
//! runtime reserve, capped by `max_batch` and by the service levels.
//!
//! Engines batch in flight: a new request's prompt is prefilled in the next iteration, next to
//! the running batch, so it waits for its own prefill and one decode step. A bigger batch makes
//! that step longer, and the time between a user's tokens is that step too, so both latency
//! targets are upper bounds on the batch. The batch is the largest that meets all of them, found
//! by bisection since both times only grow with the batch.

use super::memory::Memory;
use super::roofline::{Engine, Run};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

/// The latency targets and the cap that bound a batch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Caps {
    /// Most sequences together.
    pub max_batch: u64,
    /// Longest acceptable time to the first token, ms.
    pub max_ttft_ms: Option<f64>,
    /// Slowest acceptable output tokens a second per user.
    pub min_tokens_per_s_per_user: Option<f64>,
}

impl Caps {
    /// The caps of a `[selfhost]` table.
    pub fn from_spec(spec: &crate::scenario::Selfhost) -> Caps {
        let f = |d: Decimal| d.to_f64().unwrap_or(f64::MAX);
        Caps {
            max_batch: spec.max_batch,
            max_ttft_ms: spec.max_time_to_first_token_ms.map(f),
            min_tokens_per_s_per_user: spec.min_output_tokens_per_s_per_user.map(f),
        }
    }
}

/// What stopped the batch from growing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// The cache room.
    Memory,
    /// `max_batch`.
    MaxBatch,
    /// `max_time_to_first_token_ms`.
    TimeToFirstToken,
    /// `min_output_tokens_per_s_per_user`.
    TokensPerUser,
}

impl Limit {
    /// As printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Limit::Memory => "memory",
            Limit::MaxBatch => "max_batch",
            Limit::TimeToFirstToken => "time to first token",
            Limit::TokensPerUser => "tokens/s per user",
        }
    }
}

/// The chosen batch and the run it gives.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice {
    /// The run at the chosen batch.
    pub run: Run,
    /// What capped it.
    pub limited_by: Limit,
}

/// Chooses the batch for requests of `input` + `output` tokens, the longest being `longest`.
pub fn choose(
    engine: &Engine,
    memory: &Memory,
    input: u64,
    output: u64,
    longest: u64,
    caps: &Caps,
    gpu: &str,
) -> Result<Choice, String> {
    if let Some(why) = memory.shortfall(longest, gpu, engine.gpus) {
        return Err(why);
    }
    let fits = memory
        .batch_fitting(input as f64 + output as f64 / 2.0)
        .max(1);
    let (mut cap, mut limited_by) = if fits <= caps.max_batch {
        (fits, Limit::Memory)
    } else {
        (caps.max_batch, Limit::MaxBatch)
    };
    let ttft_ok = |r: &Run| {
        caps.max_ttft_ms
            .is_none_or(|t| r.in_flight_time_to_first_token_ms() <= t)
    };
    let user_ok = |r: &Run| {
        caps.min_tokens_per_s_per_user
            .is_none_or(|t| output == 0 || r.step_s * t <= 1.0)
    };
    let one = engine.run(1, input, output);
    if !ttft_ok(&one) {
        return Err(format!(
            "even one request at a time waits {:.0} ms for its first token on {}× {gpu}, above max_time_to_first_token_ms",
            one.in_flight_time_to_first_token_ms(),
            engine.gpus
        ));
    }
    if !user_ok(&one) {
        return Err(format!(
            "even one request at a time gets {:.1} tokens/s on {}× {gpu}, below min_output_tokens_per_s_per_user",
            1.0 / one.step_s,
            engine.gpus
        ));
    }
    for (ok, limit) in [
        (&ttft_ok as &dyn Fn(&Run) -> bool, Limit::TimeToFirstToken),
        (&user_ok, Limit::TokensPerUser),
    ] {
        let largest = largest_ok(cap, |b| ok(&engine.run(b, input, output)));
        if largest < cap {
            cap = largest;
            limited_by = limit;
        }
    }
    Ok(Choice {
        run: engine.run(cap, input, output),
        limited_by,
    })
}

/// The largest batch in 1..=`cap` that `ok` accepts, given that `ok(1)` holds and `ok` only turns
/// false as the batch grows.
fn largest_ok(cap: u64, ok: impl Fn(u64) -> bool) -> u64 {
    if ok(cap) {
        return cap;
    }
    let (mut good, mut bad) = (1, cap);
    while bad - good > 1 {
        let mid = good + (bad - good) / 2;
        if ok(mid) {
            good = mid;
        } else {
            bad = mid;
        }
    }
    good
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::vocab::{KvPrecision, Precision};
    use crate::selfhost::memory::tests::h100;
    use crate::selfhost::roofline::tests::calibration;
    use crate::selfhost::shape::tests::llama2_7b;

    fn setup() -> (Engine, Memory) {
        let (s, g) = (llama2_7b(), h100());
        let e = Engine::new(
            &s,
            &g,
            1,
            Precision::Bf16,
            KvPrecision::Bf16,
            &calibration(),
        )
        .unwrap();
        let m = Memory::new(
            &s,
            Precision::Bf16,
            KvPrecision::Bf16,
            &g,
            1,
            Decimal::new(1, 1),
        );
        (e, m)
    }

    fn caps(max_batch: u64, ttft: Option<f64>, tps: Option<f64>) -> Caps {
        Caps {
            max_batch,
            max_ttft_ms: ttft,
            min_tokens_per_s_per_user: tps,
        }
    }

    #[test]
    fn memory_then_max_batch() {
        let (e, m) = setup();
        // 1,000 in and 200 out hold 1,100 tokens on average: 1,100 × 524,288 B = 0.5767 GB a
        // sequence; 58 GB of room ÷ 0.5767 = 100.57, so 100 fit.
        let c = choose(&e, &m, 1000, 200, 1200, &caps(256, None, None), "h100-sxm").unwrap();
        assert_eq!((c.run.batch, c.limited_by), (100, Limit::Memory));
        let c = choose(&e, &m, 1000, 200, 1200, &caps(64, None, None), "h100-sxm").unwrap();
        assert_eq!((c.run.batch, c.limited_by), (64, Limit::MaxBatch));
    }

    #[test]
    fn latency_targets_cap_the_batch() {
        let (e, m) = setup();
        // A prompt's prefill is 2 × 7e9 × 1,000 + 2 × 32 × 4,096 × 1,000² = 1.42621e13 FLOPs at
        // 494.75e12 FLOP/s: 28.827 ms. A decode step reads 14e9 + B × 1,100 × 524,288 bytes at
        // 2.01e12 B/s: 6.9652 ms + 0.28692 ms a sequence. A first token within 60 ms allows
        // B ≤ (60 − 28.827 − 6.9652) ÷ 0.28692 = 84.4, so 84.
        let c = choose(
            &e,
            &m,
            1000,
            200,
            1200,
            &caps(256, Some(60.0), None),
            "h100-sxm",
        )
        .unwrap();
        assert_eq!((c.run.batch, c.limited_by), (84, Limit::TimeToFirstToken));
        // 40 tokens/s per user allows a 25 ms step: B ≤ (25 − 6.9652) ÷ 0.28692 = 62.86, so 62.
        let c = choose(
            &e,
            &m,
            1000,
            200,
            1200,
            &caps(256, None, Some(40.0)),
            "h100-sxm",
        )
        .unwrap();
        assert_eq!((c.run.batch, c.limited_by), (62, Limit::TokensPerUser));
        assert!(1.0 / c.run.step_s >= 40.0);
        assert!(1.0 / e.run(63, 1000, 200).step_s < 40.0);
    }

    #[test]
    fn unreachable_targets_say_why() {
        let (e, m) = setup();
        // One request decodes at 1 ÷ (7.252 ms) = 137.9 tokens/s: 200 is out of reach.
        let why = choose(
            &e,
            &m,
            1000,
            200,
            1200,
            &caps(256, None, Some(200.0)),
            "h100-sxm",
        )
        .unwrap_err();
        assert_eq!(
            why,
            "even one request at a time gets 137.9 tokens/s on 1× h100-sxm, below min_output_tokens_per_s_per_user"
        );
        let why = choose(
            &e,
            &m,
            1000,
            200,
            1200,
            &caps(256, Some(5.0), None),
            "h100-sxm",
        )
        .unwrap_err();
        // Alone, a request waits 28.827 + 7.252 = 36.1 ms for its first token.
        assert!(
            why.starts_with("even one request at a time waits 36 ms"),
            "{why}"
        );
    }

    #[test]
    fn bisection_finds_the_edge() {
        for edge in [1, 2, 3, 17, 255, 256] {
            assert_eq!(largest_ok(256, |b| b <= edge), edge);
        }
    }
}
