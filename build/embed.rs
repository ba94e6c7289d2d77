//! What `build.rs` does, kept in a module of its own so that the tests can include it too.
//!
//! It reads every `.toml` file under the package's `profiles/` folder and writes the Rust source
//! that embeds them: each file's text, and the same document parsed once into a flat tree of
//! values (`catalogue::tree`), which the binary reads without scanning any text. Whatever would
//! give an empty, partial or unreadable catalogue stops the build with the file and the reason: a
//! missing or empty folder, a file that cannot be read or does not parse, a value the tree cannot
//! hold (a TOML date), and a folder without the benchmark registry, the exchange rates or a model.
//!
//! Everything it embeds is text it read itself, from the folder it was given: the generated source
//! names no path, so a build can never take its catalogue from another checkout.

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

/// The generated Rust source and what Cargo must watch to know when to write it again.
pub struct Embedded {
    /// The source of `embedded.rs`.
    pub source: String,
    /// The paths to watch, relative to the package root: `profiles` and each file in it. Cargo
    /// resolves relative paths against the package being built, so a build in another checkout
    /// that shares the target folder looks at its own files.
    pub watch: Vec<String>,
    /// How many models the files define.
    pub models: usize,
    /// The file names, sorted.
    pub names: Vec<String>,
    /// The documents, laid out flat.
    pub tree: Tree,
    /// The root table of each file in [`Embedded::tree`], in the order of `names`.
    pub roots: Vec<Item>,
}

/// Why the catalogue cannot be embedded: the file or folder, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fault {
    /// The file or folder at fault, as an absolute path.
    pub path: PathBuf,
    /// What is wrong and what to do.
    pub reason: String,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.reason)
    }
}

/// The files the catalogue cannot do without, and what each holds.
const REQUIRED: [(&str, &str); 2] = [
    (
        "benchmarks.toml",
        "the benchmark registry every model's scores refer to",
    ),
    (
        "fx.toml",
        "the exchange rates every price outside USD is converted with",
    ),
];

/// Reads `<package>/profiles` and writes the source that embeds it; every fault found, if any.
pub fn embed(package: &Path) -> Result<Embedded, Vec<Fault>> {
    let dir = package.join("profiles");
    let at_dir = |reason: String| {
        vec![Fault {
            path: dir.clone(),
            reason,
        }]
    };
    let entries = match std::fs::read_dir(&dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(at_dir(
                "no such folder; the built-in catalogue is built from the .toml files in it".into(),
            ))
        }
        Err(e) => return Err(at_dir(format!("cannot list the folder: {e}"))),
    };
    let mut paths = Vec::new();
    for entry in entries {
        match entry {
            Ok(e) => paths.push(e.path()),
            Err(e) => return Err(at_dir(format!("cannot list the folder: {e}"))),
        }
    }
    paths.retain(|p| p.extension().is_some_and(|x| x == "toml"));
    paths.sort();
    if paths.is_empty() {
        return Err(at_dir(
            "holds no .toml file; the built-in catalogue would be empty".into(),
        ));
    }

    let mut faults = Vec::new();
    let mut out = Embedded {
        source: String::new(),
        watch: vec!["profiles".into()],
        models: 0,
        names: Vec::new(),
        tree: Tree::default(),
        roots: Vec::new(),
    };
    let mut texts = Vec::new();
    for path in &paths {
        let fault = |reason: String| Fault {
            path: path.clone(),
            reason,
        };
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            faults.push(fault(
                "the file name is not valid UTF-8; rename the file".into(),
            ));
            continue;
        };
        out.watch.push(format!("profiles/{name}"));
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                faults.push(fault(format!("cannot read it: {e}")));
                continue;
            }
        };
        if text.trim().is_empty() {
            faults.push(fault("is empty; delete it or give it its tables".into()));
            continue;
        }
        let table = match text.parse::<toml::Table>() {
            Ok(t) => t,
            Err(e) => {
                faults.push(fault(format!("does not parse as TOML: {e}")));
                continue;
            }
        };
        let root = match out.tree.table(&table, "") {
            Ok(root) => root,
            Err(reason) => {
                faults.push(fault(reason));
                continue;
            }
        };
        out.models += table
            .get("model")
            .and_then(toml::Value::as_array)
            .map_or(0, Vec::len);
        out.names.push(name.to_string());
        out.roots.push(root);
        texts.push(text);
    }
    if !faults.is_empty() {
        return Err(faults);
    }
    for (name, holds) in REQUIRED {
        if !out.names.iter().any(|n| n == name) {
            faults.push(Fault {
                path: dir.join(name),
                reason: format!("is missing: it holds {holds}"),
            });
        }
    }
    if out.models == 0 {
        faults.push(Fault {
            path: dir.clone(),
            reason: "defines no [[model]]; the built-in catalogue would be empty".into(),
        });
    }
    if !faults.is_empty() {
        return Err(faults);
    }
    out.source = source(&out, &texts);
    Ok(out)
}

/// The Rust source of `embedded.rs`: the files with their text and tree, the model count and the
/// tree itself.
fn source(e: &Embedded, texts: &[String]) -> String {
    let mut files = String::new();
    for ((name, text), root) in e.names.iter().zip(texts).zip(&e.roots) {
        // `Debug` writes a string as a valid Rust literal.
        let _ = writeln!(
            files,
            "    EmbeddedFile {{ name: {name:?}, text: {text:?}, root: {} }},",
            root.rust()
        );
    }
    let values: Vec<String> = e.tree.values.iter().map(Item::rust).collect();
    format!(
        "/// Every profile file, in name order: its name, its TOML text, and the same document in \
         [`TREE`].\n\
         pub static FILES: &[EmbeddedFile] = &[\n{files}];\n\n\
         /// How many models [`FILES`] define, so the catalogue takes its room at once.\n\
         pub const MODELS: usize = {models};\n\n\
         /// The documents of [`FILES`]: their values, and every string they hold.\n\
         pub static TREE: Tree = Tree {{ values: &VALUES, strings: STRINGS }};\n\n\
         static VALUES: [Value; {len}] = [{values}];\n\n\
         const STRINGS: &str = {strings:?};\n",
        models = e.models,
        len = values.len(),
        values = values.join(", "),
        strings = e.tree.strings,
    )
}

/// One value of the flat tree, as `catalogue::tree::Value` holds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    /// A string: its byte offset and length in [`Tree::strings`].
    Str(u32, u32),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A boolean.
    Bool(bool),
    /// An array: the index of its first element in [`Tree::values`], and its length.
    Array(u32, u32),
    /// A table: the index of its first key in [`Tree::values`], and its number of entries; keys
    /// and values alternate.
    Table(u32, u32),
}

impl Item {
    /// The value as a Rust expression. A finite float's `Debug` form is a valid Rust literal.
    pub fn rust(&self) -> String {
        match *self {
            Item::Str(at, len) => format!("Str({at}, {len})"),
            Item::Int(i) => format!("Int({i})"),
            Item::Float(f) if f.is_nan() => "Float(f64::NAN)".into(),
            Item::Float(f) if f == f64::INFINITY => "Float(f64::INFINITY)".into(),
            Item::Float(f) if f == f64::NEG_INFINITY => "Float(f64::NEG_INFINITY)".into(),
            Item::Float(f) => format!("Float({f:?})"),
            Item::Bool(b) => format!("Bool({b})"),
            Item::Array(first, len) => format!("Array({first}, {len})"),
            Item::Table(first, len) => format!("Table({first}, {len})"),
        }
    }
}

/// The documents laid out flat, as `catalogue::tree` reads them: a value is a number or an offset,
/// so the tree holds no pointers and the loader has nothing to relocate at start-up. The children
/// of an array or a table (key, value, key, value, ...) are consecutive values.
#[derive(Debug, Default)]
pub struct Tree {
    /// Every value.
    pub values: Vec<Item>,
    /// Every distinct string, concatenated.
    pub strings: String,
    /// Where each string already is in `strings`.
    seen: HashMap<String, u32>,
}

impl Tree {
    /// A string, stored once however often it occurs.
    fn string(&mut self, s: &str) -> Result<Item, String> {
        let start = match self.seen.get(s) {
            Some(&at) => at,
            None => {
                let at = small(self.strings.len())?;
                self.strings.push_str(s);
                self.seen.insert(s.to_string(), at);
                at
            }
        };
        Ok(Item::Str(start, small(s.len())?))
    }

    /// Lays out a table found at `path` (a dotted key path, empty for the root).
    pub fn table(&mut self, t: &toml::Table, path: &str) -> Result<Item, String> {
        let first = self.reserve(2 * t.len());
        for (i, (k, v)) in t.iter().enumerate() {
            self.values[first + 2 * i] = self.string(k)?;
            let here = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            self.values[first + 2 * i + 1] = self.value(v, &here)?;
        }
        Ok(Item::Table(small(first)?, small(t.len())?))
    }

    /// Lays out one value found at `path`.
    fn value(&mut self, v: &toml::Value, path: &str) -> Result<Item, String> {
        Ok(match v {
            toml::Value::String(s) => self.string(s)?,
            toml::Value::Integer(i) => Item::Int(*i),
            toml::Value::Float(f) => Item::Float(*f),
            toml::Value::Boolean(b) => Item::Bool(*b),
            // No field of the formats is a date, and the tree has none.
            toml::Value::Datetime(d) => {
                return Err(format!(
                    "`{path}` is a TOML date ({d}); the catalogue's dates are text: write \"{d}\""
                ))
            }
            toml::Value::Array(a) => {
                let first = self.reserve(a.len());
                for (i, x) in a.iter().enumerate() {
                    self.values[first + i] = self.value(x, &format!("{path}[{i}]"))?;
                }
                Item::Array(small(first)?, small(a.len())?)
            }
            toml::Value::Table(t) => self.table(t, path)?,
        })
    }

    /// Room for `n` consecutive values; the index of the first.
    fn reserve(&mut self, n: usize) -> usize {
        let first = self.values.len();
        self.values.resize(first + n, Item::Bool(false));
        first
    }
}

/// An offset or a length as the tree stores it.
fn small(n: usize) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| "the catalogue is too large to embed (over 4 GB)".to_string())
}
