//! `llmplan import`: another catalogue turned into profile files in the `--output` folder.

use super::{Context, Outcome};
use crate::catalogue::profile as validate;
use crate::cli::ImportArgs;
use crate::diag::Diagnostic;
use crate::error::{Error, Result};
use crate::import::archive::Folder;
use crate::import::imported::{Imported, Mapping, Note};
use crate::import::profile_text::{self, Origin};
use crate::import::{inherit, litellm, models_dev, ImportFormat};
use crate::render::{Cell, Doc, Section};
use crate::report::import::{ImportFile, ImportInherited, ImportNote, ImportReport, ImportSkip};
use crate::source::SourceFile;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// A catalogue read and mapped, with what the report and the files need to say about it.
struct Read {
    /// The name shown in the report.
    shown: String,
    mapping: Mapping,
    /// `base_model` by imported key (models.dev).
    bases: HashMap<String, String>,
    /// Display names by provider (models.dev's provider.toml).
    provider_names: BTreeMap<String, String>,
}

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
    let (as_of, dated_by) = match &args.as_of {
        Some(d) if crate::validate::calendar_date(d) => (d.clone(), "--as-of"),
        Some(d) => {
            return Err(Error::Usage(format!(
                "--as-of `{d}` is not a date; write it as YYYY-MM-DD, such as 2024-12-01"
            )))
        }
        None => (today(), "today's date (UTC); set it with --as-of"),
    };
    let file_name = args.file.file_name().map_or_else(
        || args.file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut read = match args.list {
        ImportFormat::Litellm => read_litellm(args, &file_name, &as_of)?,
        ImportFormat::ModelsDev => read_models_dev(args, &file_name, &as_of)?,
    };
    let catalogue_name = match args.list {
        ImportFormat::Litellm => "LiteLLM",
        ImportFormat::ModelsDev => "models.dev",
    };
    let total = read.mapping.models.len() + read.mapping.skipped.len();
    if read.mapping.models.is_empty() {
        let reasons = skip_counts(&read.mapping)
            .iter()
            .map(|(r, k)| format!("{} × {r}", k.len()))
            .collect::<Vec<_>>()
            .join("; ");
        return Err(Error::Usage(format!("{}: none of its {total} entries is a model the planner can import ({reasons}); nothing written", read.shown)));
    }
    let cat = ctx.catalogue()?;
    inherit::apply(&mut read.mapping.models, &read.bases, &cat);
    let mapping = &read.mapping;
    let mut files = Vec::new();
    let mut table = Section::new(
        Some(format!(
            "Imported {} of {total} entries from {} into {} (as of {as_of})",
            mapping.models.len(),
            read.shown,
            dir.display()
        )),
        &[
            "file",
            "provider",
            ">models",
            ">unpriced",
            ">tiered",
            ">cached price",
            ">batch discount",
            ">retired",
            ">inherited",
        ],
    );
    let mut json_files = Vec::new();
    for (provider, models) in mapping.by_provider() {
        let path = dir.join(file_name_for(provider));
        let origin = origin(args.list, &read, provider, &file_name, &as_of);
        let text = profile_text::profile(provider, &models, &origin);
        // A written file must load: check it now, so a mapping mistake never reaches the disk.
        let check = SourceFile {
            name: path.display().to_string(),
            text: text.clone(),
        };
        validate::from_source(&check, &cat.registry, &cat.fx, &cat.tokenizers)
            .map_err(Error::Input)?;
        let count = |f: &dyn Fn(&Imported) -> bool| models.iter().filter(|m| f(m)).count();
        let priced = |f: &dyn Fn(&crate::catalogue::model::Price) -> bool| {
            count(&|m| m.price.as_ref().is_some_and(f))
        };
        table.rows.push(vec![
            Cell::plain(path.display().to_string()),
            Cell::plain(provider),
            Cell::plain(models.len().to_string()),
            Cell::plain(count(&|m| m.price.is_none()).to_string()),
            Cell::plain(priced(&|p| !p.tiers.is_empty()).to_string()),
            Cell::plain(priced(&|p| p.cached_input.is_some()).to_string()),
            Cell::plain(priced(&|p| p.batch_discount.is_some()).to_string()),
            Cell::plain(
                count(&|m| m.status == crate::catalogue::vocab::Status::Retired).to_string(),
            ),
            Cell::plain(count(&|m| m.inherited.is_some()).to_string()),
        ]);
        json_files.push(ImportFile {
            file: path.display().to_string(),
            provider: provider.to_string(),
            models: models.iter().map(|m| m.id.clone()).collect(),
        });
        files.push((path, text));
    }
    let skipped = skip_counts(mapping);
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
    let notes_by = note_counts(mapping);
    let mut losses = Section::new(
        Some("Imported, with something left out or worth knowing".to_string()),
        &["note", ">models", "for example"],
    );
    for (label, ids) in &notes_by {
        losses.rows.push(vec![
            Cell::plain(*label),
            Cell::plain(ids.len().to_string()),
            Cell::plain(examples(ids)),
        ]);
    }
    let mut heirs: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for m in &mapping.models {
        if let Some(inh) = &m.inherited {
            heirs
                .entry(inh.from.as_str())
                .or_default()
                .push(m.id.clone());
        }
    }
    let mut inherited = Section::new(
        Some("Benchmarks and languages inherited from built-in models".to_string()),
        &["from", ">scores", ">models", "for example"],
    );
    for (from, ids) in &heirs {
        let scores = cat.model(from).map_or(0, |m| {
            m.benchmarks
                .iter()
                .filter(|b| b.inherited_from.is_none())
                .count()
        });
        inherited.rows.push(vec![
            Cell::plain(*from),
            Cell::plain(scores.to_string()),
            Cell::plain(ids.len().to_string()),
            Cell::plain(examples(ids)),
        ]);
    }
    // Loading the folder replaces built-in entries with these ids.
    let replaces: Vec<&str> = mapping
        .models
        .iter()
        .map(|m| m.id.as_str())
        .filter(|id| cat.model(id).is_some())
        .collect();
    let json = crate::report::to_json(&ImportReport {
        format: catalogue_name,
        source_file: read.shown.clone(),
        as_of: as_of.clone(),
        output_dir: dir.display().to_string(),
        entries: total,
        imported: mapping.models.len(),
        files: json_files,
        skipped: skipped
            .iter()
            .map(|(r, k)| ImportSkip {
                reason: r.clone(),
                count: k.len(),
                keys: k.clone(),
            })
            .collect(),
        notes: notes_by
            .iter()
            .map(|(n, ids)| ImportNote {
                note: n,
                count: ids.len(),
                models: ids.clone(),
            })
            .collect(),
        inherited: mapping
            .models
            .iter()
            .filter_map(|m| {
                m.inherited.as_ref().map(|i| ImportInherited {
                    model: m.id.clone(),
                    from: i.from.clone(),
                    rule: i.rule,
                    scores: i.benchmarks.len(),
                })
            })
            .collect(),
        replaces: replaces.iter().map(|r| r.to_string()).collect(),
    });
    let mut notes = vec![match args.list {
        ImportFormat::Litellm => format!("as_of {as_of} comes from {dated_by}: it dates every price and decides which deprecation dates have passed. Every price's `source` names {file_name} and the entry it came from."),
        ImportFormat::ModelsDev => format!("Every price's as_of is its model's last_updated; {as_of} ({dated_by}) stands in where a model has none, and the source says so. Every price's `source` names {file_name} and the file it came from."),
    }];
    notes.push(format!("Load the profiles with: llmplan --profiles {} rank SCENARIO (add --no-default-profiles to rank only these).", dir.display()));
    if !replaces.is_empty() {
        let ids: Vec<String> = replaces.iter().map(|s| s.to_string()).collect();
        notes.push(format!(
            "{} imported ids are also built-in models ({}); loaded with --profiles, the imported entry replaces the built-in one (it inherits the built-in benchmarks and languages unless its own facts say it is another model; every other fact is the import's).",
            ids.len(),
            examples(&ids)
        ));
    }
    let heirs_count: usize = heirs.values().map(Vec::len).sum();
    notes.push(format!("{catalogue_name} lists no languages and no benchmarks of the planner's registry. {heirs_count} imported models are snapshots or re-hosts of built-in models and inherit their benchmarks and languages (marked inherited_from; rules in docs/ecosystem.md). The others have none: a scenario that requires languages excludes them, and their fit counts as missing."));
    let mut sections = vec![table, skips, losses];
    if !inherited.rows.is_empty() {
        sections.push(inherited);
    }
    let mut outcome = Outcome {
        doc: Some(Doc {
            json,
            sections,
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

fn read_litellm(args: &ImportArgs, file_name: &str, as_of: &str) -> Result<Read> {
    let src = SourceFile::read(&args.file).map_err(Error::input)?;
    let prov = litellm::Provenance {
        file_name: file_name.to_string(),
        as_of: as_of.to_string(),
        keep_zero_prices: args.keep_zero_prices,
    };
    let mapping = litellm::map(&src.text, &prov).map_err(|e| Error::input(json_error(&src, &e)))?;
    Ok(Read {
        shown: src.name,
        mapping,
        bases: HashMap::new(),
        provider_names: BTreeMap::new(),
    })
}

fn read_models_dev(args: &ImportArgs, file_name: &str, as_of: &str) -> Result<Read> {
    let shown = args.file.display().to_string();
    let fault = |message: String| {
        Error::input(
            Diagnostic::file_level(&shown, message)
                .with_help("give a models.dev snapshot: a .tar.gz of the repository, or a folder holding its providers/ and models/ trees"),
        )
    };
    if !args.file.exists() {
        return Err(fault("no such file or folder".into()));
    }
    let folder = Folder::read(&args.file)
        .map_err(fault)?
        .rooted_at("providers");
    let prov = models_dev::Provenance {
        name: file_name.to_string(),
        as_of: as_of.to_string(),
        keep_zero_prices: args.keep_zero_prices,
    };
    let c = models_dev::map(&folder, &prov).map_err(fault)?;
    Ok(Read {
        shown,
        mapping: c.mapping,
        bases: c.bases,
        provider_names: c.provider_names,
    })
}

/// The header and vendor name of one provider's file.
fn origin(
    format: ImportFormat,
    read: &Read,
    provider: &str,
    file_name: &str,
    as_of: &str,
) -> Origin {
    match format {
        ImportFormat::Litellm => litellm::origin(provider, file_name, as_of),
        ImportFormat::ModelsDev => Origin {
            header: vec![
                format!("Imported by `llmplan import models-dev` from {file_name} on {as_of}."),
                "Source: models.dev, github.com/anomalyco/models.dev (formerly sst/models.dev), MIT licence.".into(),
                "USD per 1M tokens there and here, read exactly from the TOML text. Re-import rather than edit by hand.".into(),
            ],
            vendor_name: format!(
                "{} (models.dev)",
                read.provider_names.get(provider).map_or(provider, String::as_str)
            ),
            catalogue: "models.dev".into(),
        },
    }
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
    for (key, reason) in &m.skipped {
        out.entry(reason.clone()).or_default().push(key.clone());
    }
    out
}

fn note_counts(m: &Mapping) -> BTreeMap<&'static str, Vec<String>> {
    let mut out: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    for model in &m.models {
        let mut labels: Vec<&'static str> = model.notes.iter().map(Note::label).collect();
        labels.dedup();
        for label in labels {
            out.entry(label).or_default().push(model.id.clone());
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

/// Today's date in UTC.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(secs / 86_400)
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
}
