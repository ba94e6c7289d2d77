//! One file per command, each with the same shape: `run(&Args, &Context) -> Result<Outcome>`.
//! Commands build reports; they never print.

pub mod benchmarks;
pub mod breakeven;
pub mod check;
pub mod compare;
pub mod completions;
pub mod cost;
pub mod diff;
pub mod diff_gate;
pub mod fan;
pub mod fit_report;
pub mod import;
pub mod init;
pub mod man;
pub mod mix;
pub mod models;
pub mod plot;
pub mod rank;
pub mod schema;
pub mod show;
pub mod sweep;
pub mod throughput;

use crate::catalogue::{Catalogue, LoadOptions};
use crate::error::{Error, Result};
use crate::render::{Doc, Format};
use std::path::PathBuf;

/// What every command may need: where the catalogue comes from and how output is wanted.
#[derive(Debug, Clone, Default)]
pub struct Context {
    /// Output format.
    pub format: Format,
    /// Output file.
    pub output: Option<PathBuf>,
    /// Catalogue sources.
    pub load: LoadOptions,
    /// No progress bars or hints.
    pub quiet: bool,
}

impl Context {
    /// Loads the catalogue.
    pub fn catalogue(&self) -> Result<Catalogue> {
        Catalogue::load(&self.load)
    }
}

/// What a command hands back.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The report, unless the command wrote its own output.
    pub doc: Option<Doc>,
    /// Process exit code.
    pub exit_code: i32,
    /// Messages for stderr.
    pub messages: Vec<String>,
    /// Output already in its final form (an SVG, a JSON Schema, a shell script), written as is to
    /// stdout or `--output` in place of `doc`.
    pub verbatim: Option<String>,
    /// Files for the `--output` folder, by path. They are all written before anything else, each
    /// atomically; when there are any, `doc` goes to stdout because `--output` named the folder.
    pub files: Vec<(PathBuf, String)>,
    /// Files written beside the report, such as a `--plot` chart: the flag that named each, its
    /// path and its text. They are put in place together with an `--output` file, all or none.
    pub side_files: Vec<(&'static str, PathBuf, String)>,
    /// Arrays of `doc`'s JSON made while it is written, workload by workload, so that a report of
    /// many workloads is never held whole ([`crate::render::deferred`]). Only JSON output uses
    /// them; `doc.json` holds an empty array at each one's place.
    pub deferred: Vec<crate::render::deferred::Deferred>,
}

impl Outcome {
    /// A successful report.
    pub fn ok(doc: Doc) -> Outcome {
        Outcome {
            doc: Some(doc),
            ..Outcome::default()
        }
    }

    /// A successful run whose output is already formatted.
    pub fn verbatim(text: String) -> Outcome {
        Outcome {
            verbatim: Some(text),
            ..Outcome::default()
        }
    }
}

/// Finds an accelerator or explains which ids exist, with the closest one.
pub fn find_gpu<'a>(
    cat: &'a Catalogue,
    flag: &str,
    id: &str,
) -> Result<&'a crate::catalogue::hardware::Accelerator> {
    cat.hardware.get(id).ok_or_else(|| {
        let list = cat.hardware.ids().collect::<Vec<_>>().join(", ");
        let hint = cat
            .hardware
            .suggest(id)
            .map(|s| format!("did you mean `{s}`? "))
            .unwrap_or_default();
        Error::Usage(format!(
            "{flag}: no accelerator `{id}` in the hardware catalogue; {hint}accelerators: {list}"
        ))
    })
}
