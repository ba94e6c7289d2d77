//! `llmplan benchmarks`: the registry, and which models report each benchmark.

use super::{Context, Outcome};
use crate::cli::BenchmarksArgs;
use crate::error::Result;
use crate::render::{Cell, Doc, Section};
use serde_json::json;

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
            "better",
            ">chance",
            ">models",
            "reported by",
        ],
    );
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
            Cell::plain(if b.higher_is_better {
                "higher"
            } else {
                "lower"
            }),
            Cell::plain(
                b.chance
                    .map_or_else(|| "—".into(), |c| c.normalize().to_string()),
            ),
            Cell::plain(models.len().to_string()),
            Cell {
                text: shown,
                raw: models.join(" "),
            },
        ]);
        rows.push(json!({
            "id": b.id, "name": b.name, "domain": b.domain, "description": b.description,
            "min": b.min.normalize().to_string(), "max": b.max.normalize().to_string(),
            "higher_is_better": b.higher_is_better,
            "chance": b.chance.map(|c| c.normalize().to_string()), "chance_reason": b.chance_reason,
            "models": models,
        }));
    }
    let notes = vec![
        "Scores are stored on the scale the source prints; fit normalises them to 0–100 from chance to the best end: 100 × (value − chance) ÷ (max − chance), clamped (inverted where lower is better).".to_string(),
        "Chance is what guessing earns (25 on four-option multiple choice); — = no guessing level, so scores count from the worst end of the scale. `--format json` gives each benchmark's chance_reason.".to_string(),
    ];
    Ok(Outcome::ok(Doc {
        json: serde_json::Value::Array(rows),
        sections: vec![t],
        notes,
    }))
}
