//! One line item of a bill: what it bills, how much, at what unit price, and where the price came
//! from.

use super::checked::priced;
use super::kind::{Kind, Meter};
use rust_decimal::Decimal;

/// A cost component: `amount = quantity × unit_price ÷ per`, in the model's own currency.
#[derive(Debug, Clone, PartialEq)]
pub struct Component {
    /// What it bills.
    pub kind: Kind,
    /// The meter it counts; for a batch saving, the meter whose batched part it discounts.
    /// `None` for media and the discount.
    pub on: Option<Meter>,
    /// Tokens, images, seconds of video or subscriptions a month; for the discount, the amount it
    /// is taken off.
    pub quantity: Decimal,
    /// Units the unit price is quoted per (1M for tokens, 1 otherwise).
    pub per: Decimal,
    /// The price per `per` units (negative for a saving or discount, as a fraction of the
    /// quantity for the discount).
    pub unit_price: Decimal,
    /// Where the unit price came from.
    pub source: Source,
    /// quantity × unit price ÷ per.
    pub amount: Decimal,
}

/// Which level of a model's price table a metered price came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// The list price in the model's profile.
    List,
    /// The long-prompt tier for requests above this many input tokens.
    Tier(u64),
    /// The scenario's `[pricing.override."<model>"]`.
    Override,
}

/// Where a component's unit price came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A metered price: its level, and the meter whose price it is (a meter without a price of
    /// its own, such as cached input on most models, bills at another's). A batch saving records
    /// the price it discounts; the fraction off is the model's `batch_discount`.
    Price {
        /// Level of the price table.
        level: Level,
        /// The meter whose price it is.
        of: Meter,
    },
    /// The model's price per image or per second of video.
    PerUnit,
    /// Subscriptions to this plan of the model's.
    Plan(String),
    /// The `[pricing.discounts]` entry, keyed by this model or vendor id; `None` when none applies.
    Discount(Option<String>),
}

impl Component {
    /// A component and its amount, or `None` when the amount overflows.
    pub fn new(
        kind: Kind,
        on: Option<Meter>,
        quantity: Decimal,
        per: Decimal,
        unit_price: Decimal,
        source: Source,
    ) -> Option<Component> {
        Some(Component {
            kind,
            on,
            quantity,
            per,
            unit_price,
            source,
            amount: priced(quantity, unit_price, per)?,
        })
    }
}
