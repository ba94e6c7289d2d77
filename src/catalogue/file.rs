//! A catalogue file, built in or from a `--profiles` folder, and the one way to read it.
//!
//! Every file is checked by the same code, wherever it comes from. The only difference is where
//! the parsed document comes from: a built-in file is read from the tree `build.rs` parsed it into
//! (which saves parsing 120 KB of TOML on every run), a file on disk from its text. The tests in
//! `proof` hold the two equal for every built-in file.

use super::embedded::EmbeddedFile;
use crate::diag::Diagnostic;
use crate::source::{FileKind, SourceFile};
use serde::de::DeserializeOwned;
use std::borrow::Cow;

/// A catalogue file: built in, or read from a `--profiles` folder.
pub(super) enum File {
    /// Built in: parsed at build time.
    Embedded(&'static EmbeddedFile),
    /// From disk.
    Disk(SourceFile),
}

impl File {
    /// Which kind of catalogue file it is, by its name.
    pub(super) fn kind(&self) -> FileKind {
        match self {
            File::Embedded(f) => FileKind::by_name(f.name),
            File::Disk(src) => src.kind_by_name(),
        }
    }

    /// The file as a source for the checks and their messages.
    pub(super) fn source(&self) -> Cow<'_, SourceFile> {
        match self {
            File::Embedded(f) => Cow::Owned(f.source()),
            File::Disk(src) => Cow::Borrowed(src),
        }
    }

    /// Parses the file into its raw type and checks it with `check`, every fault located in the
    /// text. A built-in file is taken from its build-time tree; should the tree not fit the type,
    /// the text is parsed instead, so that the fault is reported with its line.
    pub(super) fn read<R: DeserializeOwned, T>(
        &self,
        check: impl FnOnce(&SourceFile, R) -> Result<T, Vec<Diagnostic>>,
    ) -> Result<T, Vec<Diagnostic>> {
        let src = self.source();
        let parsed = match self {
            File::Embedded(f) => f.decode(),
            File::Disk(_) => None,
        };
        let raw = match parsed {
            Some(raw) => raw,
            None => src.parse().map_err(|d| vec![d])?,
        };
        check(&src, raw)
    }
}
