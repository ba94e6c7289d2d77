//! The catalogue types built from the embedded files without checking them again at run time.
//!
//! The checks in `profile`, `registry`, `fx` and `hardware` are there to explain a fault in a file
//! a person wrote, with its line. The embedded files are checked by the test suite instead: the
//! tests below load every one of them both ways and require the same result, field for field, so
//! a fault in a shipped file fails `cargo test`. What is left here is the plain mapping from the
//! file types, which is why `rank` starts in about a millisecond.
//!
//! Whatever the mapping cannot express (an unknown currency, a fractional layer count) gives
//! `None`, and the caller validates that file instead, which reports the fault.

use super::fx::FxTable;
use super::hardware::{Accelerator, Hardware, HourlyPrice};
use super::model::{Model, Moe, Plan, Price, Score, Serving, Tier, Vendor};
use super::profile::Profile;
use super::raw::{
    RawAccelerator, RawFx, RawHardware, RawModel, RawPrice, RawProfile, RawRegistry, RawServing,
};
use super::registry::{Benchmark, Registry};
use crate::money::Currency;
use crate::num::Num;
use rust_decimal::prelude::ToPrimitive;
use std::collections::BTreeMap;

/// The benchmark registry of a file.
pub fn registry(raw: RawRegistry) -> Option<Registry> {
    let mut by_id = BTreeMap::new();
    for b in raw.benchmark {
        by_id.insert(b.id.clone(), Benchmark::from(b));
    }
    Some(Registry { by_id })
}

/// The exchange rates of a file.
pub fn fx(raw: RawFx) -> Option<FxTable> {
    let mut table = FxTable {
        as_of: raw.as_of,
        source: raw.source,
        ..FxTable::default()
    };
    for (code, rate) in raw.rates {
        table.rates.insert(Currency::parse(&code)?, rate.get());
    }
    Some(table)
}

/// The accelerators of a file.
pub fn hardware(raw: RawHardware) -> Option<Hardware> {
    let accelerators = raw
        .accelerator
        .into_iter()
        .map(accelerator)
        .collect::<Option<_>>()?;
    Some(Hardware { accelerators })
}

fn accelerator(a: RawAccelerator) -> Option<Accelerator> {
    let price = match a.price {
        Some(p) => Some(HourlyPrice {
            hourly: p.hourly.get(),
            as_of: p.as_of?,
            source: p.source?,
        }),
        None => None,
    };
    Some(Accelerator {
        id: a.id,
        name: a.name,
        memory_gb: a.memory_gb.get(),
        bandwidth_tbs: a.bandwidth_tbs.get(),
        bf16_tflops: a.bf16_tflops.get(),
        fp8_tflops: a.fp8_tflops.map(Num::get),
        int8_tops: a.int8_tops.map(Num::get),
        source: a.source?,
        price,
    })
}

/// The vendor and models of a profile file; `origin` is the name its models record.
pub fn profile(raw: RawProfile, origin: &str) -> Option<Profile> {
    let vendor = Vendor {
        currency: Currency::parse(&raw.vendor.currency)?,
        id: raw.vendor.id,
        name: raw.vendor.name,
        country: raw.vendor.country,
    };
    let mut models = Vec::with_capacity(raw.model.len());
    for m in raw.model {
        models.push(model(m, &vendor, origin)?);
    }
    Some(Profile { vendor, models })
}

fn model(m: RawModel, vendor: &Vendor, origin: &str) -> Option<Model> {
    let benchmarks = m
        .benchmarks
        .into_iter()
        .map(|b| Score {
            id: b.id,
            value: b.value.get(),
            setting: b.setting.unwrap_or_default(),
            source: b.source.unwrap_or_default(),
            inherited_from: b.inherited_from,
        })
        .collect();
    let params_b = m.params_b.map(Num::get);
    Some(Model {
        id: m.id,
        vendor: vendor.id.clone(),
        name: m.name,
        aliases: m.aliases,
        family: m.family,
        released: m.released,
        status: m.status,
        context_window: each(m.context_window, whole)?,
        max_output_tokens: each(m.max_output_tokens, whole)?,
        max_input_tokens: each(m.max_input_tokens, whole)?,
        input_modalities: m.input_modalities,
        output_modalities: m.output_modalities,
        capabilities: m.capabilities,
        languages: m.languages,
        open_weights: m.open_weights,
        license: m.license,
        params_b,
        active_params_b: m.active_params_b.map(Num::get),
        currency: vendor.currency,
        price: each(m.price, price)?,
        price_note: m.price_note,
        benchmarks,
        sources: m.sources,
        serving: each(m.serving, serving)?,
        origin: origin.to_string(),
    })
}

fn price(p: RawPrice) -> Option<Price> {
    let tiers = p
        .tiers
        .into_iter()
        .map(|t| {
            Some(Tier {
                above_input_tokens: whole(t.above_input_tokens)?,
                input: t.input.get(),
                output: t.output.get(),
                cached_input: t.cached_input.map(Num::get),
            })
        })
        .collect::<Option<_>>()?;
    let plans = p
        .plans
        .into_iter()
        .map(|pl| Plan {
            name: pl.name,
            monthly: pl.monthly.get(),
            images: pl.images.map(Num::get),
            video_seconds: pl.video_seconds.map(Num::get),
        })
        .collect();
    Some(Price {
        input: p.input.map(Num::get),
        output: p.output.map(Num::get),
        cached_input: p.cached_input.map(Num::get),
        cache_write: p.cache_write.map(Num::get),
        batch_discount: p.batch_discount.map(Num::get),
        per_image: p.per_image.map(Num::get),
        per_video_second: p.per_video_second.map(Num::get),
        tiers,
        plans,
        as_of: p.as_of?,
        source: p.source?,
    })
}

fn serving(s: RawServing) -> Option<Serving> {
    let moe = match (s.experts, s.experts_per_token) {
        (None, None) => None,
        (Some(e), Some(k)) => Some(Moe {
            experts: whole(e)?,
            per_token: whole(k)?,
        }),
        _ => return None,
    };
    Some(Serving {
        layers: whole(s.layers)?,
        hidden_size: whole(s.hidden_size)?,
        kv_heads: whole(s.kv_heads)?,
        head_dim: whole(s.head_dim)?,
        precisions: s.precisions,
        moe,
        source: s.source?,
    })
}

/// A count, as the checked path reads it when it is sound.
fn whole(n: Num) -> Option<u64> {
    let v = n.get();
    if v.fract().is_zero() {
        v.to_u64()
    } else {
        None
    }
}

/// An optional field mapped by `f`: `Some(None)` when absent, `None` when `f` fails.
fn each<A, B>(x: Option<A>, f: impl FnOnce(A) -> Option<B>) -> Option<Option<B>> {
    match x {
        None => Some(None),
        Some(a) => f(a).map(Some),
    }
}
