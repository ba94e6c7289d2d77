//! Money and currencies.
//!
//! Every amount the planner computes is a `rust_decimal::Decimal`; nothing touches binary floating
//! point. Formatting for people (thousands separators, currency symbols) lives here and only here.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Serialize, Serializer};
use std::fmt;

/// An ISO 4217 currency code such as `USD` or `CNY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// The US dollar, the pivot of every exchange rate.
    pub const USD: Currency = Currency(*b"USD");

    /// Reads a three-letter code; lowercase is accepted and upper-cased.
    pub fn parse(code: &str) -> Option<Currency> {
        let bytes = code.trim().as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return None;
        }
        let mut out = [0u8; 3];
        for (o, b) in out.iter_mut().zip(bytes) {
            *o = b.to_ascii_uppercase();
        }
        Some(Currency(out))
    }

    /// The code as text.
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    fn symbol(&self) -> Option<&'static str> {
        match &self.0 {
            b"USD" => Some("$"),
            b"CNY" => Some("CN¥"),
            b"EUR" => Some("€"),
            b"GBP" => Some("£"),
            b"JPY" => Some("JP¥"),
            _ => None,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// An amount in a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    /// The exact amount.
    pub amount: Decimal,
    /// Its currency.
    pub currency: Currency,
}

impl Money {
    /// Builds an amount.
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount, currency }
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_money(self.amount, self.currency))
    }
}

/// Decimal places kept when money is written as a JSON or CSV string.
pub const MACHINE_DP: u32 = 6;

/// Money for machines: the exact amount rounded half-to-even to six decimal places, trailing zeros
/// removed. `"1234.5"`, never `"1.2345e3"`.
pub fn money_string(amount: Decimal) -> String {
    amount
        .round_dp_with_strategy(MACHINE_DP, RoundingStrategy::MidpointNearestEven)
        .normalize()
        .to_string()
}

/// Money for people: `$1,234.56`, `CN¥7,200.00`, `1,234.56 CHF`.
///
/// Amounts of a cent or more show two decimals. Smaller non-zero amounts show two significant
/// digits (`$0.00025`) so that a per-request cost never prints as `$0.00`.
pub fn format_money(amount: Decimal, currency: Currency) -> String {
    let digits = grouped(amount);
    match currency.symbol() {
        Some(sym) if amount.is_sign_negative() && !amount.is_zero() => {
            format!("-{sym}{}", digits.trim_start_matches('-'))
        }
        Some(sym) => format!("{sym}{digits}"),
        None => format!("{digits} {}", currency.code()),
    }
}

/// A decimal with thousands separators and a sensible number of decimals.
pub fn grouped(amount: Decimal) -> String {
    let abs = amount.abs();
    let dp = if abs.is_zero() || abs >= Decimal::new(1, 2) {
        2
    } else {
        // Two significant digits for sub-cent amounts.
        let mut dp = 2u32;
        let mut probe = abs * Decimal::from(100);
        while probe < Decimal::from(10) && dp < 12 {
            probe *= Decimal::from(10);
            dp += 1;
        }
        dp
    };
    let rounded = amount.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero);
    let text = format!("{:.*}", dp as usize, rounded.abs());
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::with_capacity(text.len() + int.len() / 3 + 1);
    if rounded.is_sign_negative() && !rounded.is_zero() {
        out.push('-');
    }
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

/// A fraction as a percentage for people: `0.2` → `20%`, `0.23077` → `23.08%` (two decimals at most).
pub fn format_percent(fraction: Decimal) -> String {
    let pct = (fraction * Decimal::ONE_HUNDRED)
        .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    format!("{}%", pct.normalize())
}

/// Whole numbers with thousands separators: `31,600`.
pub fn grouped_int(value: Decimal) -> String {
    let text = grouped(value.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero));
    text.trim_end_matches(".00").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[track_caller]
    fn case(amount: &str, currency: &str, expected: &str) {
        let amount = Decimal::from_str(amount).unwrap();
        let currency = Currency::parse(currency).unwrap();
        assert_eq!(format_money(amount, currency), expected);
    }

    #[test]
    fn formats_money_for_people() {
        case("0", "USD", "$0.00");
        case("1234.5", "USD", "$1,234.50");
        case("1234567.891", "USD", "$1,234,567.89");
        case("999.995", "USD", "$1,000.00");
        case("0.00025", "USD", "$0.00025");
        case("0.000123456", "USD", "$0.00012");
        case("7200", "CNY", "CN¥7,200.00");
        case("-12.3", "USD", "-$12.30");
        case("100", "CHF", "100.00 CHF");
    }

    #[test]
    fn money_strings_are_plain_decimals() {
        assert_eq!(
            money_string(Decimal::from_str("1234.5000").unwrap()),
            "1234.5"
        );
        assert_eq!(money_string(Decimal::from_str("0.0000005").unwrap()), "0");
        assert_eq!(
            money_string(Decimal::from_str("0.0000015").unwrap()),
            "0.000002"
        );
        assert_eq!(money_string(Decimal::from_str("1e3").unwrap()), "1000");
    }

    #[test]
    fn currency_codes() {
        assert_eq!(Currency::parse("cny").unwrap().code(), "CNY");
        assert!(Currency::parse("US").is_none());
        assert!(Currency::parse("U$D").is_none());
        assert_eq!(grouped_int(Decimal::from(31600)), "31,600");
    }

    #[test]
    fn percentages() {
        let d = |s: &str| Decimal::from_str(s).unwrap();
        assert_eq!(format_percent(d("0.2")), "20%");
        assert_eq!(format_percent(d("0.230769")), "23.08%");
        assert_eq!(format_percent(d("1")), "100%");
        assert_eq!(format_percent(d("0.00005")), "0.01%");
    }
}
