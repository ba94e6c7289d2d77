//! What a bill is made of: the meters a model bills by, and the kinds of cost component.
//!
//! Most components are *metered*: a quantity of a [`Meter`] (fresh input tokens, cached input
//! tokens, output tokens) at its unit price. The other kinds adjust them: the saving on requests
//! sent through a batch API, generated media, and the negotiated discount.
//!
//! Adding a metered quantity (cache writes, image tokens) is one variant of [`Meter`]. The
//! compiler then lists every `match` that must say how it is shown and billed ([`Meter::spec`]),
//! how much of it a workload uses ([`super::quantity`]) and where its price comes from
//! ([`super::price`]). The sweep's fast path, the bill's lines, `cost`'s table and JSON and the
//! property tests all iterate [`Meter::ALL`] and [`Kind::all`], so they need no change.

use super::checked::MILLION;
use rust_decimal::Decimal;

/// Declares [`Meter`] with `ALL`, the list of every variant in declaration order, so no list of
/// meters can miss one.
macro_rules! meters {
    ($($(#[$doc:meta])* $name:ident,)+) => {
        /// A metered quantity, billed as quantity × unit price.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Meter {
            $($(#[$doc])* $name,)+
        }

        impl Meter {
            /// Every meter, in the order bills list them.
            pub const ALL: &'static [Meter] = &[$(Meter::$name,)+];
        }
    };
}

meters! {
    /// Input tokens not served from a cache.
    Input,
    /// Input tokens read from a cache.
    CachedRead,
    /// Input tokens written to a cache (a miss on a cached prefix).
    CacheWrite,
    /// Output tokens.
    Output,
    /// Token-hours of an explicit cache's storage.
    CacheStorage,
}

/// How a kind of component is shown: its column in `cost`'s table, its key in the JSON, and the
/// noun an overflow error uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label {
    /// Column header in `cost`'s table.
    pub column: &'static str,
    /// Key of the line in `cost --format json`.
    pub key: &'static str,
    /// Whether the column shows when it is zero for every workload.
    pub always: bool,
    /// What an overflow error says was being computed.
    pub what: &'static str,
}

/// The static facts of a meter: how it is shown, the units its price is quoted per, and whether a
/// batch API discounts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    /// How its line is shown.
    pub label: Label,
    /// Units the unit price is quoted per (1M tokens).
    pub per: Decimal,
    /// Whether requests sent through a batch API pay less for it.
    pub batchable: bool,
}

impl Meter {
    /// How many meters there are.
    pub const COUNT: usize = Meter::ALL.len();

    /// Position in [`Meter::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    /// How the meter is shown and billed.
    pub fn spec(self) -> Spec {
        let tokens = |column, key, always, what| Spec {
            label: Label {
                column,
                key,
                always,
                what,
            },
            per: MILLION,
            batchable: true,
        };
        match self {
            Meter::Input => tokens("input", "input_cost", true, "input cost"),
            Meter::CachedRead => tokens(
                "cache read",
                "cached_input_cost",
                false,
                "cached input cost",
            ),
            Meter::CacheWrite => {
                tokens("cache write", "cache_write_cost", false, "cache write cost")
            }
            Meter::Output => tokens("output", "output_cost", true, "output cost"),
            // Storage is a monthly fee for keeping the cache, not part of any request: no batch
            // API discounts it.
            Meter::CacheStorage => Spec {
                batchable: false,
                ..tokens(
                    "cache storage",
                    "cache_storage_cost",
                    false,
                    "cache storage cost",
                )
            },
        }
    }
}

/// The kind of a cost component, and of a line of the bill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A meter's quantity at its unit price.
    Metered(Meter),
    /// The saving on requests sent through a batch API (negative).
    BatchSaving,
    /// Generated images and video, per unit or by subscription.
    Media,
    /// The negotiated discount off everything above (negative).
    Discount,
}

impl Kind {
    /// How many kinds there are. The compiler does not check this count or the list in
    /// [`Kind::all`]: a new kind that is not metered must be added to both by hand (a component of
    /// a kind left out would index past the end of `Lines`).
    pub const COUNT: usize = Meter::COUNT + 3;

    /// Every kind, in the order a bill lists its lines; see [`Kind::COUNT`].
    pub fn all() -> impl Iterator<Item = Kind> {
        Meter::ALL.iter().map(|m| Kind::Metered(*m)).chain([
            Kind::BatchSaving,
            Kind::Media,
            Kind::Discount,
        ])
    }

    /// Position in [`Kind::all`].
    pub fn index(self) -> usize {
        match self {
            Kind::Metered(m) => m.index(),
            Kind::BatchSaving => Meter::COUNT,
            Kind::Media => Meter::COUNT + 1,
            Kind::Discount => Meter::COUNT + 2,
        }
    }

    /// How the kind's line is shown.
    pub fn label(self) -> Label {
        let label = |column, key, what| Label {
            column,
            key,
            always: false,
            what,
        };
        match self {
            Kind::Metered(m) => m.spec().label,
            Kind::BatchSaving => label("batch", "batch_savings", "batch"),
            Kind::Media => label("media", "media_cost", "media cost"),
            Kind::Discount => label("discount", "discount", "discount"),
        }
    }
}

/// One term of a bill's linear form within a price tier: a meter's quantity at its price, or the
/// part of it sent through a batch API at the saving per unit. Within one tier a workload's bill
/// before the discount is Σ quantity × unit price ÷ per over the terms; the discount scales it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Term {
    /// The meter.
    pub meter: Meter,
    /// Whether this is the batched part, billed at the saving per unit.
    pub batched: bool,
}

impl Term {
    /// How many terms there are: every meter, plain and batched.
    pub const COUNT: usize = 2 * Meter::COUNT;

    /// Every term: each meter plain, then each meter batched.
    pub fn all() -> impl Iterator<Item = Term> {
        [false, true]
            .into_iter()
            .flat_map(|batched| Meter::ALL.iter().map(move |&meter| Term { meter, batched }))
    }

    /// Position in [`Term::all`].
    pub fn index(self) -> usize {
        self.meter.index() + if self.batched { Meter::COUNT } else { 0 }
    }

    /// The kind of component it makes.
    pub fn kind(self) -> Kind {
        if self.batched {
            Kind::BatchSaving
        } else {
            Kind::Metered(self.meter)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_place_and_name() {
        let kinds: Vec<Kind> = Kind::all().collect();
        assert_eq!(kinds.len(), Kind::COUNT);
        for (i, k) in kinds.iter().enumerate() {
            assert_eq!(k.index(), i, "{k:?}");
        }
        let mut keys: Vec<&str> = kinds.iter().map(|k| k.label().key).collect();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), Kind::COUNT, "a JSON key is used twice");
        for (i, m) in Meter::ALL.iter().enumerate() {
            assert_eq!(m.index(), i);
        }
        let terms: Vec<Term> = Term::all().collect();
        assert_eq!(terms.len(), Term::COUNT);
        for (i, t) in terms.iter().enumerate() {
            assert_eq!(t.index(), i, "{t:?}");
        }
    }
}
