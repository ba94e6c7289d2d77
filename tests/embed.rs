//! The build script's logic (`build/embed.rs`, included here as `build.rs` includes it): every way
//! the `profiles/` folder can be unfit stops the build with the file and the reason, the tree it
//! writes reads back as the very document it was made from, and the binary embeds every model
//! the folder defines.

#[path = "../build/embed.rs"]
mod embed;

use embed::{embed, Item};
use llmplan::catalogue::tree::{Tree, Value};
use llmplan::Catalogue;
use proptest::prelude::*;
use std::path::Path;

const FX: &str = "as_of = \"2024-03-01\"\nsource = \"s\"\n[rates]\nCNY = 7.1\n";
const REGISTRY: &str =
    "[[benchmark]]\nid = \"mmlu\"\nname = \"MMLU\"\ndomain = \"knowledge\"\nmin = 0\nmax = 100\n";
const VENDOR: &str = "[vendor]\nid = \"v\"\nname = \"V\"\ncountry = \"US\"\ncurrency = \"USD\"\n\n[[model]]\nid = \"v/a\"\nname = \"A\"\nstatus = \"ga\"\n\n[[model]]\nid = \"v/b\"\nname = \"B\"\nstatus = \"ga\"\n";

/// A package folder whose `profiles/` holds the given files.
fn package(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("profiles")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join("profiles").join(name), text).unwrap();
    }
    dir
}

/// The faults `embed` reports for a package, each as `file name: reason`.
fn faults(dir: &Path) -> Vec<String> {
    match embed(dir) {
        Ok(_) => panic!("{} embedded without a fault", dir.display()),
        Err(f) => f
            .iter()
            .map(|f| {
                let name = f.path.file_name().unwrap().to_string_lossy();
                format!("{name}: {}", f.reason)
            })
            .collect(),
    }
}

#[test]
fn a_sound_folder_is_embedded_and_watched() {
    let dir = package(&[
        ("benchmarks.toml", REGISTRY),
        ("fx.toml", FX),
        ("v.toml", VENDOR),
        ("notes.txt", "not a profile"),
    ]);
    let e = embed(dir.path()).unwrap();
    assert_eq!(e.names, ["benchmarks.toml", "fx.toml", "v.toml"]);
    assert_eq!(
        e.watch,
        [
            "profiles",
            "profiles/benchmarks.toml",
            "profiles/fx.toml",
            "profiles/v.toml"
        ]
    );
    assert_eq!(e.models, 2);
    assert!(e.source.contains("pub const MODELS: usize = 2;"));
    // The text is written into the source itself: no path, so nothing outside the package.
    assert!(e.source.contains(&format!("text: {VENDOR:?}")));
    assert!(!e.source.contains("include_str"));
    assert!(!e.source.contains(&*dir.path().to_string_lossy()));
}

#[test]
fn a_missing_folder_stops_the_build() {
    let dir = tempfile::tempdir().unwrap();
    let f = faults(dir.path());
    assert_eq!(f.len(), 1);
    assert!(f[0].starts_with("profiles: no such folder"), "{f:?}");
}

#[test]
fn an_empty_folder_stops_the_build() {
    let dir = package(&[("README.md", "no profiles here")]);
    assert_eq!(
        faults(dir.path()),
        ["profiles: holds no .toml file; the built-in catalogue would be empty"]
    );
}

#[test]
fn a_file_that_does_not_parse_stops_the_build_with_its_line() {
    let dir = package(&[
        ("benchmarks.toml", REGISTRY),
        ("fx.toml", FX),
        ("v.toml", "[vendor]\nid = \"v\"\nname = V\n"),
    ]);
    let f = faults(dir.path());
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(
        f[0].starts_with("v.toml: does not parse as TOML: TOML parse error at line 3, column 8"),
        "{f:?}"
    );
}

#[test]
fn an_unreadable_or_empty_file_stops_the_build() {
    let dir = package(&[
        ("benchmarks.toml", REGISTRY),
        ("fx.toml", FX),
        ("v.toml", VENDOR),
        ("blank.toml", "\n  \n"),
    ]);
    std::fs::write(
        dir.path().join("profiles/latin1.toml"),
        b"name = \"caf\xe9\"\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("profiles/folder.toml")).unwrap();
    let f = faults(dir.path());
    assert_eq!(f.len(), 3, "{f:?}");
    assert_eq!(
        f[0],
        "blank.toml: is empty; delete it or give it its tables"
    );
    assert!(f[1].starts_with("folder.toml: cannot read it: "), "{f:?}");
    assert!(
        f[2].starts_with("latin1.toml: cannot read it: stream did not contain valid UTF-8"),
        "{f:?}"
    );
}

#[test]
fn a_date_the_tree_cannot_hold_is_named_by_its_key() {
    let dir = package(&[
        ("benchmarks.toml", REGISTRY),
        ("fx.toml", FX),
        (
            "v.toml",
            &format!("{VENDOR}[model.price]\nas_of = 2024-03-01\n"),
        ),
    ]);
    assert_eq!(
        faults(dir.path()),
        ["v.toml: `model[1].price.as_of` is a TOML date (2024-03-01); the catalogue's dates are text: write \"2024-03-01\""]
    );
}

#[test]
fn a_folder_without_the_registry_the_rates_or_a_model_stops_the_build() {
    let dir = package(&[("v.toml", "[vendor]\nid = \"v\"\n")]);
    let f = faults(dir.path());
    assert_eq!(f.len(), 3, "{f:?}");
    assert!(f[0].starts_with("benchmarks.toml: is missing: it holds the benchmark registry"));
    assert!(f[1].starts_with("fx.toml: is missing: it holds the exchange rates"));
    assert_eq!(
        f[2],
        "profiles: defines no [[model]]; the built-in catalogue would be empty"
    );
}

/// The package's own folder: the binary holds every model its files define, and the same
/// number the build script counted.
#[test]
fn the_binary_embeds_every_model_of_the_profiles_folder() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let e = embed(root).unwrap();
    let mut defined = 0;
    for name in &e.names {
        let text = std::fs::read_to_string(root.join("profiles").join(name)).unwrap();
        let doc: toml::Table = text.parse().unwrap();
        defined += doc
            .get("model")
            .and_then(toml::Value::as_array)
            .map_or(0, Vec::len);
    }
    assert!(defined > 40, "{defined}");
    assert_eq!(e.models, defined);
    assert_eq!(Catalogue::embedded().unwrap().models.len(), defined);
    assert_eq!(llmplan::catalogue::embedded::MODELS, defined);
    let names: Vec<&str> = llmplan::catalogue::embedded::FILES
        .iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(names, e.names);
}

/// A tree written by the build script as the library reads it (leaked: the library's tree is
/// static data).
fn library_tree(tree: &embed::Tree) -> &'static Tree {
    let values: Vec<Value> = tree.values.iter().map(|&v| value(v)).collect();
    Box::leak(Box::new(Tree {
        values: Box::leak(values.into_boxed_slice()),
        strings: Box::leak(tree.strings.clone().into_boxed_str()),
    }))
}

fn value(item: Item) -> Value {
    match item {
        Item::Str(a, b) => Value::Str(a, b),
        Item::Int(i) => Value::Int(i),
        Item::Float(f) => Value::Float(f),
        Item::Bool(b) => Value::Bool(b),
        Item::Array(a, b) => Value::Array(a, b),
        Item::Table(a, b) => Value::Table(a, b),
    }
}

/// Any TOML value but a date (a date stops the build; see above).
fn toml_value() -> impl Strategy<Value = toml::Value> {
    let leaf = prop_oneof![
        ".{0,12}".prop_map(toml::Value::String),
        any::<i64>().prop_map(toml::Value::Integer),
        any::<f64>()
            .prop_filter("NaN equals nothing", |f| !f.is_nan())
            .prop_map(toml::Value::Float),
        any::<bool>().prop_map(toml::Value::Boolean),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(toml::Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}|.{0,6}", inner, 0..6)
                .prop_map(|m| toml::Value::Table(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    /// Any document laid out by the build script reads back, through the library's tree reader,
    /// as the same document: every string, number, array and table, in order.
    #[test]
    fn the_tree_reads_back_as_the_document(
        docs in prop::collection::vec(prop::collection::btree_map("[a-z_]{1,8}", toml_value(), 0..6), 1..4)
    ) {
        let mut tree = embed::Tree::default();
        let mut roots = Vec::new();
        for doc in &docs {
            let table: toml::Table = doc.clone().into_iter().collect();
            roots.push(tree.table(&table, "").unwrap());
        }
        let lib = library_tree(&tree);
        for (doc, root) in docs.iter().zip(roots) {
            let table: toml::Table = doc.clone().into_iter().collect();
            let back: toml::Table = lib.decode(value(root)).expect("the tree reads");
            prop_assert_eq!(back, table);
        }
    }
}
