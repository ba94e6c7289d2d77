//! `llmplan check`: validate files without ranking, reporting every problem in every file.

use super::{Context, Outcome};
use crate::catalogue::fx::FxTable;
use crate::catalogue::registry::Registry;
use crate::catalogue::{profile, Catalogue};
use crate::cli::CheckArgs;
use crate::diag::{Diagnostic, KeyPath};
use crate::error::{Error, Result};
use crate::render::{Cell, Doc, Section};
use crate::scenario::Scenario;
use crate::source::{FileKind, SourceFile};
use serde_json::json;
use std::collections::HashMap;

/// Runs the command.
pub fn run(args: &CheckArgs, ctx: &Context) -> Result<Outcome> {
    let cat = ctx.catalogue()?;
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut checked = Vec::new();
    let mut ids: HashMap<String, String> = HashMap::new();
    for path in &args.files {
        let src = match SourceFile::read(path) {
            Ok(s) => s,
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
    );
    for (f, k) in &checked {
        t.rows
            .push(vec![Cell::plain(f), Cell::plain(kind_name(*k))]);
    }
    let json = json!({"ok": true, "files": checked.iter().map(|(f, k)| json!({"file": f, "kind": kind_name(*k)})).collect::<Vec<_>>()});
    Ok(Outcome::ok(Doc {
        json,
        sections: vec![t],
        notes: vec![],
    }))
}

fn check_one(
    src: &SourceFile,
    kind: FileKind,
    cat: &Catalogue,
) -> std::result::Result<Vec<String>, Vec<Diagnostic>> {
    match kind {
        FileKind::Scenario => match Scenario::from_source(src, cat) {
            Ok(_) => Ok(vec![]),
            Err(Error::Input(d)) => Err(d),
            Err(e) => Err(vec![Diagnostic::file_level(&src.name, e.to_string())]),
        },
        FileKind::Profile => profile::from_source(src, &cat.registry, &cat.fx)
            .map(|p| p.models.into_iter().map(|m| m.id).collect()),
        FileKind::Registry => Registry::from_source(src).map(|_| vec![]),
        FileKind::Fx => FxTable::from_source(src).map(|_| vec![]),
        FileKind::Hardware => Ok(vec![]),
    }
}

fn kind_name(k: FileKind) -> &'static str {
    match k {
        FileKind::Scenario => "scenario",
        FileKind::Profile => "profile",
        FileKind::Registry => "benchmark registry",
        FileKind::Fx => "exchange rates",
        FileKind::Hardware => "hardware",
    }
}
