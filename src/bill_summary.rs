//! What a ranking keeps of a model's bill when it does not keep the bill workload by workload:
//! the facts its reports print about the whole bill, gathered one workload's bill at a time.
//!
//! A ranking of a scenario with many workloads would otherwise hold every model's bill for every
//! workload (kilobytes each) at once. [`BillSummary::add`] is the only place these facts are
//! gathered, whether from a kept bill ([`BillSummary::of`]) or from bills handed over as they are
//! made ([`crate::cost::model_cost_each`]).

use crate::cost::{ModelCost, WorkloadCost};
use crate::procurement::{flags, PriceBasis};
use rust_decimal::Decimal;

/// The price basis and token total of a bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BillSummary {
    overridden: bool,
    discounted: bool,
    /// Input plus output tokens a month; `None` once the sum overflows.
    tokens: Option<Decimal>,
}

impl Default for BillSummary {
    fn default() -> BillSummary {
        BillSummary {
            overridden: false,
            discounted: false,
            tokens: Some(Decimal::ZERO),
        }
    }
}

impl BillSummary {
    /// The summary of a whole bill.
    pub fn of(cost: &ModelCost) -> BillSummary {
        let mut s = BillSummary::default();
        for w in &cost.workloads {
            s.add(w);
        }
        s
    }

    /// The summary of a bill with no price components, `tokens` input plus output tokens in all:
    /// a self-hosted fleet's, whose split over the workloads ([`crate::selfhost::fleet::Split`])
    /// carries each workload's tokens and nothing else this summary reads.
    pub fn of_tokens(tokens: Decimal) -> BillSummary {
        BillSummary {
            tokens: Some(tokens),
            ..BillSummary::default()
        }
    }

    /// Adds one workload's bill: its components, a routed workload's legs included, and its
    /// tokens.
    pub fn add(&mut self, w: &WorkloadCost) {
        let components = w
            .components
            .iter()
            .chain(w.route.iter().flat_map(|l| l.components.iter()));
        for c in components {
            let (o, d) = flags(c);
            self.overridden |= o;
            self.discounted |= d;
        }
        self.tokens = self
            .tokens
            .and_then(|t| t.checked_add(w.input_tokens)?.checked_add(w.output_tokens));
    }

    /// Whether the bill is at list prices, negotiated ones, discounted, or both. A self-hosted
    /// estimate has no components and is at list (GPU rental) prices.
    pub fn basis(&self) -> PriceBasis {
        PriceBasis::from_flags(self.overridden, self.discounted)
    }

    /// Input plus output tokens a month, cached input included; `None` if the sum overflows.
    pub fn tokens(&self) -> Option<Decimal> {
        self.tokens
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cost::{Component, Kind, Level, Meter, Source};

    fn bill(input: i64, output: i64, components: Vec<Component>) -> WorkloadCost {
        WorkloadCost {
            input_tokens: input.into(),
            output_tokens: output.into(),
            components,
            ..WorkloadCost::default()
        }
    }

    #[test]
    fn gathers_tokens_and_the_basis_over_every_workload() {
        let input = Meter::ALL[0];
        let overridden = Component::new(
            Kind::Metered(input),
            Some(input),
            Decimal::ONE,
            Decimal::ONE,
            Decimal::ONE,
            Source::Price {
                level: Level::Override,
                of: input,
            },
        )
        .expect("fits");
        let mut s = BillSummary::default();
        s.add(&bill(1_800, 350, Vec::new()));
        assert_eq!(s.basis(), PriceBasis::List);
        s.add(&bill(200, 50, vec![overridden]));
        // 1,800 + 350 + 200 + 50 = 2,400 tokens; the second bill's override sets the basis.
        assert_eq!(s.tokens(), Some(Decimal::from(2_400)));
        assert_eq!(s.basis(), PriceBasis::Override);
    }
}
