//! `llmplan import`: another price list turned into profile files in the `--output` folder.

use super::{Context, Outcome};
use crate::catalogue::profile as validate;
use crate::cli::ImportArgs;
use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::import::litellm::{self, Mapping, Note, Provenance};
use crate::import::{profile_text, ImportFormat};
use crate::render::{Cell, Doc, Section};
use crate::source::SourceFile;
use serde_json::json;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Runs the command.
pub fn run(args: &ImportArgs, ctx: &Context) -> Result<Outcome> {
    let Some(dir) = ctx.output.clone() else {
        return Err(Error::Usage("import writes one profile file per provider into a folder: add --output DIR, then load it with `llmplan --profiles DIR ...`".into()));
    };
    if dir.is_file() {
        return Err(Error::Usage(format!(
            "{}: --output names a file; import needs a folder (it is created if missing)",
            dir.display()
        )));
    }
    let src = SourceFile::read(&args.file).map_err(Error::input)?;
    let (as_of, dated_by) = match &args.as_of {
        Some(d) if valid_date(d) => (d.clone(), "--as-of"),
        Some(d) => {
            return Err(Error::Usage(format!(
                "--as-of `{d}` is not a date; write it as YYYY-MM-DD, such as 2024-12-01"
            )))
        }
        None => (
            modified_date(&args.file)?,
            "the file's modification date; set it with --as-of",
        ),
    };
    let file_name = args
        .file
        .file_name()
        .map_or_else(|| src.name.clone(), |n| n.to_string_lossy().into_owned());
    let prov = Provenance {
        file_name: file_name.clone(),
        as_of: as_of.clone(),
    };
    let mapping = match args.list {
        ImportFormat::Litellm => {
            litellm::map(&src.text, &prov).map_err(|e| Error::input(json_error(&src, &e)))?
        }
    };
    let total = mapping.models.len() + mapping.skipped.len();
    if mapping.models.is_empty() {
        let reasons = skip_counts(&mapping)
            .iter()
            .map(|(r, k)| format!("{} × {r}", k.len()))
            .collect::<Vec<_>>()
            .join("; ");
        return Err(Error::Usage(format!("{}: none of its {total} entries is a chat model with a per-token price ({reasons}); nothing written", src.name)));
    }
    let cat = ctx.catalogue()?;
    let mut files = Vec::new();
    let mut table = Section::new(
        Some(format!(
            "Imported {} of {total} entries from {} into {} (prices as of {as_of})",
            mapping.models.len(),
            src.name,
            dir.display()
        )),
        &[
            "file",
            "provider",
            ">models",
            ">tiered",
            ">cached price",
            ">batch discount",
            ">retired",
        ],
    );
    let mut json_files = Vec::new();
    for (provider, models) in mapping.by_provider() {
        let path = dir.join(file_name_for(provider));
        let text = profile_text::profile(provider, &models, &file_name, &as_of);
        // A written file must load: check it now, so a mapping mistake never reaches the disk.
        let check = SourceFile {
            name: path.display().to_string(),
            text: text.clone(),
        };
        validate::from_source(&check, &cat.registry, &cat.fx, &cat.tokenizers)
            .map_err(Error::Input)?;
        let count = |f: &dyn Fn(&litellm::Imported) -> bool| models.iter().filter(|m| f(m)).count();
        table.rows.push(vec![
            Cell::plain(path.display().to_string()),
            Cell::plain(provider),
            Cell::plain(models.len().to_string()),
            Cell::plain(count(&|m| !m.price.tiers.is_empty()).to_string()),
            Cell::plain(count(&|m| m.price.cached_input.is_some()).to_string()),
            Cell::plain(count(&|m| m.price.batch_discount.is_some()).to_string()),
            Cell::plain(count(&|m| m.notes.contains(&Note::Deprecated)).to_string()),
        ]);
        json_files.push(json!({"file": path.display().to_string(), "provider": provider, "models": models.iter().map(|m| &m.id).collect::<Vec<_>>()}));
        files.push((path, text));
    }
    let skipped = skip_counts(&mapping);
    let mut skips = Section::new(
        Some(format!(
            "Skipped {} entries, never guessed",
            mapping.skipped.len()
        )),
        &["reason", ">entries", "for example"],
    );
    for (reason, keys) in &skipped {
        skips.rows.push(vec![
            Cell::plain(reason),
            Cell::plain(keys.len().to_string()),
            Cell::plain(examples(keys)),
        ]);
    }
    let notes_by = note_counts(&mapping);
    let mut losses = Section::new(
        Some("Imported, with something left out".to_string()),
        &["note", ">models", "for example"],
    );
    for (note, ids) in &notes_by {
        losses.rows.push(vec![
            Cell::plain(note.text()),
            Cell::plain(ids.len().to_string()),
            Cell::plain(examples(ids)),
        ]);
    }
    // Loading the folder replaces built-in entries with these ids, benchmarks and languages too.
    let replaces: Vec<&str> = mapping
        .models
        .iter()
        .map(|m| m.id.as_str())
        .filter(|id| cat.model(id).is_some())
        .collect();
    let json = json!({
        "source_file": src.name,
        "as_of": as_of,
        "output_dir": dir.display().to_string(),
        "entries": total,
        "imported": mapping.models.len(),
        "files": json_files,
        "skipped": skipped.iter().map(|(r, k)| json!({"reason": r, "count": k.len(), "keys": k})).collect::<Vec<_>>(),
        "notes": notes_by.iter().map(|(n, ids)| json!({"note": n.text(), "count": ids.len(), "models": ids})).collect::<Vec<_>>(),
        "replaces": replaces,
    });
    let mut notes = vec![
        format!("as_of {as_of} comes from {dated_by}; every price's `source` names {file_name} and the entry it came from."),
        format!("Load the profiles with: llmplan --profiles {} rank SCENARIO (add --no-default-profiles to rank only these).", dir.display()),
    ];
    if !replaces.is_empty() {
        let ids: Vec<String> = replaces.iter().map(|s| s.to_string()).collect();
        notes.push(format!(
            "{} imported ids are also built-in models ({}); loaded with --profiles, the imported entry replaces the built-in one, whose benchmarks, languages and facts then go unused.",
            ids.len(),
            examples(&ids)
        ));
    }
    notes.push("LiteLLM lists no languages or benchmarks: a scenario that requires languages excludes imported models, and their fit counts as missing.".into());
    let mut outcome = Outcome {
        doc: Some(Doc {
            json,
            sections: vec![table, skips, losses],
            notes,
        }),
        files,
        ..Outcome::default()
    };
    if !ctx.quiet {
        let others = stray_profiles(&dir, &outcome.files);
        if !others.is_empty() {
            outcome.messages.push(format!(
                "note: {} also holds {} other .toml files ({}), which --profiles loads too",
                dir.display(),
                others.len(),
                examples(&others)
            ));
        }
    }
    Ok(outcome)
}

/// The profile file for a provider; names the loader reserves for other formats get a suffix.
fn file_name_for(provider: &str) -> String {
    match provider {
        "benchmarks" | "fx" | "hardware" => format!("{provider}-models.toml"),
        _ => format!("{provider}.toml"),
    }
}

fn skip_counts(m: &Mapping) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, skip) in &m.skipped {
        out.entry(skip.reason()).or_default().push(key.clone());
    }
    out
}

fn note_counts(m: &Mapping) -> BTreeMap<Note, Vec<String>> {
    let mut out: BTreeMap<Note, Vec<String>> = BTreeMap::new();
    for model in &m.models {
        for n in &model.notes {
            out.entry(*n).or_default().push(model.id.clone());
        }
    }
    out
}

fn examples(items: &[String]) -> String {
    match items.len() {
        0..=3 => items.join(", "),
        n => format!("{}, … +{}", items[..3].join(", "), n - 3),
    }
}

fn stray_profiles(dir: &Path, written: &[(PathBuf, String)]) -> Vec<String> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<String> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "toml") && !written.iter().any(|(w, _)| w == p)
        })
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    out.sort();
    out
}

/// A JSON syntax error, placed at its line and column.
pub fn json_error(src: &SourceFile, e: &serde_json::Error) -> Diagnostic {
    let offset: usize = src
        .text
        .split_inclusive('\n')
        .take(e.line().saturating_sub(1))
        .map(str::len)
        .sum::<usize>()
        + e.column().saturating_sub(1);
    let mut d = if e.line() > 0 {
        Diagnostic::at_span(
            &src.name,
            &src.text,
            offset..offset + 1,
            format!("not a LiteLLM price map: {e}"),
        )
    } else {
        Diagnostic::file_level(&src.name, format!("not a LiteLLM price map: {e}"))
    };
    d.help = Some("expected LiteLLM's model_prices_and_context_window.json: one JSON object whose members are model entries".into());
    d
}

/// `YYYY-MM-DD`, a day that exists.
fn valid_date(s: &str) -> bool {
    crate::validate::calendar_date(s)
}

/// The UTC date a file was last modified.
fn modified_date(path: &Path) -> Result<String> {
    let secs = std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map(|d| d.as_secs())
        .ok_or_else(|| Error::Usage(format!("{}: cannot read its modification date; give the date the prices were read with --as-of YYYY-MM-DD", path.display())))?;
    Ok(civil_date(secs / 86_400))
}

/// Days since 1970-01-01 as `YYYY-MM-DD` (Howard Hinnant's civil-from-days).
fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_become_calendar_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        // 2000-03-01 is day 11,017: 30 years of 365 days plus 7 leap days, plus Jan and Feb 2000.
        assert_eq!(civil_date(11_017), "2000-03-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert_eq!(civil_date(20_058), "2024-12-01");
    }

    #[test]
    fn dates_are_checked() {
        assert!(valid_date("2024-12-01"));
        assert!(!valid_date("2024-13-01"));
        assert!(!valid_date("2024-02-30"));
        assert!(!valid_date("2024-1-01"));
        assert!(!valid_date("yesterday"));
    }
}
