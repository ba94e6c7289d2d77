//! Exchange rates: units of each currency per 1 USD, dated and sourced.
//!
//! Conversion multiplies before it divides, so an amount converted from USD into CNY is exact,
//! and a conversion that must divide rounds once, to rust_decimal's precision: 28 to 29
//! significant digits, and never more than 28 decimal places.
//!
//! The documented rounding of a round trip A → B → A: for amounts up to 10¹² and rates from
//! 0.001 to 10,000 units per USD, the result is within 10⁻¹² of A, and an amount with at most six
//! decimals comes back with the same `money_string` (six decimal places, the most money is ever
//! shown with). `tests/properties.rs` checks both.

use super::raw::RawFx;
use crate::diag::{Diagnostic, KeyPath};
use crate::error::{Error, Result};
use crate::money::Currency;
use crate::source::SourceFile;
use crate::validate::Checker;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The exchange-rate table.
#[derive(Debug, Clone)]
pub struct FxTable {
    /// Date of the rates.
    pub as_of: String,
    /// Where they were read.
    pub source: String,
    /// Units per 1 USD; always contains USD = 1.
    pub rates: BTreeMap<Currency, Decimal>,
}

impl Default for FxTable {
    fn default() -> FxTable {
        let mut rates = BTreeMap::new();
        rates.insert(Currency::USD, Decimal::ONE);
        FxTable {
            as_of: String::new(),
            source: String::new(),
            rates,
        }
    }
}

impl FxTable {
    /// Parses and checks an exchange-rate file.
    pub fn from_source(src: &SourceFile) -> std::result::Result<FxTable, Vec<Diagnostic>> {
        FxTable::from_raw(src, src.parse().map_err(|d| vec![d])?)
    }

    /// Checks an exchange-rate file already parsed from `src`, locating each fault in its text.
    pub fn from_raw(src: &SourceFile, raw: RawFx) -> std::result::Result<FxTable, Vec<Diagnostic>> {
        let mut ck = Checker::new(src);
        ck.date(&KeyPath::root().key("as_of"), &raw.as_of, false);
        let mut table = FxTable {
            as_of: raw.as_of,
            source: raw.source,
            ..FxTable::default()
        };
        for (code, rate) in raw.rates {
            let path = KeyPath::root().key("rates").key(&code);
            let Some(cur) = Currency::parse(&code) else {
                ck.err(
                    &path,
                    format!("`{code}` is not a three-letter currency code"),
                    "use ISO 4217 codes such as CNY or EUR",
                );
                continue;
            };
            if let Some(r) = ck.positive(&path, rate) {
                table.rates.insert(cur, r);
            }
        }
        ck.finish()?;
        Ok(table)
    }

    /// The rate of a currency, units per USD.
    pub fn rate(&self, c: Currency) -> Option<Decimal> {
        self.rates.get(&c).copied()
    }

    /// Sets or replaces a rate (a scenario's `[pricing] fx`).
    pub fn set(&mut self, c: Currency, units_per_usd: Decimal) {
        self.rates.insert(c, units_per_usd);
    }

    /// The factor that turns an amount in `from` into `to`, as a numerator and a denominator.
    pub fn factor(&self, from: Currency, to: Currency) -> Result<(Decimal, Decimal)> {
        let missing = |c: Currency| {
            Error::Usage(format!("no exchange rate for {c}; add it to [pricing] fx = {{ {c} = ... }} (units per 1 USD)"))
        };
        let f = self.rate(from).ok_or_else(|| missing(from))?;
        let t = self.rate(to).ok_or_else(|| missing(to))?;
        Ok((t, f))
    }

    /// Converts an amount: `amount × rate(to) ÷ rate(from)`.
    pub fn convert(&self, amount: Decimal, from: Currency, to: Currency) -> Result<Decimal> {
        if from == to {
            return Ok(amount);
        }
        let (num, den) = self.factor(from, to)?;
        amount
            .checked_mul(num)
            .and_then(|x| x.checked_div(den))
            .ok_or_else(|| Error::overflow(format!("converting {amount} {from} into {to}")))
    }

    /// The currencies that have a rate, for error messages.
    pub fn codes(&self) -> Vec<String> {
        self.rates.keys().map(|c| c.code().to_string()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn converts_both_ways() {
        let mut fx = FxTable::default();
        let cny = Currency::parse("CNY").unwrap();
        fx.set(cny, Decimal::from_str("7.2").unwrap());
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(fx.convert(d("100"), Currency::USD, cny).unwrap(), d("720"));
        assert_eq!(fx.convert(d("720"), cny, Currency::USD).unwrap(), d("100"));
        assert_eq!(
            fx.convert(d("100"), cny, Currency::USD)
                .unwrap()
                .round_dp(6),
            d("13.888889")
        );
        assert!(fx
            .convert(d("1"), Currency::parse("EUR").unwrap(), Currency::USD)
            .is_err());
    }
}
