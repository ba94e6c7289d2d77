//! Embeds every file under `profiles/` into the binary, so the tool works from any directory.
//!
//! Each TOML file is also parsed here, once, and written out as Rust constants holding the same
//! document as a tree of values (`catalogue::tree`). `rank` should start in about a millisecond,
//! and reading that tree costs no parsing at all. The TOML text is embedded too: it is what
//! `check` and the error messages read, and what the tests check the tree against.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("profiles");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_default();
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    paths.sort();
    let mut tree = Tree::default();
    let mut files = String::new();
    let mut models = 0;
    for p in &paths {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let text = std::fs::read_to_string(p).unwrap_or_default();
        let root = match text.parse::<toml::Table>() {
            Ok(t) => {
                models += t
                    .get("model")
                    .and_then(|m| m.as_array())
                    .map_or(0, Vec::len);
                tree.table(&t)
                    .map_or("None".into(), |r| format!("Some({r})"))
            }
            Err(_) => "None".into(),
        };
        writeln!(
            files,
            "    EmbeddedFile {{ name: {name:?}, text: include_str!({:?}), root: {root} }},",
            p.display().to_string(),
        )
        .ok();
    }
    let mut out = String::new();
    writeln!(
        out,
        "/// Every profile file: its name, its TOML text, and the same document in [`TREE`] \
         (`None` when the TOML does not parse or holds a date, which only the TOML reader can \
         report).\n\
         pub static FILES: &[EmbeddedFile] = &[\n{files}];\n\n\
         /// How many models [`FILES`] define, so the catalogue takes its room at once.\n\
         pub const MODELS: usize = {models};\n\n\
         /// The documents of [`FILES`]: their values, and every string they hold.\n\
         pub static TREE: Tree = Tree {{ values: &VALUES, strings: STRINGS }};\n\n\
         static VALUES: [Value; {}] = [{}];\n\n\
         const STRINGS: &str = {:?};",
        tree.values.len(),
        tree.values.join(", "),
        tree.strings,
    )
    .ok();
    std::fs::write(Path::new(&out_dir).join("embedded.rs"), out).ok();
}

/// The documents laid out flat, as `catalogue::tree` reads them: a value is a number or an
/// offset, so the tree holds no pointers and the loader has nothing to relocate at start-up.
/// The children of an array or a table (key, value, key, value, ...) are consecutive values.
#[derive(Default)]
struct Tree {
    /// Each value as a Rust expression.
    values: Vec<String>,
    /// Every distinct string, concatenated.
    strings: String,
    /// Where each string already is in `strings`.
    seen: HashMap<String, usize>,
}

impl Tree {
    /// A string as a `Value::Str` expression.
    fn string(&mut self, s: &str) -> String {
        let start = match self.seen.get(s) {
            Some(&at) => at,
            None => {
                let at = self.strings.len();
                self.strings.push_str(s);
                self.seen.insert(s.to_string(), at);
                at
            }
        };
        format!("Str({start}, {})", s.len())
    }

    /// Lays out a table; `None` if it holds a value the tree cannot.
    fn table(&mut self, t: &toml::Table) -> Option<String> {
        let first = self.reserve(2 * t.len());
        for (i, (k, v)) in t.iter().enumerate() {
            self.values[first + 2 * i] = self.string(k);
            self.values[first + 2 * i + 1] = self.value(v)?;
        }
        Some(format!("Table({first}, {})", t.len()))
    }

    /// Lays out one value. A finite float's `Debug` form is a valid Rust literal.
    fn value(&mut self, v: &toml::Value) -> Option<String> {
        Some(match v {
            toml::Value::String(s) => self.string(s),
            toml::Value::Integer(i) => format!("Int({i})"),
            toml::Value::Float(f) if f.is_nan() => "Float(f64::NAN)".into(),
            toml::Value::Float(f) if f.is_infinite() && *f > 0.0 => "Float(f64::INFINITY)".into(),
            toml::Value::Float(f) if f.is_infinite() => "Float(f64::NEG_INFINITY)".into(),
            toml::Value::Float(f) => format!("Float({f:?})"),
            toml::Value::Boolean(b) => format!("Bool({b})"),
            // No field of the formats is a date: such a file is refused, by the TOML reader.
            toml::Value::Datetime(_) => return None,
            toml::Value::Array(a) => {
                let first = self.reserve(a.len());
                for (i, x) in a.iter().enumerate() {
                    self.values[first + i] = self.value(x)?;
                }
                format!("Array({first}, {})", a.len())
            }
            toml::Value::Table(t) => self.table(t)?,
        })
    }

    /// Room for `n` consecutive values; the index of the first.
    fn reserve(&mut self, n: usize) -> usize {
        let first = self.values.len();
        self.values.resize(first + n, String::new());
        first
    }
}
