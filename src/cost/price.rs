//! Where every unit price comes from: the one lookup for a meter's price at a tier, the batch
//! saving, the negotiated discount, and the coefficient the bill multiplies each quantity by.
//!
//! 1. A request is billed at its tier's prices (see [`super::quantity::Profile::tier`]); tier 0 is
//!    the list price.
//! 2. A `[pricing.override]` replaces whichever prices it sets, at every tier.
//! 3. A meter with no price of its own bills at another's: cached input at the input price.
//! 4. The batched part of a batchable meter saves `batch_discount` of its price; a model without a
//!    batch price saves nothing.
//! 5. The discount (a model's own, else its vendor's) takes its fraction off everything.
//!
//! The coefficient of a term is its unit price ÷ the units it is quoted per × (1 − discount): a
//! workload's bill before conversion is Σ quantity × coefficient, which the `Decimal` bill and the
//! sweep's fixed-point path both compute from these functions.

use super::checked::MILLION;
use super::component::{Level, Source};
use super::kind::{Meter, Term};
use crate::catalogue::model::{Model, Price};
use crate::scenario::{PriceOverride, Scenario};
use rust_decimal::Decimal;

/// A unit price and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Priced {
    /// Price per the term's units, in the model's currency.
    pub price: Decimal,
    /// Where it came from.
    pub source: Source,
}

/// The prices one level of a model's price table sets, per 1M tokens.
struct Listed {
    input: Option<Decimal>,
    cached_input: Option<Decimal>,
    cache_write: Option<Decimal>,
    cache_storage: Option<Decimal>,
    output: Option<Decimal>,
}

impl Meter {
    /// The meter's own price at one level, if that level sets it.
    fn listed(self, l: &Listed) -> Option<Decimal> {
        match self {
            Meter::Input => l.input,
            Meter::CachedRead => l.cached_input,
            Meter::CacheWrite => l.cache_write,
            Meter::Output => l.output,
            Meter::CacheStorage => l.cache_storage,
        }
    }

    /// The meter whose price applies when this one has none: a cache read or write bills at the
    /// input price.
    fn falls_back_to(self) -> Option<Meter> {
        match self {
            Meter::CachedRead | Meter::CacheWrite => Some(Meter::Input),
            Meter::Input | Meter::Output | Meter::CacheStorage => None,
        }
    }

    /// Whether long-prompt tiers set their own price for the meter. Cache storage is a price per
    /// token-hour that does not depend on any request's length: the list price at every tier.
    fn tiered(self) -> bool {
        match self {
            Meter::Input | Meter::CachedRead | Meter::CacheWrite | Meter::Output => true,
            Meter::CacheStorage => false,
        }
    }
}

/// A meter's unit price for a request billed at `tier`, or `None` when the model does not bill it.
/// The one lookup of a metered price: every bill, and every fast path, asks here.
pub fn meter_price(
    s: &Scenario,
    m: &Model,
    price: &Price,
    meter: Meter,
    tier: usize,
) -> Option<Priced> {
    let tier = if meter.tiered() { tier } else { 0 };
    let (table, level) = match tier.checked_sub(1) {
        None => (
            Listed {
                input: price.input,
                cached_input: price.cached_input,
                cache_write: price.cache.cache_write,
                cache_storage: price.cache.cache_storage_per_mtok_hour,
                output: price.output,
            },
            Level::List,
        ),
        Some(i) => {
            let t = price.tiers.get(i)?;
            (
                Listed {
                    input: Some(t.input),
                    cached_input: t.cached_input,
                    cache_write: t.cache_write,
                    cache_storage: None,
                    output: Some(t.output),
                },
                Level::Tier(t.above_input_tokens),
            )
        }
    };
    let over = s
        .pricing
        .overrides
        .get(&m.id)
        .map(|o: &PriceOverride| Listed {
            input: o.input,
            cached_input: o.cached_input,
            cache_write: o.cache_write,
            cache_storage: None,
            output: o.output,
        });
    let found = |level| {
        move |price| Priced {
            price,
            source: Source::Price { level, of: meter },
        }
    };
    if let Some(p) = over.as_ref().and_then(|o| meter.listed(o)) {
        return Some(found(Level::Override)(p));
    }
    if let Some(p) = meter.listed(&table) {
        return Some(found(level)(p));
    }
    meter_price(s, m, price, meter.falls_back_to()?, tier)
}

/// A term's unit price at `tier`: the meter's price, or for its batched part the saving per unit,
/// −`batch_discount` × that price. `None` when the model does not bill the term.
pub fn term_price(
    s: &Scenario,
    m: &Model,
    price: &Price,
    term: Term,
    tier: usize,
) -> Option<Priced> {
    let p = meter_price(s, m, price, term.meter, tier)?;
    if !term.batched {
        return Some(p);
    }
    let off = price.batch_discount?;
    Some(Priced {
        price: -(off.checked_mul(p.price)?),
        source: p.source,
    })
}

/// The fraction the scenario takes off everything this model bills, and where it was set.
pub fn discount(s: &Scenario, m: &Model) -> (Decimal, Source) {
    let key = [&m.id, &m.vendor]
        .into_iter()
        .find(|k| s.pricing.discounts.contains_key(k.as_str()));
    (
        s.pricing.discount_for(&m.id, &m.vendor),
        Source::Discount(key.cloned()),
    )
}

/// What each unit of a component costs after the discount: `unit_price ÷ per × keep`, where
/// `keep` is 1 − the discount. `None` on overflow.
pub fn coefficient(unit_price: Decimal, per: Decimal, keep: Decimal) -> Option<Decimal> {
    let each = if per == Decimal::ONE {
        unit_price
    } else if per == MILLION && unit_price.scale() + 6 <= 28 {
        // Dividing by a million only moves the decimal point: exact, and far cheaper than a
        // division.
        Decimal::from_i128_with_scale(unit_price.mantissa(), unit_price.scale() + 6)
    } else {
        unit_price.checked_div(per)?
    };
    each.checked_mul(keep)
}

/// The coefficient of every term at `tier` (zero for a term the model does not bill), in the
/// model's currency: what a fast path multiplies a workload's quantities by. `None` when the model
/// is not priced per token or a coefficient overflows.
pub fn tier_coefficients(s: &Scenario, m: &Model, tier: usize) -> Option<[Decimal; Term::COUNT]> {
    let price = m.price.as_ref().filter(|p| p.has_token_prices())?;
    let keep = Decimal::ONE.checked_sub(discount(s, m).0)?;
    let mut out = [Decimal::ZERO; Term::COUNT];
    for term in Term::all() {
        if let Some(p) = term_price(s, m, price, term, tier) {
            out[term.index()] = coefficient(p.price, term.meter.spec().per, keep)?;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalogue::Catalogue;
    use crate::source::SourceFile;

    #[test]
    fn an_override_wins_at_every_tier_and_cached_input_falls_back_to_the_input_price() {
        let cat = Catalogue::embedded().unwrap();
        // Prices of its own: $3.50 / $10.50, no cached price, and $7 / $21 above 128k tokens.
        let mut m = cat.model("google/gemini-1.5-pro").unwrap().clone();
        m.price = Some(Price {
            input: Some(Decimal::new(35, 1)),
            output: Some(Decimal::new(105, 1)),
            cached_input: None,
            cache: Default::default(),
            batch_discount: None,
            per_image: None,
            per_video_second: None,
            tiers: vec![crate::catalogue::model::Tier {
                above_input_tokens: 128_000,
                input: Decimal::from(7),
                output: Decimal::from(21),
                cached_input: None,
                cache_write: None,
            }],
            plans: Vec::new(),
            as_of: "test".into(),
            source: "test".into(),
        });
        let (m, price) = (&m, m.price.as_ref().unwrap());
        let text =
            "name = \"t\"\n[[workload]]\nname = \"w\"\nrequests_per_month = 1\ninput_tokens = 1\n\
                    output_tokens = 1\n[pricing.override.\"google/gemini-1.5-pro\"]\ninput = 1\n";
        let src = SourceFile::from_text("t.toml".into(), text.into()).unwrap();
        let s = Scenario::from_source(&src, &cat).unwrap();
        let over = |meter| Source::Price {
            level: Level::Override,
            of: meter,
        };
        for tier in 0..=price.tiers.len() {
            let input = meter_price(&s, m, price, Meter::Input, tier).unwrap();
            assert_eq!(
                (input.price, input.source),
                (Decimal::ONE, over(Meter::Input))
            );
            // No cached price of its own: the (overridden) input price, recorded as such.
            let cached = meter_price(&s, m, price, Meter::CachedRead, tier).unwrap();
            assert_eq!(
                (cached.price, cached.source),
                (Decimal::ONE, over(Meter::Input))
            );
        }
        // Output is not overridden: the list price, then the 128k tier's.
        let out = |tier| {
            meter_price(&s, m, price, Meter::Output, tier)
                .unwrap()
                .source
        };
        assert_eq!(
            (out(0), out(1)),
            (
                Source::Price {
                    level: Level::List,
                    of: Meter::Output
                },
                Source::Price {
                    level: Level::Tier(128_000),
                    of: Meter::Output
                }
            )
        );
    }
}
