//! What a buyer needs to see was applied to a number: the price basis of each row (list price,
//! a negotiated override, a discount, or both) and every exchange rate used, with its date and
//! source.
//!
//! Both are read from what the kernel did, never recomputed: the price basis from the sources the
//! bill's components record ([`crate::cost::Source`]), the rates from the table the scenario
//! priced with ([`Scenario::fx`]).

use crate::catalogue::model::Model;
use crate::catalogue::Catalogue;
use crate::cost::{Component, Level, ModelCost, Source};
use crate::money::Currency;
use crate::scenario::Scenario;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// How a row's prices were arrived at.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    serde::Serialize,
    schemars::JsonSchema,
)]
pub enum PriceBasis {
    /// Every price is the list price (or its long-prompt tier).
    #[default]
    #[serde(rename = "list")]
    List,
    /// At least one price is a scenario's `[pricing.override]`, with no discount.
    #[serde(rename = "override")]
    Override,
    /// List prices with a `[pricing.discounts]` fraction taken off.
    #[serde(rename = "discounted")]
    Discounted,
    /// An override and a discount both apply.
    #[serde(rename = "override+discounted")]
    OverrideDiscounted,
}

impl PriceBasis {
    /// As JSON and CSV write it: `list`, `override`, `discounted` or `override+discounted`.
    pub fn as_str(self) -> &'static str {
        match self {
            PriceBasis::List => "list",
            PriceBasis::Override => "override",
            PriceBasis::Discounted => "discounted",
            PriceBasis::OverrideDiscounted => "override+discounted",
        }
    }

    pub(crate) fn from_flags(overridden: bool, discounted: bool) -> PriceBasis {
        match (overridden, discounted) {
            (false, false) => PriceBasis::List,
            (true, false) => PriceBasis::Override,
            (false, true) => PriceBasis::Discounted,
            (true, true) => PriceBasis::OverrideDiscounted,
        }
    }
}

/// The basis of a bill, from the sources of its components (a routed workload's legs included).
/// A self-hosted estimate has no components and is at list (GPU rental) prices.
pub fn price_basis(cost: &ModelCost) -> PriceBasis {
    crate::bill_summary::BillSummary::of(cost).basis()
}

/// Whether a component is at a negotiated price, and whether it is a discount that takes
/// something off.
pub(crate) fn flags(c: &Component) -> (bool, bool) {
    match &c.source {
        Source::Price {
            level: Level::Override,
            ..
        } => (true, false),
        Source::Discount(Some(_)) => (false, !c.unit_price.is_zero()),
        _ => (false, false),
    }
}

/// One exchange rate as used: units per 1 USD, the date it holds for and where it was read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rate {
    /// Units of the currency per 1 USD.
    pub rate: Decimal,
    /// The date of the rate; `None` for a rate the scenario sets, which has none.
    pub as_of: Option<String>,
    /// Where it came from: the catalogue's exchange-rate file, or the scenario's `[pricing] fx`.
    pub source: String,
}

/// Every rate used to bring the given models' prices into the scenario currency, by currency.
/// Rates are quoted per USD, so converting CNY into EUR uses both the CNY and the EUR rate; USD
/// itself is 1 by definition and never listed.
pub fn rates_used<'a>(
    s: &Scenario,
    cat: &Catalogue,
    models: impl IntoIterator<Item = &'a Model>,
) -> BTreeMap<Currency, Rate> {
    let fx = s.fx(cat);
    let mut out = BTreeMap::new();
    for m in models {
        let from = m.currency;
        if from == s.currency {
            continue;
        }
        for c in [from, s.currency] {
            if c == Currency::USD || out.contains_key(&c) {
                continue;
            }
            let Some(rate) = fx.rate(c) else { continue };
            let rate = if s.pricing.fx.contains_key(&c) {
                Rate {
                    rate,
                    as_of: None,
                    source: "the scenario's [pricing] fx".into(),
                }
            } else {
                Rate {
                    rate,
                    as_of: Some(cat.fx.as_of.clone()).filter(|d| !d.is_empty()),
                    source: cat.fx.source.clone(),
                }
            };
            out.insert(c, rate);
        }
    }
    out
}

/// The note naming each rate used, or `None` when no conversion was made.
pub fn fx_note(rates: &BTreeMap<Currency, Rate>) -> Option<String> {
    if rates.is_empty() {
        return None;
    }
    let parts: Vec<String> = rates
        .iter()
        .map(|(c, r)| {
            let date = r
                .as_of
                .as_ref()
                .map_or(String::new(), |d| format!(" as of {d}"));
            format!("1 USD = {} {c}{date} ({})", r.rate.normalize(), r.source)
        })
        .collect();
    Some(format!("Exchange rates used: {}.", parts.join("; ")))
}

/// Adds `price_basis` (the basis of the whole bill, routes included) and `fx` (for the model and
/// the routes' `legs`) to `cost`'s report, and the notes that name them.
pub fn add_to_cost_report<'a>(
    doc: &mut crate::render::Doc,
    s: &Scenario,
    cat: &Catalogue,
    basis: PriceBasis,
    legs: impl Iterator<Item = &'a Model>,
    model: Option<&'a Model>,
) {
    let rates = rates_used(s, cat, model.into_iter().chain(legs));
    crate::report::merge(
        &mut doc.json,
        &crate::report::fx::PriceFacts {
            price_basis: basis,
            fx: crate::report::fx::fx(&rates),
        },
    );
    doc.notes.insert(
        0,
        format!(
            "Price basis: {} ({}).",
            basis.as_str(),
            basis_phrase([basis]).trim_end_matches(" (basis column)")
        ),
    );
    if let Some(n) = fx_note(&rates) {
        doc.notes.insert(1, n);
    }
}

/// How the prices behind a set of rows were arrived at, for the notes: replaces "at list price
/// less discounts", which is wrong when an override applies and vague when nothing does.
pub fn basis_phrase(bases: impl IntoIterator<Item = PriceBasis>) -> &'static str {
    let (mut o, mut d) = (false, false);
    for b in bases {
        o |= matches!(b, PriceBasis::Override | PriceBasis::OverrideDiscounted);
        d |= matches!(b, PriceBasis::Discounted | PriceBasis::OverrideDiscounted);
    }
    match (o, d) {
        (false, false) => "at list price",
        (false, true) => "at list price less the scenario's discounts (basis column)",
        (true, false) => {
            "at list price, or the scenario's negotiated override where one is set (basis column)"
        }
        (true, true) => {
            "at list price or the scenario's negotiated override, less its discounts (basis column)"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_phrase_names_what_was_applied() {
        use PriceBasis::*;
        assert_eq!(basis_phrase([List, List]), "at list price");
        assert!(basis_phrase([List, Discounted]).contains("less the scenario's discounts"));
        assert!(basis_phrase([Override]).contains("negotiated override"));
        assert!(!basis_phrase([Override]).contains("less"));
        assert!(basis_phrase([Override, Discounted]).contains("override, less"));
        assert_eq!(
            PriceBasis::from_flags(true, true).as_str(),
            "override+discounted"
        );
    }
}
