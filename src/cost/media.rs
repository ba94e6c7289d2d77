//! Generated media: images and seconds of video, at the model's price per unit, or else as the
//! cheapest whole number of subscriptions to one plan that covers the month's volume.
//!
//! Plans make the bill a step function of the volume, so media are not part of the linear form
//! fast paths use; a workload with media is always priced here, exactly.

use super::bill::Unpriced;
use super::component::{Component, Source};
use super::kind::Kind;
use super::quantity::Overflow;
use crate::catalogue::model::Price;
use crate::scenario::Workload;
use rust_decimal::Decimal;

/// The media components of a workload, or why the model cannot price them.
pub fn components(
    w: &Workload,
    price: &Price,
) -> Result<Result<Vec<Component>, Unpriced>, Overflow> {
    let over = Overflow("media cost");
    let mut out = Vec::new();
    for (need, unit, noun) in [
        (w.images_per_month, price.per_image, "image"),
        (
            w.video_seconds_per_month,
            price.per_video_second,
            "video second",
        ),
    ] {
        if need.is_zero() {
            continue;
        }
        if let Some(u) = unit {
            let c = Component::new(Kind::Media, None, need, Decimal::ONE, u, Source::PerUnit);
            out.push(c.ok_or(over)?);
            continue;
        }
        let mut best: Option<Component> = None;
        for plan in &price.plans {
            let included = if noun == "image" {
                plan.images
            } else {
                plan.video_seconds
            };
            let Some(inc) = included.filter(|i| !i.is_zero()) else {
                continue;
            };
            let subs = need.checked_div(inc).ok_or(over)?.ceil();
            let c = Component::new(
                Kind::Media,
                None,
                subs,
                Decimal::ONE,
                plan.monthly,
                Source::Plan(plan.name.clone()),
            )
            .ok_or(over)?;
            if best.as_ref().is_none_or(|b| c.amount < b.amount) {
                best = Some(c);
            }
        }
        match best {
            Some(c) => out.push(c),
            None => return Ok(Err(Unpriced::Reason(format!("no price per {noun}")))),
        }
    }
    Ok(Ok(out))
}
