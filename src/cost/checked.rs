//! Checked arithmetic for money: every operation that can overflow returns an error naming what
//! was being computed, never a wrapped or rounded-away value.

use crate::error::{Error, Overflow, Result};
use rust_decimal::Decimal;

/// One million, the unit token prices are quoted per.
pub const MILLION: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// `tokens × price ÷ 1M`, checked.
pub fn per_million(tokens: Decimal, price: Decimal, what: impl Into<Overflow>) -> Result<Decimal> {
    tokens
        .checked_mul(price)
        .and_then(|amount| amount.checked_div(MILLION))
        .ok_or_else(|| Error::overflow(what))
}

/// Checked multiplication.
pub fn mul(a: Decimal, b: Decimal, what: impl Into<Overflow>) -> Result<Decimal> {
    a.checked_mul(b).ok_or_else(|| Error::overflow(what))
}

/// Checked addition.
pub fn add(a: Decimal, b: Decimal, what: impl Into<Overflow>) -> Result<Decimal> {
    a.checked_add(b).ok_or_else(|| Error::overflow(what))
}

/// `quantity × price ÷ per`, where `per` is the number of units the price is quoted for; `None` on
/// overflow. A price per one unit takes no division, so its amount keeps the product's digits.
pub fn priced(quantity: Decimal, price: Decimal, per: Decimal) -> Option<Decimal> {
    let amount = quantity.checked_mul(price)?;
    if per == Decimal::ONE {
        Some(amount)
    } else {
        amount.checked_div(per)
    }
}
