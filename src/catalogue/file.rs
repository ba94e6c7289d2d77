//! A catalogue file, built in or from a `--profiles` folder, and the two ways to read one.

use super::embedded::EmbeddedFile;
use crate::diag::Diagnostic;
use crate::source::{FileKind, SourceFile};
use serde::de::DeserializeOwned;
use std::borrow::Cow;

/// A catalogue file: built in, or read from a `--profiles` folder.
pub(super) enum File {
    /// Built in: read from its value tree, which the tests prove sound.
    Embedded(&'static EmbeddedFile),
    /// From disk: checked, every fault located in the text.
    Disk(SourceFile),
}

impl File {
    /// The name messages and models give the file.
    pub(super) fn name(&self) -> String {
        match self {
            File::Embedded(f) => f.display_name(),
            File::Disk(src) => src.name.clone(),
        }
    }

    /// Which kind of catalogue file it is, by its name.
    pub(super) fn kind(&self) -> FileKind {
        match self {
            File::Embedded(f) => FileKind::by_name(f.name),
            File::Disk(src) => src.kind_by_name(),
        }
    }

    /// The file as a source for messages (built from the text only when one is needed).
    pub(super) fn source(&self) -> Cow<'_, SourceFile> {
        match self {
            File::Embedded(f) => Cow::Owned(f.source()),
            File::Disk(src) => Cow::Borrowed(src),
        }
    }

    /// Reads the file: an embedded one from its tree through `trusted`, unless the tree does
    /// not fit, in which case it is checked like any other file so the fault gets its line.
    pub(super) fn read<R: DeserializeOwned, T>(
        &self,
        trusted: impl FnOnce(R) -> Option<T>,
        checked: impl FnOnce(&SourceFile) -> Result<T, Vec<Diagnostic>>,
    ) -> Result<T, Vec<Diagnostic>> {
        if let File::Embedded(f) = self {
            if let Some(t) = f.decode().and_then(trusted) {
                return Ok(t);
            }
        }
        checked(&self.source())
    }
}
