//! The monthly volume above which self-hosting is cheaper than an API.
//!
//! Scale the scenario's traffic by any factor, keeping its mix. With V tokens a month:
//!
//! API(V)       = p × V                           p = the API's bill ÷ the scenario's tokens
//! self(V)      = c × (max(m, ⌈V ÷ cap⌉) + s)     c = one replica for a month,
//!                                                cap = tokens one replica takes on: its
//!                                                  throughput × hours × utilization ÷ peak,
//!                                                m = min_replicas, always paid for,
//!                                                s = spare_replicas
//!
//! Self-hosting's marginal rate is c ÷ cap per token. If c ÷ cap ≥ p it never wins: self(V) ≥
//! c × V ÷ cap ≥ p × V for every V. Otherwise let q = c ÷ p, the volume whose API bill pays for one
//! replica. On the stretch served by r load replicas (r + s paid for) self-hosting wins once
//! V > (r + s) × q, and that stretch starts at (r − 1) × cap, so a loss is left on it only while
//! (r + s) × q > (r − 1) × cap, that is while r × (cap − q) < cap + s × q. The break-even is
//!
//! V* = (max(m, R) + s) × q, where R = ⌈(cap + s × q) ÷ (cap − q)⌉ − 1 is the last replica count
//! with a loss,
//!
//! and self-hosting is cheaper at every volume above V*. With m = 1, no spare and a replica well
//! below capacity at V*, that is simply the volume whose API bill equals one replica-month.

use super::div;
use super::fleet::Estimate;
use crate::cost::{mul, ModelCost, MILLION};
use crate::error::Result;
use crate::money::{format_money, Currency};
use rust_decimal::Decimal;

/// The comparison of one self-hosted estimate with one API model.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakeven {
    /// Self-hosting's marginal rate per token: one replica-month ÷ its capacity.
    pub selfhost_per_token: Decimal,
    /// The API's rate per token for this mix.
    pub api_per_token: Decimal,
    /// One replica for a month.
    pub replica_month: Decimal,
    /// Tokens a replica serves in a month at the utilization.
    pub replica_capacity: Decimal,
    /// Replicas always paid for.
    pub min_replicas: u64,
    /// Spare replicas paid for on top of the load.
    pub spare_replicas: u64,
    /// Tokens a month above which self-hosting is cheaper; `None` when it never is.
    pub tokens_per_month: Option<Decimal>,
    /// Why self-hosting never wins, when it does not.
    pub reason: Option<String>,
}

impl Breakeven {
    /// Self-hosting's bill at `tokens` a month: c × (max(m, ⌈tokens ÷ cap⌉) + s).
    pub fn selfhost_cost(&self, tokens: Decimal) -> Result<Decimal> {
        let r = div(tokens, self.replica_capacity, "self-hosted cost")?
            .ceil()
            .max(Decimal::from(self.min_replicas))
            + Decimal::from(self.spare_replicas);
        mul(self.replica_month, r, "self-hosted cost")
    }

    /// The API's bill at `tokens` a month.
    pub fn api_cost(&self, tokens: Decimal) -> Result<Decimal> {
        mul(self.api_per_token, tokens, "API cost")
    }

    /// Self-hosting's marginal cost per 1M tokens.
    pub fn selfhost_per_mtok(&self) -> Result<Decimal> {
        mul(self.selfhost_per_token, MILLION, "cost per 1M tokens")
    }

    /// The API's cost per 1M tokens.
    pub fn api_per_mtok(&self) -> Result<Decimal> {
        mul(self.api_per_token, MILLION, "cost per 1M tokens")
    }
}

/// Compares a self-hosted estimate with the API bill for the same scenario.
pub fn breakeven(e: &Estimate, api: &ModelCost) -> Result<Breakeven> {
    let api_per_token = div(api.monthly_cost, e.tokens, "break-even volume")?;
    let mut b = solve(
        e.replica_month()?,
        e.replica_capacity()?,
        api_per_token,
        e.min_replicas,
        e.spare_replicas,
    )?;
    if b.tokens_per_month.is_none() {
        b.reason = Some(never_reason(e, &b, api.currency)?);
    }
    Ok(b)
}

/// The closed form: V* = (max(m, ⌈(cap + s × q) ÷ (cap − q)⌉ − 1) + s) × q, or `None` when
/// c ÷ cap ≥ p.
pub fn solve(
    replica_month: Decimal,
    replica_capacity: Decimal,
    api_per_token: Decimal,
    min_replicas: u64,
    spare_replicas: u64,
) -> Result<Breakeven> {
    let what = "break-even volume";
    let selfhost_per_token = div(replica_month, replica_capacity, what)?;
    let mut b = Breakeven {
        selfhost_per_token,
        api_per_token,
        replica_month,
        replica_capacity,
        min_replicas,
        spare_replicas,
        tokens_per_month: None,
        reason: None,
    };
    if selfhost_per_token >= api_per_token {
        return Ok(b);
    }
    let q = div(replica_month, api_per_token, what)?;
    let spare = Decimal::from(spare_replicas);
    let headroom = crate::cost::add(replica_capacity, mul(spare, q, what)?, what)?;
    let last_loss = div(headroom, replica_capacity - q, what)?.ceil() - Decimal::ONE;
    let paid = last_loss.max(Decimal::from(min_replicas)) + spare;
    b.tokens_per_month = Some(mul(paid, q, what)?);
    Ok(b)
}

fn never_reason(e: &Estimate, b: &Breakeven, cur: Currency) -> Result<String> {
    Ok(format!(
        "self-hosting never wins: even fully loaded at {}% utilization{}, {}× {} costs {} per 1M tokens, not less than the API's {}; above the fixed cost the gap only grows with volume",
        (e.utilization * Decimal::ONE_HUNDRED).normalize(),
        if e.peak_to_average > Decimal::ONE {
            format!(" with a peak {}× the average", e.peak_to_average.normalize())
        } else {
            String::new()
        },
        e.gpus(),
        e.gpu,
        format_money(b.selfhost_per_mtok()?, cur),
        format_money(b.api_per_mtok()?, cur)
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn b(c: i64, cap: i64, p_per_m: Decimal, m: u64) -> Breakeven {
        spared(c, cap, p_per_m, m, 0)
    }

    fn spared(c: i64, cap: i64, p_per_m: Decimal, m: u64, s: u64) -> Breakeven {
        solve(
            Decimal::from(c),
            Decimal::from(cap),
            p_per_m / MILLION,
            m,
            s,
        )
        .unwrap()
    }

    #[test]
    fn one_replica_pays_for_itself_at_its_api_equivalent() {
        // A replica costs $2,000 a month and serves 1,000M tokens: s = $2 per 1M. An API at $1
        // per 1M is always cheaper.
        let x = b(2000, 1_000_000_000, Decimal::ONE, 1);
        assert_eq!(x.tokens_per_month, None);
        // At $4 per 1M: q = 500M < cap = 1,000M; R = ⌈1,000 ÷ 500⌉ − 1 = 1; V* = 500M tokens.
        let x = b(2000, 1_000_000_000, Decimal::from(4), 1);
        assert_eq!(x.tokens_per_month, Some(Decimal::from(500_000_000)));
        // At $2.50 per 1M: q = 800M; R = ⌈1,000 ÷ 200⌉ − 1 = 4. With 4 replicas (3,000M–4,000M
        // tokens, $8,000) the API costs $8,000 only at 3,200M, so V* = 4 × 800M = 3,200M.
        let x = b(2000, 1_000_000_000, Decimal::new(25, 1), 1);
        assert_eq!(x.tokens_per_month, Some(Decimal::from(3_200_000_000u64)));
        // Three replicas always on: V* = 3 × 500M at $4 per 1M.
        let x = b(2000, 1_000_000_000, Decimal::from(4), 3);
        assert_eq!(x.tokens_per_month, Some(Decimal::from(1_500_000_000)));
    }

    #[test]
    fn a_spare_replica_is_paid_for_at_every_volume() {
        // $4 per 1M: q = 500M. One spare: R = ⌈(1,000 + 500) ÷ (1,000 − 500)⌉ − 1 = 2, and with it
        // 2 + 1 = 3 replicas are paid for: V* = 3 × 500M = 1,500M. Check: at 1,500M the load
        // needs 2 replicas, 3 paid = $6,000 = the API's 1,500 × $4; above it the API costs more
        // until 2,000M, where a third load replica (4 paid, $8,000) costs what 2,000M do at $4.
        let x = spared(2000, 1_000_000_000, Decimal::from(4), 1, 1);
        assert_eq!(x.tokens_per_month, Some(Decimal::from(1_500_000_000)));
        assert_eq!(
            x.selfhost_cost(Decimal::from(1_500_000_000)).unwrap(),
            Decimal::from(6000)
        );
    }

    proptest! {
        /// Above the break-even self-hosting is cheaper at every volume; at it, it is not.
        #[test]
        fn breakeven_is_the_last_loss(c in 100i64..100_000, cap in 1_000_000i64..10_000_000_000, p_cents in 1i64..2_000, m in 1u64..5, s in 0u64..3, above in 1i64..1_000_000_000_000) {
            let x = spared(c, cap, Decimal::new(p_cents, 2), m, s);
            match x.tokens_per_month {
                None => prop_assert!(x.selfhost_per_token >= x.api_per_token),
                Some(v) => {
                    // At V* the two bills are equal up to the last of 28 digits of c ÷ p.
                    let slack = Decimal::new(1, 12);
                    prop_assert!(x.selfhost_cost(v).unwrap() + slack >= x.api_cost(v).unwrap());
                    let later = v + Decimal::from(above);
                    prop_assert!(x.selfhost_cost(later).unwrap() < x.api_cost(later).unwrap(), "{v} + {above}");
                }
            }
        }
    }
}
