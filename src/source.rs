//! Reading input files, with every way that can fail turned into a diagnostic.

use crate::diag::{self, Diagnostic, KeyPath};
use serde::de::DeserializeOwned;
use std::path::Path;

/// The text of an input file and the name to report it under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The path as the user wrote it, or `<embedded>/name.toml`.
    pub name: String,
    /// The whole text.
    pub text: String,
}

impl SourceFile {
    /// Reads a file, refusing missing files, directories, non-UTF-8 bytes and empty files.
    pub fn read(path: &Path) -> Result<SourceFile, Diagnostic> {
        let name = path.display().to_string();
        if path.is_dir() {
            return Err(
                Diagnostic::file_level(&name, "is a directory, not a file").with_help(
                    "name a .toml file inside it, or use --profiles DIR for a folder of profiles",
                ),
            );
        }
        let bytes = std::fs::read(path).map_err(|e| {
            let what = match e.kind() {
                std::io::ErrorKind::NotFound => "no such file".to_string(),
                std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
                _ => format!("cannot read it: {e}"),
            };
            Diagnostic::file_level(&name, what)
                .with_help("check the path; it is read relative to the current directory")
        })?;
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                // Up to the first bad byte the lossy text is the file itself, so the caret lands
                // on the replacement character shown in place of that byte.
                let at = e.utf8_error().valid_up_to();
                let byte = e.as_bytes()[at];
                let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
                let d = Diagnostic::at_span(
                    &name,
                    &lossy,
                    at..at + '\u{FFFD}'.len_utf8(),
                    format!("is not valid UTF-8: byte 0x{byte:02X} (offset {at}) is not part of any UTF-8 character"),
                );
                return Err(d.with_help("save the file as UTF-8 (it may be Latin-1 or UTF-16); TOML files must be UTF-8"));
            }
        };
        SourceFile::from_text(name, text)
    }

    /// Reads a `.toml` entry of a folder, refusing every entry that is not a readable file by
    /// name: a dangling symlink, a symlink loop, a folder, a FIFO, socket or device. A folder
    /// entry is never skipped in silence.
    pub fn read_entry(path: &Path) -> Result<SourceFile, Diagnostic> {
        let name = path.display().to_string();
        let refuse = |what: String| {
            Diagnostic::file_level(&name, what).with_help(
                "every .toml entry of a --profiles folder is read; fix it, or move it out of the folder",
            )
        };
        let link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
        match std::fs::metadata(path) {
            Err(e) if link && e.kind() == std::io::ErrorKind::NotFound => Err(refuse(
                "is a symbolic link to a file that does not exist".into(),
            )),
            Err(e) if link => Err(refuse(format!(
                "is a symbolic link that cannot be followed (a loop?): {e}"
            ))),
            Err(e) => Err(refuse(format!("cannot read it: {e}"))),
            Ok(m) if m.is_dir() => Err(refuse("is a folder, not a profile file".into())),
            Ok(m) if !m.is_file() => Err(refuse(
                "is not a regular file (a FIFO, socket or device)".into(),
            )),
            Ok(_) => SourceFile::read(path),
        }
    }

    /// Wraps text already in memory, refusing empty text.
    pub fn from_text(name: String, text: String) -> Result<SourceFile, Diagnostic> {
        if text.trim().is_empty() {
            return Err(Diagnostic::file_level(&name, "is empty").with_help(
                "a scenario needs at least `name` and one [[workload]] (`llmplan init` writes a starting point); \
                 a profile needs a [vendor] table and its [[model]] entries (docs/profile-format.md)",
            ));
        }
        Ok(SourceFile { name, text })
    }

    /// Parses the text into `T`, turning syntax and shape errors into a located diagnostic.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        if let Some((span, raw, read)) = crate::num::inexact_float(&self.text) {
            return Err(Diagnostic::at_span(
                &self.name,
                &self.text,
                span,
                format!("the number {raw} has more digits than a TOML number keeps: it would be read as {read}"),
            )
            .with_help(format!(
                "quote it as a decimal, \"{raw}\", which is read exactly (up to 28 significant digits)"
            )));
        }
        toml::from_str(&self.text)
            .map_err(|e| diag::from_toml_error::<T>(&self.name, &self.text, &e))
    }

    /// A diagnostic at a key path of this file.
    pub fn at(&self, path: &KeyPath, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at_path(&self.name, &self.text, path, message)
    }

    /// Which kind of catalogue file this is, by its file name: `benchmarks.toml`, `fx.toml`,
    /// `hardware.toml`, or else a vendor profile.
    pub fn kind_by_name(&self) -> FileKind {
        FileKind::by_name(&self.name)
    }

    /// Which kind of file this is, judged by its top-level keys.
    pub fn kind(&self) -> FileKind {
        // A file none of whose top-level keys names another kind is a scenario whether or not it
        // parses: the scan tells without building the document of a large generated scenario.
        const OTHERS: [&str; 6] = [
            "vendor",
            "model",
            "benchmark",
            "rates",
            "accelerator",
            "tokenizer",
        ];
        if crate::toml_scan::top_keys(&self.text)
            .is_some_and(|keys| !OTHERS.iter().any(|k| keys.contains(*k)))
        {
            return FileKind::Scenario;
        }
        let Ok(doc) = self.text.parse::<toml::Table>() else {
            return FileKind::Scenario;
        };
        if doc.contains_key("vendor") || doc.contains_key("model") {
            FileKind::Profile
        } else if doc.contains_key("benchmark") {
            FileKind::Registry
        } else if doc.contains_key("rates") {
            FileKind::Fx
        } else if doc.contains_key("accelerator") {
            FileKind::Hardware
        } else if doc.contains_key("tokenizer") {
            FileKind::Tokenizers
        } else {
            FileKind::Scenario
        }
    }
}

/// The kinds of input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A workload description.
    Scenario,
    /// A vendor with its models.
    Profile,
    /// The benchmark registry.
    Registry,
    /// Exchange rates.
    Fx,
    /// The accelerator catalogue.
    Hardware,
    /// Tokens per 1,000 characters of each tokenizer.
    Tokenizers,
}

impl FileKind {
    /// Which kind of catalogue file a path names: `benchmarks.toml`, `fx.toml`, `hardware.toml`,
    /// `tokenizers.toml`, or else a vendor profile.
    pub fn by_name(path: &str) -> FileKind {
        match Path::new(path).file_name().and_then(|n| n.to_str()) {
            Some("benchmarks.toml") => FileKind::Registry,
            Some("fx.toml") => FileKind::Fx,
            Some("hardware.toml") => FileKind::Hardware,
            Some("tokenizers.toml") => FileKind::Tokenizers,
            _ => FileKind::Profile,
        }
    }
}
