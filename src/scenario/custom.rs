//! Your own evals: `[[fit.custom]]` benchmarks a scenario declares, with their scores.
//!
//! A custom eval is a benchmark known to one scenario: its scale and chance level as the registry
//! would give them, and the scores of the models it was run on, inline (`scores = { ... }`) or in
//! a CSV file (`scores_file`, header `model,score`, read relative to the scenario file). Its
//! scores are observed scores like any published one, its id may be weighted (`weight`) and
//! floored (`[requirements] min_scores`), and every fault in it stops the run with the file and
//! line: an unknown model, a score off the scale, an id that clashes with the registry, a CSV row
//! that does not parse.

use super::raw::RawCustomEval;
use super::validate::{unknown_model, unknown_model_help};
use crate::catalogue::registry::Benchmark;
use crate::catalogue::Catalogue;
use crate::diag::{Diagnostic, KeyPath};
use crate::num::parse_decimal;
use crate::source::SourceFile;
use crate::validate::Checker;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;

/// A validated custom eval.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomEval {
    /// Its scale, as a registry entry (domain `custom`).
    pub benchmark: Benchmark,
    /// Its weight in the fit.
    pub weight: Decimal,
    /// Scores by model id.
    pub scores: BTreeMap<String, CustomScore>,
}

/// One model's score on a custom eval.
#[derive(Debug, Clone, PartialEq)]
pub struct CustomScore {
    /// On the eval's own scale.
    pub value: Decimal,
    /// Where it was read: the scenario file or the CSV file and line.
    pub source: String,
}

/// The setting recorded for every custom score: the scenario's own run.
pub const SETTING: &str = "custom eval";

/// The largest weight a custom eval may carry, as for `[fit] weights`.
const MAX_WEIGHT: Decimal = Decimal::from_parts(1_000_000, 0, 0, false, 0);

/// Checks every `[[fit.custom]]` table, recording faults in `ck` (CSV faults name the CSV file).
pub(super) fn custom_evals(
    ck: &mut Checker,
    raw: Vec<RawCustomEval>,
    cat: &Catalogue,
) -> BTreeMap<String, CustomEval> {
    let mut out = BTreeMap::new();
    for (i, c) in raw.into_iter().enumerate() {
        let path = KeyPath::root().key("fit").key("custom").index(i);
        if let Some(eval) = one(ck, &path, c, cat) {
            match out.entry(eval.benchmark.id.clone()) {
                std::collections::btree_map::Entry::Occupied(e) => ck.err(
                    &path.key("id"),
                    format!("custom eval `{}` is declared twice", e.key()),
                    "give each [[fit.custom]] its own id, or merge their scores",
                ),
                std::collections::btree_map::Entry::Vacant(v) => {
                    v.insert(eval);
                }
            }
        }
    }
    out
}

fn one(ck: &mut Checker, path: &KeyPath, c: RawCustomEval, cat: &Catalogue) -> Option<CustomEval> {
    let before = ck.diags.len();
    let id = match c.id.as_deref().map(str::trim) {
        None | Some("") => {
            ck.err(
                path,
                "a [[fit.custom]] eval has no `id`",
                "add id = \"support-eval\" (lowercase letters, digits, - and _)",
            );
            String::new()
        }
        Some(id) => id.to_string(),
    };
    if !id.is_empty() {
        if !is_custom_id(&id) {
            ck.err(
                &path.key("id"),
                format!("custom eval id `{id}` must be lowercase letters, digits, - and _"),
                "for example id = \"support-eval\"",
            );
        } else if cat.registry.get(&id).is_some() {
            ck.err(
                &path.key("id"),
                format!("custom eval id `{id}` clashes with the registry's benchmark `{id}`"),
                format!("rename it, such as `{id}-own`; to weight the registry's `{id}`, use [fit] weights"),
            );
        }
    }
    let min = c.min.map_or(Decimal::ZERO, |n| n.get());
    let max = match c.max {
        Some(n) => n.get(),
        None => {
            ck.err(
                path,
                format!("custom eval `{id}` has no `max`"),
                "add max = the best score of its scale (1 for a fraction, 100 for a percentage)",
            );
            Decimal::ONE_HUNDRED
        }
    };
    if c.max.is_some() && max <= min {
        ck.err(
            &path.key("max"),
            format!("`max` ({max}) must be above `min` ({min})"),
            "min and max are the bounds of the eval's scale; set higher_is_better = false where lower is better",
        );
    }
    let higher_is_better = c.higher_is_better.unwrap_or(true);
    let chance = c.chance.map(|n| n.get());
    if let Some(ch) = chance {
        let best = if higher_is_better { max } else { min };
        if ch < min || ch > max || ch == best {
            ck.err(
                &path.key("chance"),
                format!("`chance` ({ch}) must lie on the scale {min}–{max}, short of its best end"),
                "chance is the score guessing earns: 0.25 for four-option questions scored 0–1",
            );
        }
    }
    let weight = match c.weight {
        None => Decimal::ONE,
        Some(w) => match ck.non_negative(&path.key("weight"), w) {
            Some(w) if w > MAX_WEIGHT => {
                ck.err(
                    &path.key("weight"),
                    format!("weight {w} is above the limit of {MAX_WEIGHT}"),
                    "weights are relative: 1, 2 and 3 say the same as 1000, 2000 and 3000",
                );
                Decimal::ONE
            }
            Some(w) => w,
            None => Decimal::ONE,
        },
    };
    let in_scale = |v: Decimal| v >= min && v <= max;
    let scale_help = format!("scores of `{id}` lie on its scale, from min {min} to max {max}");
    let mut scores = BTreeMap::new();
    match (c.scores, c.scores_file) {
        (Some(_), Some(_)) => ck.err(
            &path.key("scores_file"),
            format!("custom eval `{id}` has both `scores` and `scores_file`"),
            "keep one: inline scores, or a CSV file with the header model,score",
        ),
        (None, None) => ck.err(
            path,
            format!("custom eval `{id}` has no scores"),
            "add scores = { \"<model id>\" = <score> }, or scores_file = \"evals/<file>.csv\" (header model,score)",
        ),
        (Some(inline), None) => {
            for (model, n) in inline {
                let at = path.key("scores").key(&model);
                let v = n.get();
                if cat.model(&model).is_none() {
                    unknown_model(ck, &at, &model, cat);
                } else if !in_scale(v) {
                    ck.err(
                        &at,
                        format!("the score of `{model}` on `{id}` is {v}, outside {min}–{max}"),
                        scale_help.clone(),
                    );
                } else {
                    let source = format!("{}, [[fit.custom]] `{id}`", ck.src.name);
                    scores.insert(model, CustomScore { value: v, source });
                }
            }
        }
        (None, Some(file)) => {
            let at = path.key("scores_file");
            let folder = Path::new(&ck.src.name).parent().unwrap_or(Path::new(""));
            let resolved = folder.join(&file);
            match SourceFile::read(&resolved) {
                Err(d) => {
                    let here = match folder.display().to_string() {
                        f if f.is_empty() => "the current directory".to_string(),
                        f => format!("{f}/"),
                    };
                    ck.err(
                        &at,
                        format!("cannot read scores_file {}: {}", resolved.display(), d.message),
                        format!("the path is relative to the scenario file, so it is read from {here}; check it"),
                    );
                }
                Ok(csv) => {
                    let ctx = CsvCtx {
                        id: &id,
                        min,
                        max,
                        cat,
                    };
                    match read_csv(&csv, &ctx) {
                        Ok(s) => scores = s,
                        Err(diags) => ck.diags.extend(diags),
                    }
                }
            }
        }
    }
    if ck.diags.len() > before {
        return None;
    }
    Some(CustomEval {
        benchmark: Benchmark {
            name: c.name.unwrap_or_else(|| id.clone()),
            id,
            domain: "custom".into(),
            description: "an eval of the scenario's own".into(),
            min,
            max,
            higher_is_better,
            chance,
            chance_reason: chance.map(|_| "set in the scenario".to_string()),
        },
        weight,
        scores,
    })
}

struct CsvCtx<'a> {
    id: &'a str,
    min: Decimal,
    max: Decimal,
    cat: &'a Catalogue,
}

/// Reads `model,score` rows, reporting every bad row with its line.
fn read_csv(
    csv: &SourceFile,
    ctx: &CsvCtx,
) -> Result<BTreeMap<String, CustomScore>, Vec<Diagnostic>> {
    let text = &csv.text;
    let mut diags = Vec::new();
    let mut scores = BTreeMap::new();
    let mut first_line: BTreeMap<String, usize> = BTreeMap::new();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(text.as_bytes());
    let mut header_seen = false;
    let mut record = csv::StringRecord::new();
    loop {
        let here = reader.position().clone();
        let at = |pos: &csv::Position, message: String, help: &str| {
            let start = row_start(text, pos);
            let end = text[start..]
                .find(['\r', '\n'])
                .map_or(text.len(), |e| start + e);
            Diagnostic::at_span(&csv.name, text, start..end.max(start + 1), message).with_help(help)
        };
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let pos = e.position().cloned().unwrap_or(here);
                diags.push(at(
                    &pos,
                    format!("this row does not parse as CSV: {e}"),
                    "write one model id and its score per line, such as anthropic/claude-3-haiku,0.81",
                ));
                break;
            }
        }
        let pos = record.position().cloned().unwrap_or(here);
        let fields: Vec<&str> = record.iter().collect();
        if fields.iter().all(|f| f.is_empty()) {
            continue;
        }
        if !header_seen {
            header_seen = true;
            let header: Vec<String> = fields.iter().map(|f| f.to_ascii_lowercase()).collect();
            if header != ["model", "score"] {
                diags.push(at(
                    &pos,
                    format!("the header is `{}`, not `model,score`", fields.join(",")),
                    "the first line names the two columns: model,score",
                ));
                return Err(diags);
            }
            continue;
        }
        let [model, score] = fields[..] else {
            diags.push(at(
                &pos,
                format!("a row needs 2 fields (model,score), found {}", fields.len()),
                "write one model id and its score per line, such as anthropic/claude-3-haiku,0.81",
            ));
            continue;
        };
        let value = match parse_decimal(score) {
            Ok(v) => v,
            Err(e) => {
                diags.push(at(
                    &pos,
                    format!("the score of `{model}` does not parse: {e}"),
                    "write the score as a plain number on the eval's scale",
                ));
                continue;
            }
        };
        if ctx.cat.model(model).is_none() {
            let help = unknown_model_help(model, ctx.cat);
            diags.push(at(
                &pos,
                format!("no model `{model}` in the catalogue"),
                &help,
            ));
            continue;
        }
        if value < ctx.min || value > ctx.max {
            diags.push(at(
                &pos,
                format!(
                    "the score of `{model}` on `{}` is {value}, outside {}–{}",
                    ctx.id, ctx.min, ctx.max
                ),
                "scores lie on the eval's scale, from its min to its max",
            ));
            continue;
        }
        let line_no = line_of(text, row_start(text, &pos));
        if let Some(first) = first_line.insert(model.to_string(), line_no) {
            diags.push(at(
                &pos,
                format!("`{model}` already has a score on line {first}"),
                "keep one score per model",
            ));
            continue;
        }
        scores.insert(
            model.to_string(),
            CustomScore {
                value,
                source: format!("{} line {line_no}", csv.name),
            },
        );
    }
    if !header_seen && diags.is_empty() {
        diags.push(
            Diagnostic::file_level(&csv.name, "has no header line")
                .with_help("the first line names the two columns: model,score"),
        );
    }
    if diags.is_empty() {
        Ok(scores)
    } else {
        Err(diags)
    }
}

/// Where a CSV row's text starts: its position, past any blank lines the reader skipped.
fn row_start(text: &str, pos: &csv::Position) -> usize {
    let mut start = (pos.byte() as usize).min(text.len());
    while text[start..].starts_with(['\r', '\n']) {
        start += 1;
    }
    start
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, at: usize) -> usize {
    text[..at].matches('\n').count() + 1
}

/// Lowercase letters, digits, `-` and `_`, starting with a letter or digit.
pub fn is_custom_id(s: &str) -> bool {
    s.chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        assert!(is_custom_id("support-eval"));
        assert!(is_custom_id("eval_2"));
        assert!(!is_custom_id("Support"));
        assert!(!is_custom_id("-x"));
        assert!(!is_custom_id(""));
        assert!(!is_custom_id("a b"));
    }
}
