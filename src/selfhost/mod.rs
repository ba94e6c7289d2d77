//! Self-hosting estimates: what it costs to serve an open-weight model on rented GPUs.
//!
//! The estimate is a roofline, built from first principles and labelled as an estimate:
//! [`shape`] reads the model facts it needs, [`memory`] sizes the GPUs of one replica,
//! [`roofline`] bounds prefill and decode throughput, [`fleet`] turns a scenario's tokens into
//! replicas and a monthly bill, [`breakeven`] finds the volume above which self-hosting beats an
//! API, and [`chart`] draws that comparison. The formulas are in `docs/selfhost.md`.

pub mod breakeven;
pub mod chart;
pub mod fleet;
pub mod memory;
pub mod report;
pub mod roofline;
pub mod shape;

use rust_decimal::Decimal;

/// 10⁹, the unit of parameter counts (billions) and memory (GB).
pub const GIGA: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);
/// 10¹², the unit of bandwidth (TB/s) and compute (TFLOP/s).
pub const TERA: Decimal = Decimal::from_parts(3_567_587_328, 232, 0, false, 0);

/// Checked division; a zero or overflowing divisor is an overflow error naming `what`.
pub(crate) fn div(a: Decimal, b: Decimal, what: &str) -> crate::Result<Decimal> {
    a.checked_div(b)
        .ok_or_else(|| crate::Error::Overflow(what.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_constants() {
        assert_eq!(GIGA, Decimal::from(1_000_000_000u64));
        assert_eq!(TERA, Decimal::from(1_000_000_000_000u64));
    }
}
