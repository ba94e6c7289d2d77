//! How a forecast appears in a report: two table columns and a win share, JSON fields on each
//! row, a `forecast` object and a note. Only a scenario with a forecast gets any of them, so every
//! other report keeps its shape.

use super::{ModelForecast, Outlook};
use crate::money::{format_percent, Currency};
use crate::render::deferred::{emit_all, Deferred, Step};
use crate::render::Cell;
use crate::report::forecast::{ForecastFields, ForecastInput, ForecastSpec};
use crate::scenario::forecast::Forecast;
use crate::scenario::Scenario;
use serde_json::Value;
use std::sync::Arc;

/// Ranged inputs the note names; JSON's `forecast.inputs` lists every one.
pub const NAMED_INPUTS: usize = 12;

/// Column headers added after the horizon column.
pub const HEADERS: [&str; 3] = [">P10 horizon", ">P90 horizon", ">win share"];

/// The cells under [`HEADERS`] for one row; dashes for a row the forecast does not cover.
pub fn cells(o: &Outlook, model: &str, cur: Currency) -> [Cell; 3] {
    match o.of(model) {
        Some(f) => [
            Cell::money(f.horizon.p10, cur),
            Cell::money(f.horizon.p90, cur),
            Cell {
                text: format_percent(f.win_share),
                raw: f.win_share.normalize().to_string(),
            },
        ],
        None => std::array::from_fn(|_| Cell {
            text: "—".into(),
            raw: String::new(),
        }),
    }
}

/// Adds `monthly_cost_p10/p50/p90`, `horizon_cost_p10/p50/p90` and `win_share` to a row (null
/// for a row the forecast does not cover).
pub fn add_json(row: &mut Value, f: Option<&ModelForecast>) {
    crate::report::merge(row, &ForecastFields::of(f));
}

/// The `forecast` object (trials, seed, correlations) with `inputs` empty, and the part that
/// writes every range into it as the report is written: a scenario may range an input of each of
/// thousands of workloads.
pub fn json(f: &Arc<Forecast>) -> (Value, Deferred) {
    let f = Arc::clone(f);
    let value = crate::report::to_json(&ForecastSpec::without_inputs(&f));
    let part = Deferred {
        at: vec![Step::Key("forecast"), Step::Key("inputs")],
        fill: Box::new(move |emit| {
            emit_all(emit, |out| {
                for (i, input) in f.inputs.iter().enumerate() {
                    out(crate::report::to_json(&ForecastInput::of(f.name(i), input)));
                }
                Ok(())
            })
        }),
    };
    (value, part)
}

/// The note that says how to read the forecast columns. It names the first [`NAMED_INPUTS`]
/// ranged inputs and counts the rest.
pub fn note(s: &Scenario, f: &Forecast) -> String {
    let inputs = if f.inputs.is_empty() {
        "no ranges, so every trial is the same".to_string()
    } else {
        let named: Vec<&str> = f.names.iter().take(NAMED_INPUTS).collect();
        let rest = f.inputs.len() - named.len();
        let more = if rest == 0 {
            String::new()
        } else {
            format!(
                " and {} more (JSON's `forecast.inputs` lists every range)",
                crate::money::grouped_int((rest as u64).into())
            )
        };
        format!("ranges on {}{more}", named.join(", "))
    };
    format!(
        "Forecast: {} trials, seed {}, {inputs}. P10–P90 horizon: in 8 of 10 trials the {}-month cost falls between them (1 in 10 below P10, 1 in 10 above P90); each is the exact bill of one trial. Win share: the share of trials in which the model ranks first by {} on its horizon cost. Monthly cost and horizon take every range at its median.",
        crate::money::grouped_int(f.trials.into()),
        f.seed,
        s.horizon_months,
        s.objective.as_str()
    )
}

/// Adds the forecast to a `rank` report: the columns after the horizon, the JSON fields, the
/// `forecast` object and the note after the one on costs. Returns the part that writes the
/// object's `inputs` ([`json`]).
pub fn extend_rank(doc: &mut crate::render::Doc, s: &Scenario, o: &Outlook) -> Option<Deferred> {
    let cur = s.currency;
    let horizon = format!("{}-month", s.horizon_months);
    if let Some(main) = doc.sections.first_mut() {
        // The rank report keeps these columns (hidden and empty) right after the horizon.
        if let Some(at) = main.headers.iter().position(|h| *h == horizon) {
            for (k, h) in HEADERS.iter().enumerate() {
                debug_assert_eq!(main.headers[at + 1 + k], h.trim_start_matches('>'));
                main.hidden[at + 1 + k] = false;
            }
            for row in main.rows.iter_mut() {
                let model = row.get(1).map(|c| c.raw.clone()).unwrap_or_default();
                for (k, c) in cells(o, &model, cur).into_iter().enumerate() {
                    row[at + 1 + k] = c;
                }
            }
        }
    }
    if let Some(rows) = doc.json["ranked"].as_array_mut() {
        for row in rows {
            let model = row["model"].as_str().unwrap_or_default().to_string();
            let kind = matches!(row["kind"].as_str(), Some("model" | "mix"));
            let api = row["deployment"].as_str().unwrap_or_default() == "api";
            add_json(row, o.of(&model).filter(|_| kind && api));
        }
    }
    let f = s.forecast.as_ref()?;
    let (value, inputs) = json(f);
    doc.json["forecast"] = value;
    let at = doc
        .notes
        .iter()
        .position(|n| n.starts_with("Costs in "))
        .map_or(doc.notes.len(), |i| i + 1);
    doc.notes.insert(at, note(s, f));
    Some(inputs)
}

/// Adds the forecast of one model to a `cost` report: the JSON fields beside `monthly_cost` and
/// `horizon_cost`, the `forecast` object and a note with the range. A model that is not an
/// eligible API candidate gets `null` fields and a note saying why. Returns the part that writes
/// the object's `inputs` ([`json`]).
pub fn extend_cost(
    doc: &mut crate::render::Doc,
    s: &Scenario,
    o: &Outlook,
    model: &str,
) -> Option<Deferred> {
    let f = o.of(model);
    add_json(&mut doc.json, f);
    let spec = s.forecast.as_ref()?;
    let (value, inputs) = json(spec);
    doc.json["forecast"] = value;
    let cur = s.currency;
    let text = match f {
        Some(f) => format!(
            "Forecast over {} trials (seed {}): first month {} to {} (median {}); {}-month horizon {} to {} (median {}), P10 to P90; ranks first by {} in {} of trials.",
            crate::money::grouped_int(o.trials.into()),
            o.seed,
            crate::money::format_money(f.monthly.p10, cur),
            crate::money::format_money(f.monthly.p90, cur),
            crate::money::format_money(f.monthly.p50, cur),
            s.horizon_months,
            crate::money::format_money(f.horizon.p10, cur),
            crate::money::format_money(f.horizon.p90, cur),
            crate::money::format_money(f.horizon.p50, cur),
            s.objective.as_str(),
            format_percent(f.win_share)
        ),
        None => format!("Forecast: {model} is not an eligible API candidate of this scenario (`llmplan rank --all` says why), so it has no P10–P90 or win share."),
    };
    doc.notes.push(text);
    Some(inputs)
}

/// A note for any report whose horizon moves prices: which models and how. `None` when prices
/// stay put, so other reports keep their notes.
pub fn price_note(s: &Scenario) -> Option<String> {
    let mut parts = Vec::new();
    for (k, c) in &s.pricing.change_per_year {
        parts.push(format!(
            "{k} {}% a year",
            (c * rust_decimal::Decimal::ONE_HUNDRED).normalize()
        ));
    }
    for e in &s.pricing.schedule {
        parts.push(format!("{} scheduled from month {}", e.model, e.from_month));
    }
    (!parts.is_empty()).then(|| {
        format!(
            "Prices move over the horizon (changes compound monthly; see docs/forecast.md): {}.",
            parts.join("; ")
        )
    })
}
