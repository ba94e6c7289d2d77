//! A bill's lines: the sum of its components of each kind.

use super::kind::Kind;
use rust_decimal::Decimal;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

/// One amount per [`Kind`], in [`Kind::all`] order.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Lines([Decimal; Kind::COUNT]);

impl Lines {
    /// The line of one kind.
    pub fn get(&self, kind: Kind) -> Decimal {
        self.0[kind.index()]
    }

    /// Adds to a line; `None` on overflow.
    pub fn add(&mut self, kind: Kind, amount: Decimal) -> Option<()> {
        let slot = &mut self.0[kind.index()];
        *slot = slot.checked_add(amount)?;
        Some(())
    }

    /// Sets a line.
    pub fn set(&mut self, kind: Kind, amount: Decimal) {
        self.0[kind.index()] = amount;
    }

    /// Every line with its kind.
    pub fn iter(&self) -> impl Iterator<Item = (Kind, Decimal)> + '_ {
        Kind::all().map(|k| (k, self.get(k)))
    }

    /// The sum of every line; `None` on overflow.
    pub fn sum(&self) -> Option<Decimal> {
        self.0
            .iter()
            .try_fold(Decimal::ZERO, |a, b| a.checked_add(*b))
    }

    /// Each line mapped through `f`, which may fail.
    pub fn try_map<E>(&self, mut f: impl FnMut(Decimal) -> Result<Decimal, E>) -> Result<Lines, E> {
        let mut out = Lines::default();
        for (slot, v) in out.0.iter_mut().zip(self.0) {
            *slot = f(v)?;
        }
        Ok(out)
    }

    /// Line by line `self + other`; `None` on overflow.
    pub fn plus(&self, other: &Lines) -> Option<Lines> {
        let mut out = *self;
        for (k, v) in other.iter() {
            out.add(k, v)?;
        }
        Some(out)
    }
}

impl Serialize for Lines {
    /// As the fields of the bill they belong to: `"input_cost": …, "batch_savings": …`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(Kind::COUNT))?;
        for (k, v) in self.iter() {
            map.serialize_entry(k.label().key, &v)?;
        }
        map.end()
    }
}
