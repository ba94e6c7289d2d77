//! `llmplan benchmarks`: the registry, and which models report each benchmark.

use super::{Context, Outcome};
use crate::cli::BenchmarksArgs;
use crate::error::Result;
use crate::render::{Cell, Doc, Section};
use crate::report::catalogue::{BenchmarkEntry, BenchmarksReport};
use crate::report::value::Exact;

/// Runs the command.
pub fn run(_args: &BenchmarksArgs, ctx: &Context) -> Result<Outcome> {
    let cat = ctx.catalogue()?;
    let mut t = Section::new(
        Some(format!("{} benchmarks", cat.registry.by_id.len())),
        &[
            "id",
            "name",
            "domain",
            "scale",
            ">min",
            ">max",
            "better",
            ">chance",
            ">models",
            "reported by",
        ],
    )
    .with_keys(crate::csv_contract::BENCHMARKS)
    .droppable(&["reported by", "name", "scale"]);
    t.hide("min");
    t.hide("max");
    let mut rows = Vec::new();
    for b in cat.registry.by_id.values() {
        let mut models: Vec<&str> = cat
            .models
            .iter()
            .filter(|m| m.benchmarks.iter().any(|s| s.id == b.id))
            .map(|m| m.id.as_str())
            .collect();
        models.dedup();
        let shown = if models.len() > 4 {
            format!("{}, … +{}", models[..4].join(", "), models.len() - 4)
        } else {
            models.join(", ")
        };
        t.rows.push(vec![
            Cell::plain(&b.id),
            Cell::plain(&b.name),
            Cell::plain(&b.domain),
            Cell::plain(format!("{}–{}", b.min.normalize(), b.max.normalize())),
            Cell::plain(b.min.normalize().to_string()),
            Cell::plain(b.max.normalize().to_string()),
            Cell::plain(if b.higher_is_better {
                "higher"
            } else {
                "lower"
            }),
            Cell {
                text: b
                    .chance
                    .map_or_else(|| "—".into(), |c| c.normalize().to_string()),
                raw: b
                    .chance
                    .map_or_else(String::new, |c| c.normalize().to_string()),
            },
            Cell::plain(models.len().to_string()),
            Cell {
                text: shown,
                raw: models.join(" "),
            },
        ]);
        rows.push(BenchmarkEntry {
            id: b.id.clone(),
            name: b.name.clone(),
            domain: b.domain.clone(),
            description: b.description.clone(),
            min: Exact::of(b.min),
            max: Exact::of(b.max),
            higher_is_better: b.higher_is_better,
            chance: b.chance.map(Exact::of),
            chance_reason: b.chance_reason.clone(),
            models: models.iter().map(|m| m.to_string()).collect(),
        });
    }
    let notes = vec![
        "Scores are stored on the scale the source prints; fit normalises them to 0–100 from chance to the best end: 100 × (value − chance) ÷ (max − chance), clamped (inverted where lower is better).".to_string(),
        "Chance is what guessing earns (25 on four-option multiple choice); — = no guessing level, so scores count from the worst end of the scale. `--format json` gives each benchmark's chance_reason.".to_string(),
    ];
    Ok(Outcome::ok(Doc {
        json: crate::report::to_json::<BenchmarksReport>(&rows),
        sections: vec![t],
        notes,
    }))
}
