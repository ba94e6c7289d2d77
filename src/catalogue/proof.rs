//! The proof that reading a built-in file from its build-time tree is reading it from its text.
//!
//! Both go through the same checks (`File::read`); what differs is only who parsed the document.
//! So it is enough that the tree gives every built-in file's types exactly as the TOML reader does
//! (`tests/embed.rs` proves the tree faithful for any document), and, end to end, that the
//! built-in catalogue equals the one built from the same files read as text. A fault in a shipped
//! file fails these tests with the checks' located message.

use super::embedded::{EmbeddedFile, FILES};
use super::file::File;
use super::raw::{RawFx, RawHardware, RawProfile, RawRegistry};
use super::{embedded_sources, Catalogue};
use crate::source::FileKind;
use serde::de::DeserializeOwned;
use std::fmt::Debug;

/// The tree reader gives serde what the TOML reader gives it: the file types read alike.
#[test]
fn the_tree_reads_like_the_toml() {
    fn both<R: DeserializeOwned + Debug>(f: &EmbeddedFile) {
        let tree: R = f.decode().expect("the tree reads");
        let toml: R = toml::from_str(f.text).expect("the TOML reads");
        assert_eq!(format!("{tree:#?}"), format!("{toml:#?}"), "{}", f.name);
    }
    for f in FILES {
        match FileKind::by_name(f.name) {
            FileKind::Registry => both::<RawRegistry>(f),
            FileKind::Fx => both::<RawFx>(f),
            FileKind::Hardware => both::<RawHardware>(f),
            FileKind::Tokenizers => both::<super::tokenizer::RawTokenizers>(f),
            _ => both::<RawProfile>(f),
        }
    }
}

/// The whole built-in catalogue, as `Catalogue::embedded` loads it, has no fault and equals the
/// one built from the same files read from their text, including the checks that span files
/// (duplicate model ids).
#[test]
fn the_embedded_catalogue_equals_the_one_read_from_text() {
    let fast = Catalogue::embedded().unwrap_or_else(|e| panic!("{e}"));
    let files: Vec<File> = embedded_sources().into_iter().map(File::Disk).collect();
    let mut diags = Vec::new();
    let text = Catalogue::from_files(&[files], false, &mut diags);
    let faults: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert!(diags.is_empty(), "{}", faults.join("\n"));
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
    assert_eq!(parts(&fast), parts(&text));
}

/// A built-in file is checked like any other: a fault its tree carries, and one in a file whose
/// tree does not fit its type (read from its text instead), are both reported with their line.
#[test]
fn a_faulty_built_in_file_is_reported_with_its_line() {
    use super::tree::Value;
    // The tree of a file that does not fit: the text is parsed, and its syntax fault located.
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
    // A sound tree holding a fault the checks find: a built-in profile whose vendor has no
    // exchange rate, because the rates file is left out.
    let zhipu = FILES.iter().find(|f| f.name == "zhipu.toml").unwrap();
    let mut files: Vec<File> = FILES
        .iter()
        .filter(|f| f.name != "fx.toml")
        .map(File::Embedded)
        .collect();
    files.extend([File::Embedded(&UNPARSED), File::Embedded(&UNMAPPED)]);
    let mut diags = Vec::new();
    let cat = Catalogue::from_files(&[files], false, &mut diags);
    // Other CNY vendors fail alike; one of them is enough here.
    let found: Vec<(String, Option<usize>)> = diags
        .iter()
        .filter(|d| {
            ["zhipu", "syntax", "negative"]
                .iter()
                .any(|n| d.file.ends_with(&format!("/{n}.toml")))
        })
        .map(|d| (d.file.clone(), d.line))
        .collect();
    let currency_line = zhipu
        .text
        .lines()
        .position(|l| l.starts_with("currency"))
        .unwrap()
        + 1;
    assert_eq!(
        found,
        [
            (
                "<embedded>/profiles/zhipu.toml".to_string(),
                Some(currency_line)
            ),
            ("<embedded>/profiles/syntax.toml".to_string(), Some(7)),
            ("<embedded>/profiles/negative.toml".to_string(), Some(22)),
        ]
    );
    let zhipu_fault = diags
        .iter()
        .find(|d| d.file.ends_with("zhipu.toml"))
        .unwrap();
    assert!(zhipu_fault
        .message
        .contains("currency CNY has no exchange rate"));
    let negative = diags
        .iter()
        .find(|d| d.file.ends_with("negative.toml"))
        .unwrap();
    assert!(negative.message.contains("`output` cannot be negative"));
    assert!(!cat.models.iter().any(|m| m.vendor == "zhipu"));
}
