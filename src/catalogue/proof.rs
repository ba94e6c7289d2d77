//! The proof that the embedded files may skip the checks: each one, read from its build-time tree
//! through `trusted`, equals the same file checked from its TOML text, field for field.
//!
//! A fault in a shipped profile therefore fails here, with the checked path's located message,
//! instead of slipping into the binary unchecked.

use super::embedded::{EmbeddedFile, FILES};
use super::file::File;
use super::fx::FxTable;
use super::hardware::Hardware;
use super::raw::{RawFx, RawHardware, RawProfile, RawRegistry};
use super::registry::Registry;
use super::{embedded_sources, profile, trusted, Catalogue};
use crate::diag::Diagnostic;
use crate::source::FileKind;
use serde::de::DeserializeOwned;
use std::fmt::Debug;

/// The checked result, or a failure that prints every fault with its line.
fn checked<T>(f: &EmbeddedFile, r: Result<T, Vec<Diagnostic>>) -> T {
    r.unwrap_or_else(|diags| {
        let text: Vec<String> = diags.iter().map(ToString::to_string).collect();
        panic!("{} is not sound:\n{}", f.name, text.join("\n"))
    })
}

/// The value read from the tree through `trusted`, which must not fall back to the checks.
fn fast<R: DeserializeOwned, T>(f: &EmbeddedFile, trusted: impl FnOnce(R) -> Option<T>) -> T {
    f.decode()
        .and_then(trusted)
        .unwrap_or_else(|| panic!("{}: the tree does not map; it would be read slowly", f.name))
}

#[track_caller]
fn same<T: Debug>(f: &EmbeddedFile, fast: &T, checked: &T) {
    assert_eq!(format!("{fast:#?}"), format!("{checked:#?}"), "{}", f.name);
}

/// The tree reader gives serde what the TOML reader gives it: the file types read alike.
#[test]
fn the_tree_reads_like_the_toml() {
    fn both<R: DeserializeOwned + Debug>(f: &EmbeddedFile) {
        let tree: R = f.decode().expect("the tree reads");
        let toml: R = toml::from_str(f.text).expect("the TOML reads");
        same(f, &tree, &toml);
    }
    for f in FILES {
        match FileKind::by_name(f.name) {
            FileKind::Registry => both::<RawRegistry>(f),
            FileKind::Fx => both::<RawFx>(f),
            FileKind::Hardware => both::<RawHardware>(f),
            _ => both::<RawProfile>(f),
        }
    }
}

/// Every file read the fast way equals the same file checked.
#[test]
fn every_embedded_file_is_sound_and_read_alike() {
    let (mut registry, mut fx) = (Registry::default(), FxTable::default());
    for f in FILES {
        let src = f.source();
        match FileKind::by_name(f.name) {
            FileKind::Registry => {
                let c = checked(f, Registry::from_source(&src));
                same(f, &fast(f, trusted::registry), &c);
                registry.merge(c);
            }
            FileKind::Fx => {
                let c = checked(f, FxTable::from_source(&src));
                same(f, &fast(f, trusted::fx), &c);
                fx = c;
            }
            FileKind::Hardware => {
                let c = checked(f, Hardware::from_source(&src));
                same(f, &fast(f, trusted::hardware), &c);
            }
            _ => {}
        }
    }
    for f in FILES
        .iter()
        .filter(|f| FileKind::by_name(f.name) == FileKind::Profile)
    {
        let c = checked(f, profile::from_source(&f.source(), &registry, &fx));
        let origin = f.display_name();
        same(f, &fast(f, |raw| trusted::profile(raw, &origin)), &c);
    }
}

/// The whole embedded catalogue, as `Catalogue::embedded` loads it, equals the one built from the
/// same files all checked, including the checks that span files (duplicate model ids).
#[test]
fn the_embedded_catalogue_equals_the_checked_one() {
    let fast = Catalogue::embedded().expect("the embedded catalogue loads");
    let files: Vec<File> = embedded_sources().into_iter().map(File::Disk).collect();
    let mut diags = Vec::new();
    let checked = Catalogue::from_files(&[files], false, &mut diags);
    let text: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert!(diags.is_empty(), "{}", text.join("\n"));
    let parts = |c: &Catalogue| {
        let mut index: Vec<_> = c.index.iter().collect();
        index.sort();
        format!(
            "{:#?}",
            (
                &c.vendors,
                &c.models,
                &c.registry,
                &c.fx,
                &c.hardware,
                index
            )
        )
    };
    assert_eq!(parts(&fast), parts(&checked));
}

/// A file whose tree does not map is checked from its text instead, so its fault is reported with
/// its line, as it would be from disk.
#[test]
fn a_file_the_tree_cannot_give_is_checked_from_its_text() {
    use super::tree::Value;
    static UNPARSED: EmbeddedFile = EmbeddedFile {
        name: "syntax.toml",
        text: include_str!("../../tests/bad/profile-syntax-error.toml"),
        root: Value::Bool(true),
    };
    static UNMAPPED: EmbeddedFile = EmbeddedFile {
        name: "negative.toml",
        text: include_str!("../../tests/bad/profile-negative-price.toml"),
        root: Value::Int(1),
    };
    let mut files: Vec<File> = FILES.iter().map(File::Embedded).collect();
    files.extend([File::Embedded(&UNPARSED), File::Embedded(&UNMAPPED)]);
    let mut diags = Vec::new();
    let cat = Catalogue::from_files(&[files], false, &mut diags);
    let found: Vec<(String, Option<usize>)> =
        diags.iter().map(|d| (d.file.clone(), d.line)).collect();
    assert_eq!(
        found,
        [
            ("<embedded>/profiles/syntax.toml".to_string(), Some(7)),
            ("<embedded>/profiles/negative.toml".to_string(), Some(22)),
        ]
    );
    assert!(diags[1].message.contains("`output` cannot be negative"));
    assert_eq!(cat.models.len(), super::embedded::MODELS);
}
