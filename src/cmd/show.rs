//! `llmplan show`: one model, every number with where it came from.

use super::{Context, Outcome};
use crate::cli::ShowArgs;
use crate::error::Result;
use crate::money::grouped_int;
use crate::render::{Cell, Doc, Section};
use crate::report::model::{EstimatedScore, ShowReport};
use crate::report::value::Exact;
use rust_decimal::Decimal;

/// Runs the command.
pub fn run(args: &ShowArgs, ctx: &Context) -> Result<Outcome> {
    let cat = ctx.catalogue()?;
    let m = cat.find_model(&args.id)?;
    let src = |field: &str| m.sources.get(field).cloned().unwrap_or_default();
    let list = |v: Vec<String>| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.join(", ")
        }
    };
    let mut facts = Section::new(
        Some(format!("{} ({})", m.name, m.id)),
        &["field", "value", "source"],
    )
    .with_keys(crate::csv_contract::SHOW);
    let mut fact = |k: &str, v: String| {
        let value = Cell {
            raw: crate::csv_contract::machine(&v),
            text: v,
        };
        facts
            .rows
            .push(vec![Cell::plain(k), value, Cell::plain(src(k))])
    };
    fact("vendor", m.vendor.clone());
    if !m.aliases.is_empty() {
        fact("aliases", m.aliases.join(", "));
    }
    fact("family", m.family.clone().unwrap_or_else(|| "—".into()));
    fact("released", m.released.clone().unwrap_or_else(|| "—".into()));
    fact("status", m.status.to_string());
    fact(
        "context_window",
        m.context_window
            .map_or("unknown".into(), |c| grouped_int(Decimal::from(c))),
    );
    fact(
        "max_output_tokens",
        m.max_output_tokens
            .map_or("unknown".into(), |c| grouped_int(Decimal::from(c))),
    );
    if let Some(i) = m.max_input_tokens {
        fact("max_input_tokens", grouped_int(Decimal::from(i)));
    }
    fact(
        "input_modalities",
        list(m.input_modalities.iter().map(|x| x.to_string()).collect()),
    );
    fact(
        "output_modalities",
        list(m.output_modalities.iter().map(|x| x.to_string()).collect()),
    );
    fact(
        "capabilities",
        list(m.capabilities.iter().map(|x| x.to_string()).collect()),
    );
    fact("languages", list(m.languages.clone()));
    fact("open_weights", m.open_weights.to_string());
    fact("license", m.license.clone().unwrap_or_else(|| "—".into()));
    fact(
        "params_b",
        m.params_b
            .map_or("unknown".into(), |p| p.normalize().to_string()),
    );
    fact(
        "active_params_b",
        m.active_params_b
            .map_or("unknown".into(), |p| p.normalize().to_string()),
    );

    let mut prices = Section::new(
        Some(format!("Prices ({})", m.currency)),
        &["item", ">price", "per", "as of", "source"],
    );
    match &m.price {
        None => prices.rows.push(vec![
            Cell::plain("none"),
            Cell::plain("—"),
            Cell::plain(""),
            Cell::plain(""),
            Cell::plain(
                m.price_note
                    .clone()
                    .unwrap_or_else(|| "no public price recorded".into()),
            ),
        ]),
        Some(p) => {
            // Cache prices carry their own date and source where they were read later.
            let cache_as_of = p.cache.cache_as_of.as_ref().unwrap_or(&p.as_of);
            let cache_source = p.cache.cache_source.as_ref().unwrap_or(&p.source);
            let mut dated = |item: String, v: Decimal, per: &str, cache: bool| {
                let (as_of, source) = if cache {
                    (cache_as_of, cache_source)
                } else {
                    (&p.as_of, &p.source)
                };
                prices.rows.push(vec![
                    Cell::plain(item),
                    Cell::plain(v.normalize().to_string()),
                    Cell::plain(per),
                    Cell::plain(as_of),
                    Cell::plain(source),
                ]);
            };
            let c = &p.cache;
            for (item, v, per) in [
                ("cached_input", p.cached_input, "1M tokens"),
                ("cache_write", c.cache_write, "1M tokens"),
                (
                    "min_cacheable_tokens",
                    c.min_cacheable_tokens.map(Decimal::from),
                    "tokens",
                ),
                (
                    "cache_storage_per_mtok_hour",
                    c.cache_storage_per_mtok_hour,
                    "1M tokens × hour",
                ),
            ] {
                if let Some(v) = v {
                    dated(item.to_string(), v, per, true);
                }
            }
            for t in &p.tiers {
                let above = grouped_int(Decimal::from(t.above_input_tokens));
                for (item, v) in [
                    ("cached_input", t.cached_input),
                    ("cache_write", t.cache_write),
                ] {
                    if let Some(v) = v {
                        dated(format!("{item} above {above} tokens"), v, "1M tokens", true);
                    }
                }
            }
            let cache_rows: Vec<Vec<Cell>> = prices.rows.drain(..).collect();
            let mut row = |item: String, v: Decimal, per: &str| {
                prices.rows.push(vec![
                    Cell::plain(item),
                    Cell::plain(v.normalize().to_string()),
                    Cell::plain(per),
                    Cell::plain(&p.as_of),
                    Cell::plain(&p.source),
                ]);
            };
            for (item, v, per) in [
                ("input", p.input, "1M tokens"),
                ("output", p.output, "1M tokens"),
                ("per_image", p.per_image, "image"),
                ("per_video_second", p.per_video_second, "second of video"),
            ] {
                if let Some(v) = v {
                    row(item.to_string(), v, per);
                }
            }
            if let Some(b) = p.batch_discount {
                row("batch_discount".into(), b, "fraction off");
            }
            for t in &p.tiers {
                row(
                    format!(
                        "input above {} tokens",
                        grouped_int(Decimal::from(t.above_input_tokens))
                    ),
                    t.input,
                    "1M tokens",
                );
                row(
                    format!(
                        "output above {} tokens",
                        grouped_int(Decimal::from(t.above_input_tokens))
                    ),
                    t.output,
                    "1M tokens",
                );
            }
            for pl in &p.plans {
                row(format!("plan {}", pl.name), pl.monthly, "month");
            }
            prices.rows.extend(cache_rows);
        }
    }
    let mut benches = Section::new(
        Some(format!("Benchmarks ({})", m.benchmarks.len())),
        &["benchmark", ">value", "setting", "source"],
    );
    for b in &m.benchmarks {
        benches.rows.push(vec![
            Cell::plain(&b.id),
            Cell::plain(b.value.normalize().to_string()),
            Cell::plain(&b.setting),
            Cell::plain(match &b.inherited_from {
                Some(from) => format!("inherited from {from}: {}", b.source),
                None => b.source.clone(),
            }),
        ]);
    }
    // The scores `rank` weighs by default that the model has not published, estimated as `rank`
    // would estimate them with every model a candidate, and labelled as estimates.
    let estimates = crate::fit::estimates_for(&cat, m, crate::scenario::DEFAULT_WEIGHTS);
    let mut estimated = Section::new(
        Some("Estimated scores (imputed, not published)".into()),
        &["benchmark", ">value", ">normalised", ">band (±1 SE)"],
    );
    let mut estimates_json = Vec::new();
    for (b, n, se) in &estimates {
        let value = b.denormalise(*n).unwrap_or(*n).round_dp(2);
        let (lo, hi) = (
            (*n - *se).max(Decimal::ZERO),
            (*n + *se).min(Decimal::ONE_HUNDRED),
        );
        estimated.rows.push(vec![
            Cell::plain(&b.id),
            Cell {
                text: format!("~{}", value.normalize()),
                raw: value.normalize().to_string(),
            },
            Cell {
                text: format!("~{:.1}", n.round_dp(1)),
                raw: n.normalize().to_string(),
            },
            Cell::plain(format!("{:.1}–{:.1}", lo.round_dp(1), hi.round_dp(1))),
        ]);
        estimates_json.push(EstimatedScore {
            benchmark: b.id.clone(),
            value: Exact::of(value),
            normalised: Exact::of(*n),
            normalised_low: Exact::of(lo),
            normalised_high: Exact::of(hi),
            imputed: true,
        });
    }
    let mut notes = Vec::new();
    if let Some(from) = m.benchmarks.iter().find_map(|b| b.inherited_from.as_ref()) {
        notes.push(format!("Inherited benchmarks were measured on {from}, the catalogue model this one is a snapshot or re-host of; they were copied when it was imported."));
    }
    if !estimates.is_empty() {
        notes.push("Estimated scores are not published figures: each is imputed from this model's published scores by a one-factor model of the catalogue (docs/fit.md), normalised from chance, with about one standard error either way. `rank` uses them, marked ~, when a scenario weighs them.".into());
    } else if m.benchmarks.is_empty() {
        notes.push("No published benchmark score: `rank` gives this model no fit, since there is nothing to estimate one from.".into());
    }
    if let (Some(note), Some(_)) = (&m.price_note, &m.price) {
        notes.push(format!("Price note: {note}"));
    }
    if let Some(s) = &m.serving {
        notes.push(format!(
            "Serving facts: {} layers, hidden {}, {} KV heads × {} head dim; precisions {} ({}).",
            s.layers,
            s.hidden_size,
            s.kv_heads,
            s.head_dim,
            s.precisions
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join(", "),
            s.source
        ));
    }
    let json = crate::report::to_json(&ShowReport {
        model: m,
        estimated_scores: estimates_json,
    });
    let mut sections = vec![facts, prices, benches];
    if !estimated.rows.is_empty() {
        sections.push(estimated);
    }
    Ok(Outcome::ok(Doc {
        json,
        sections,
        notes,
    }))
}
