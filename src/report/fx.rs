//! What a report names about its prices: the `fx` object (every exchange rate used, by currency
//! code) and, for a single bill, the price basis.

use super::value::Exact;
use crate::money::Currency;
use crate::procurement::Rate;
use schemars::JsonSchema;
use serde::Serialize;
use std::collections::BTreeMap;

/// `{ "CNY": { "rate", "as_of", "source" } }`: units per 1 USD, and where each rate came from.
pub type Fx = BTreeMap<String, FxRate>;

/// One exchange rate as used.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FxRate {
    /// Units of the currency per 1 USD.
    pub rate: Exact,
    /// The date the rate holds for; null for a rate the scenario sets.
    pub as_of: Option<String>,
    /// Where it was read.
    pub source: String,
}

/// The `fx` object for the rates used.
pub fn fx(rates: &BTreeMap<Currency, Rate>) -> Fx {
    rates
        .iter()
        .map(|(c, r)| {
            (
                c.code().to_string(),
                FxRate {
                    rate: Exact::of(r.rate),
                    as_of: r.as_of.clone(),
                    source: r.source.clone(),
                },
            )
        })
        .collect()
}

/// What a single bill names about its prices: their basis and the rates used.
#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PriceFacts {
    /// `list`, `override`, `discounted` or `override+discounted`.
    pub price_basis: crate::procurement::PriceBasis,
    /// Every exchange rate used.
    pub fx: Fx,
}
