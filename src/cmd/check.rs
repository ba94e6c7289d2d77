//! `llmplan check`: validate files without ranking, reporting every problem in every file.
//!
//! One broken file never hides another: each file is read and checked on its own, a fault in a
//! `--profiles` folder is reported beside them, and a scenario that validates is also priced on
//! every model, so an amount too large to compute is found here rather than by `rank`.

use super::{Context, Outcome};
use crate::catalogue::fx::FxTable;
use crate::catalogue::hardware::Hardware;
use crate::catalogue::registry::Registry;
use crate::catalogue::{profile, Catalogue};
use crate::cli::CheckArgs;
use crate::diag::{Diagnostic, KeyPath};
use crate::error::{Error, Result};
use crate::render::{Cell, Doc, Section};
use crate::report::catalogue::{CheckReport, CheckedFile};
use crate::routed::plan_cost_each;
use crate::scenario::Scenario;
use crate::source::{FileKind, SourceFile};
use std::collections::HashMap;

/// Runs the command.
pub fn run(args: &CheckArgs, ctx: &Context) -> Result<Outcome> {
    let (cat, mut diags) = Catalogue::load_collecting(&ctx.load);
    let mut checked = Vec::new();
    let mut ids: HashMap<String, String> = HashMap::new();
    for path in &args.files {
        let src = match SourceFile::read(path) {
            Ok(s) => std::sync::Arc::new(s),
            Err(d) => {
                diags.push(d);
                continue;
            }
        };
        let kind = src.kind();
        let result = check_one(&src, kind, &cat);
        match result {
            Ok(models) => {
                for (i, id) in models.into_iter().enumerate() {
                    if let Some(first) = ids.insert(id.clone(), src.name.clone()) {
                        let at = KeyPath::root().key("model").index(i).key("id");
                        diags.push(
                            src.at(
                                &at,
                                format!("duplicate model id `{id}`: also defined in {first}"),
                            )
                            .with_help("model ids must be unique across profile files"),
                        );
                    }
                }
                checked.push((src.name.clone(), kind));
            }
            Err(mut d) => diags.append(&mut d),
        }
    }
    if !diags.is_empty() {
        return Err(Error::Input(diags));
    }
    let mut t = Section::new(
        Some(format!("{} files OK", checked.len())),
        &["file", "kind"],
    )
    .with_keys(crate::csv_contract::CHECK);
    for (f, k) in &checked {
        t.rows
            .push(vec![Cell::plain(f), Cell::plain(kind_name(*k))]);
    }
    let json = crate::report::to_json(&CheckReport {
        ok: true,
        files: checked
            .iter()
            .map(|(f, k)| CheckedFile {
                file: f.clone(),
                kind: kind_name(*k),
            })
            .collect(),
    });
    Ok(Outcome::ok(Doc {
        json,
        sections: vec![t],
        notes: vec![],
    }))
}

fn check_one(
    src: &std::sync::Arc<SourceFile>,
    kind: FileKind,
    cat: &Catalogue,
) -> std::result::Result<Vec<String>, Vec<Diagnostic>> {
    match kind {
        FileKind::Scenario => match Scenario::from_shared(std::sync::Arc::clone(src), cat) {
            Ok(s) => match overflows(&s, cat) {
                d if d.is_empty() => Ok(vec![]),
                d => Err(d),
            },
            Err(Error::Input(d)) => Err(d),
            Err(e) => Err(vec![Diagnostic::file_level(&src.name, e.to_string())]),
        },
        FileKind::Profile => profile::from_source(src, &cat.registry, &cat.fx, &cat.tokenizers)
            .map(|p| p.models.into_iter().map(|m| m.id).collect()),
        FileKind::Registry => Registry::from_source(src).map(|_| vec![]),
        FileKind::Fx => FxTable::from_source(src).map(|_| vec![]),
        FileKind::Hardware => Hardware::from_source(src).map(|_| vec![]),
        FileKind::Tokenizers => {
            crate::catalogue::tokenizer::Tokenizers::from_source(src).map(|_| vec![])
        }
    }
}

/// Prices a valid scenario on every model and keeps one fault per place: the same absurd volume
/// overflows on most models, and the user needs to hear about it once.
fn overflows(s: &Scenario, cat: &Catalogue) -> Vec<Diagnostic> {
    let fx = s.fx(cat);
    let mut out: Vec<Diagnostic> = Vec::new();
    // Priced as `llmplan cost` prices: unrouted workloads on each model, routed ones by route.
    for m in &cat.models {
        let found = match plan_cost_each(s, cat, &fx, Some(m), &mut |_| {}) {
            Ok(_) => continue,
            Err(Error::Input(d)) => d,
            Err(e) => vec![Diagnostic::file_level(&s.origin.name, e.to_string())],
        };
        for d in found {
            if !out.iter().any(|o| (o.line, o.column) == (d.line, d.column)) {
                out.push(d);
            }
        }
    }
    out
}

fn kind_name(k: FileKind) -> &'static str {
    match k {
        FileKind::Scenario => "scenario",
        FileKind::Profile => "profile",
        FileKind::Registry => "benchmark registry",
        FileKind::Fx => "exchange rates",
        FileKind::Hardware => "hardware",
        FileKind::Tokenizers => "tokenizers",
    }
}
