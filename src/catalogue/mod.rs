//! The model catalogue: vendors, models, the benchmark registry and exchange rates.
//!
//! The files under `profiles/` are embedded at build time (`build.rs`, which stops the build on a
//! missing, empty or unparsable file), each with its text and its document already parsed into a
//! tree of values (`tree`). `--profiles DIR` adds files from disk. Every file, built in or not,
//! goes through the same checks (`file`), every fault located in its text; only the parsing is
//! saved for a built-in file, and the tests in `proof` hold its tree equal to its text. A model id
//! that already exists replaces the earlier entry.

pub mod cache;
pub mod embedded;
mod file;
pub mod fx;
pub mod hardware;
pub mod image_input;
pub mod model;
pub mod profile;
#[cfg(test)]
mod proof;
pub mod raw;
pub mod registry;
pub mod resolve;
pub mod tokenizer;
pub mod tree;
pub mod vocab;

use crate::diag::{Diagnostic, KeyPath};
use crate::error::{Error, Result};
use crate::source::{FileKind, SourceFile};
use embedded::EmbeddedFile;
use file::File;
use fx::FxTable;
use hardware::Hardware;
use model::{Model, Vendor};
use registry::Registry;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use tokenizer::Tokenizers;

/// Where the catalogue comes from.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Folders of extra profile files, in order; later ones override earlier ones.
    pub profile_dirs: Vec<PathBuf>,
    /// Leave the embedded models out (the registry and exchange rates stay).
    pub no_default_profiles: bool,
}

/// The loaded catalogue.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    /// Vendors by id.
    pub vendors: BTreeMap<String, Vendor>,
    /// Models, in load order.
    pub models: Vec<Model>,
    /// Registered benchmarks.
    pub registry: Registry,
    /// Exchange rates.
    pub fx: FxTable,
    /// Accelerators for self-hosting estimates.
    pub hardware: Hardware,
    /// Tokens per 1,000 characters of each tokenizer.
    pub tokenizers: Tokenizers,
    index: HashMap<String, usize>,
}

impl Catalogue {
    /// The catalogue built into the binary.
    pub fn embedded() -> Result<Catalogue> {
        Catalogue::load(&LoadOptions::default())
    }

    /// Loads the embedded catalogue and any extra folders, refusing any fault in them.
    pub fn load(opts: &LoadOptions) -> Result<Catalogue> {
        let (cat, diags) = Catalogue::load_collecting(opts);
        if !diags.is_empty() {
            return Err(Error::Input(diags));
        }
        Ok(cat)
    }

    /// Loads every file that is sound and returns the faults in the others beside it, so that
    /// `check` can report a broken `--profiles` folder together with the files it was given.
    pub fn load_collecting(opts: &LoadOptions) -> (Catalogue, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let mut groups: Vec<Vec<File>> = vec![embedded::FILES.iter().map(File::Embedded).collect()];
        for dir in &opts.profile_dirs {
            let (files, faults) = dir_sources(dir);
            groups.push(files.into_iter().map(File::Disk).collect());
            diags.extend(faults);
        }
        let cat = Catalogue::from_files(&groups, opts.no_default_profiles, &mut diags);
        (cat, diags)
    }

    /// Builds the catalogue from groups of files, the embedded ones first, one group per folder.
    fn from_files(
        groups: &[Vec<File>],
        no_default_profiles: bool,
        diags: &mut Vec<Diagnostic>,
    ) -> Catalogue {
        let mut cat = Catalogue::default();
        // The registry, rates, hardware and tokenizers first: profiles and scenarios are checked against them.
        for file in groups.iter().flatten() {
            match file.kind() {
                FileKind::Registry => match file.read(Registry::from_raw) {
                    Ok(r) => cat.registry.merge(r),
                    Err(d) => diags.extend(d),
                },
                FileKind::Fx => match file.read(FxTable::from_raw) {
                    Ok(f) => {
                        if cat.fx.as_of.is_empty() {
                            cat.fx.as_of = f.as_of.clone();
                            cat.fx.source = f.source.clone();
                        }
                        cat.fx.rates.extend(f.rates);
                    }
                    Err(d) => diags.extend(d),
                },
                FileKind::Hardware => match file.read(Hardware::from_raw) {
                    Ok(h) => cat.hardware.merge(h),
                    Err(d) => diags.extend(d),
                },
                FileKind::Tokenizers => match file.read(Tokenizers::from_raw) {
                    Ok(t) => cat.tokenizers.merge(t),
                    Err(d) => diags.extend(d),
                },
                _ => {}
            }
        }
        if !no_default_profiles {
            cat.models.reserve(embedded::MODELS);
            cat.index.reserve(embedded::MODELS);
        }
        for (g, group) in groups.iter().enumerate() {
            if g == 0 && no_default_profiles {
                continue;
            }
            // Which models this group has set, by index: a second model with the same id in one
            // group is a fault, while a later group replaces an earlier one's model.
            let mut set_here: Vec<bool> = Vec::new();
            let files: Vec<&File> = group
                .iter()
                .filter(|f| f.kind() == FileKind::Profile)
                .collect();
            let read_one = |file: &File| {
                file.read(|src, raw| {
                    profile::from_raw(src, raw, &cat.registry, &cat.fx, &cat.tokenizers)
                })
            };
            // A large imported catalogue (thousands of models in megabytes of TOML) is parsed on
            // every core; the files are still taken in order below.
            let reads: Vec<_> = if disk_bytes(&files) > PARALLEL_BYTES {
                use rayon::prelude::*;
                files.par_iter().map(|f| read_one(f)).collect()
            } else {
                files.iter().map(|f| read_one(f)).collect()
            };
            for (file, read) in files.into_iter().zip(reads) {
                let p = match read {
                    Ok(p) => p,
                    Err(d) => {
                        diags.extend(d);
                        continue;
                    }
                };
                cat.models.reserve(p.models.len());
                for (i, m) in p.models.into_iter().enumerate() {
                    if let Some(&at) = cat
                        .index
                        .get(&m.id)
                        .filter(|&&at| set_here.get(at) == Some(&true))
                    {
                        let path = KeyPath::root().key("model").index(i).key("id");
                        let message = format!(
                            "duplicate model id `{}`: also defined in {}",
                            m.id, cat.models[at].origin
                        );
                        diags.push(
                            file.source().at(&path, message).with_help(
                                "model ids must be unique; rename or remove one of them",
                            ),
                        );
                        continue;
                    }
                    let at = cat.insert(m);
                    set_here.resize(cat.models.len(), false);
                    set_here[at] = true;
                }
                cat.vendors.insert(p.vendor.id.clone(), p.vendor);
            }
        }
        cat
    }

    /// Adds a model, replacing one with the same id; its index in `models`.
    pub(crate) fn insert(&mut self, m: Model) -> usize {
        match self.index.get(&m.id) {
            Some(&i) => {
                self.models[i] = m;
                i
            }
            None => {
                let i = self.models.len();
                self.index.insert(m.id.clone(), i);
                self.models.push(m);
                i
            }
        }
    }

    /// A model by id.
    pub fn model(&self, id: &str) -> Option<&Model> {
        self.index.get(id).map(|&i| &self.models[i])
    }

    /// The model a name stands for: a full id, a unique suffix after the vendor or a declared
    /// alias (`resolve`). An unknown name is a usage error (exit 2) with a did-you-mean, an
    /// ambiguous one lists every candidate.
    pub fn find_model(&self, id: &str) -> Result<&Model> {
        self.resolve(id).map_err(|e| Error::Usage(e.to_string()))
    }

    /// Every model id, for "did you mean".
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.models.iter().map(|m| m.id.as_str())
    }

    /// Whether a vendor id is known.
    pub fn has_vendor(&self, id: &str) -> bool {
        self.vendors.contains_key(id)
    }
}

/// Above this much profile text in one folder, its files are parsed in parallel.
const PARALLEL_BYTES: usize = 256 * 1024;

/// The size of the text of the files read from disk.
fn disk_bytes(files: &[&File]) -> usize {
    files
        .iter()
        .map(|f| match f {
            File::Disk(src) => src.text.len(),
            File::Embedded(_) => 0,
        })
        .sum()
}

/// The embedded files as sources to validate, named `<embedded>/profiles/file.toml` in messages.
pub fn embedded_sources() -> Vec<SourceFile> {
    embedded::FILES.iter().map(EmbeddedFile::source).collect()
}

/// The `.toml` files of a `--profiles` folder, and the faults of those that cannot be read.
fn dir_sources(dir: &Path) -> (Vec<SourceFile>, Vec<Diagnostic>) {
    let name = dir.display().to_string();
    if !dir.is_dir() {
        let what = if dir.exists() {
            "is a file, not a folder"
        } else {
            "no such folder"
        };
        let d = Diagnostic::file_level(&name, format!("--profiles: {what}"))
            .with_help("--profiles takes a folder of .toml profile files");
        return (Vec::new(), vec![d]);
    }
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            return (
                Vec::new(),
                vec![Diagnostic::file_level(
                    &name,
                    format!("cannot list folder: {e}"),
                )],
            )
        }
    };
    let mut paths: Vec<PathBuf> = rd
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for p in paths {
        match SourceFile::read_entry(&p) {
            Ok(s) => out.push(s),
            Err(d) => diags.push(d),
        }
    }
    (out, diags)
}
