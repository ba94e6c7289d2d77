//! The profile files built into the binary, each as TOML text and as a ready value tree.

use super::tree::Tree;
use super::tree::Value::{self, *};
use crate::source::SourceFile;

/// One file under `profiles/`, as `build.rs` embedded it.
#[derive(Debug)]
pub struct EmbeddedFile {
    /// The file name, such as `anthropic.toml`.
    pub name: &'static str,
    /// The TOML text.
    pub text: &'static str,
    /// The document in [`TREE`], parsed at build time (a build with a file that does not parse
    /// stops there).
    pub root: Value,
}

impl EmbeddedFile {
    /// The name messages give the file.
    pub fn display_name(&self) -> String {
        format!("<embedded>/profiles/{}", self.name)
    }

    /// Reads a file type from the document; `None` if its shape does not fit.
    pub fn decode<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        TREE.decode(self.root)
    }

    /// The file as a source to validate and report on.
    pub fn source(&self) -> SourceFile {
        SourceFile {
            name: self.display_name(),
            text: self.text.to_string(),
        }
    }
}

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
