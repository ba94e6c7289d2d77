//! Embeds every file under `profiles/` into the binary, so the tool works from any directory.
//!
//! Each TOML file is also converted to JSON here, once, because parsing JSON at run time is about
//! ten times cheaper than parsing TOML and `rank` should start in a few milliseconds. The TOML text
//! is embedded too: when anything in an embedded file is wrong, it is re-read from the TOML so the
//! message can name the line.

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
    let mut out = String::from(
        "/// Every profile file: name, TOML text, and the same document as JSON (empty if it did not parse).\n\
         pub static FILES: &[(&str, &str, &str)] = &[\n",
    );
    for p in &paths {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let text = std::fs::read_to_string(p).unwrap_or_default();
        let json = text
            .parse::<toml::Table>()
            .ok()
            .map(|t| to_json(&toml::Value::Table(t)).to_string())
            .unwrap_or_default();
        let json_path = Path::new(&out_dir).join(format!("{name}.json"));
        std::fs::write(&json_path, json).ok();
        writeln!(
            out,
            "    ({name:?}, include_str!({:?}), include_str!({:?})),",
            p.display().to_string(),
            json_path.display().to_string()
        )
        .ok();
    }
    out.push_str("];\n");
    std::fs::write(Path::new(&out_dir).join("embedded.rs"), out).ok();
}

fn to_json(v: &toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        toml::Value::Integer(i) => serde_json::Value::from(*i),
        // A float keeps its shortest round-trip form, exactly as the TOML reader would see it.
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        toml::Value::Boolean(b) => serde_json::Value::Bool(*b),
        // A bare TOML date would not parse as the string field the format requires; keep it a
        // string marker that fails validation the same way, so the TOML re-read reports it.
        toml::Value::Datetime(d) => serde_json::json!({ "$datetime": d.to_string() }),
        toml::Value::Array(a) => serde_json::Value::Array(a.iter().map(to_json).collect()),
        toml::Value::Table(t) => {
            serde_json::Value::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}
