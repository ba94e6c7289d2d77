//! Self-hosting estimates: what it costs to serve an open-weight model on rented GPUs.
//!
//! The estimate is a roofline calibrated to published measurements, and labelled as an estimate:
//! [`shape`] reads the model facts it needs, [`memory`] sizes one replica's paged cache,
//! [`roofline`] gives its prefill and decode times, [`batch`] chooses how many sequences it runs
//! together, [`fleet`] finds the cheapest fleet for a scenario's tokens, [`breakeven`] finds the
//! volume above which self-hosting beats an API, and [`chart`] draws that comparison. The formulas
//! and the calibration are in `docs/selfhost.md`.

pub mod batch;
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
    a.checked_div(b).ok_or_else(|| crate::Error::overflow(what))
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
