//! `llmplan models`: the catalogue, filterable.

use super::{Context, Outcome};
use crate::catalogue::model::Model;
use crate::catalogue::vocab::{Capability, Status};
use crate::cli::ModelsArgs;
use crate::diag::suggest;
use crate::error::{Error, Result};
use crate::money::grouped_int;
use crate::render::{Cell, Doc, Section};
use rust_decimal::Decimal;

/// Runs the command.
pub fn run(args: &ModelsArgs, ctx: &Context) -> Result<Outcome> {
    let cat = ctx.catalogue()?;
    let capability = match &args.capability {
        Some(c) => Some(Capability::parse(c).ok_or_else(|| {
            Error::Usage(format!(
                "unknown capability `{c}`; {}",
                suggest(c, "use one of", Capability::ALL.iter().map(|x| x.as_str()))
            ))
        })?),
        None => None,
    };
    let status = match &args.status {
        Some(s) => Some(Status::parse(s).ok_or_else(|| {
            Error::Usage(format!(
                "unknown status `{s}`; {}",
                suggest(s, "use one of", Status::ALL.iter().map(|x| x.as_str()))
            ))
        })?),
        None => None,
    };
    if let Some(v) = &args.vendor {
        if !cat.has_vendor(v) {
            return Err(Error::Usage(format!(
                "unknown vendor `{v}`; {}",
                suggest(v, "vendors", cat.vendors.keys().map(String::as_str))
            )));
        }
    }
    let models: Vec<&Model> = cat
        .models
        .iter()
        .filter(|m| args.vendor.as_ref().is_none_or(|v| &m.vendor == v))
        .filter(|m| capability.is_none_or(|c| m.capabilities.contains(&c)))
        .filter(|m| status.is_none_or(|s| m.status == s))
        .collect();
    let mut t = Section::new(
        Some(format!("{} models", models.len())),
        &[
            "id",
            "name",
            "status",
            ">context",
            ">input /1M",
            ">output /1M",
            ">per image",
            ">per video s",
            "cur",
            ">benchmarks",
        ],
    )
    .with_keys(crate::csv_contract::MODELS)
    .droppable(&["name", "benchmarks", "status"]);
    t.hide("per image");
    t.hide("per video s");
    for m in &models {
        let unit = |v: Option<Decimal>| Cell {
            text: String::new(),
            raw: v.map_or(String::new(), |v| v.normalize().to_string()),
        };
        let (per_image, per_video) = (
            unit(m.price.as_ref().and_then(|p| p.per_image)),
            unit(m.price.as_ref().and_then(|p| p.per_video_second)),
        );
        let blank = |text: &str| Cell {
            text: text.into(),
            raw: String::new(),
        };
        let (i, o) = match &m.price {
            Some(p) if p.has_token_prices() => (price(p.input), price(p.output)),
            Some(p) if p.per_image.is_some() => (
                blank("—"),
                blank(&format!(
                    "{}/image",
                    p.per_image.unwrap_or_default().normalize()
                )),
            ),
            Some(p) if p.per_video_second.is_some() => (
                blank("—"),
                blank(&format!(
                    "{}/s video",
                    p.per_video_second.unwrap_or_default().normalize()
                )),
            ),
            Some(_) => (blank("—"), blank("plans")),
            None => (blank("unpriced"), blank("unpriced")),
        };
        t.rows.push(vec![
            Cell::plain(&m.id),
            Cell::plain(&m.name),
            Cell::plain(m.status.as_str()),
            m.context_window.map_or(blank("?"), |c| Cell {
                text: grouped_int(Decimal::from(c)),
                raw: c.to_string(),
            }),
            i,
            o,
            per_image,
            per_video,
            Cell::plain(m.currency.code()),
            Cell::plain(m.benchmarks.len().to_string()),
        ]);
    }
    let json = serde_json::to_value(&models).unwrap_or_default();
    let notes = vec!["Prices are list prices per 1M tokens in the vendor's currency; `llmplan show ID` gives every price and benchmark with its source.".to_string()];
    Ok(Outcome::ok(Doc {
        json,
        sections: vec![t],
        notes,
    }))
}

fn price(d: Option<Decimal>) -> Cell {
    match d {
        Some(d) => Cell::plain(d.normalize().to_string()),
        None => Cell {
            text: "—".into(),
            raw: String::new(),
        },
    }
}
