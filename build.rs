//! Embeds every file under `profiles/` into the binary, so the tool works from any directory.
//!
//! The work is done in `build/embed.rs` (which the tests include too): each file's text is
//! embedded together with the same document parsed once, as a tree of values the binary reads
//! without parsing (`catalogue::tree`). A folder that would give an empty or broken catalogue
//! stops the build, naming the file and the reason.
//!
//! The package folder is read from `CARGO_MANIFEST_DIR` when the script runs, not when it is
//! compiled: Cargo reuses a compiled build script across checkouts that share a target folder.

#[path = "build/embed.rs"]
mod embed;

use std::path::PathBuf;
use std::process::exit;

fn main() {
    let var = |name: &str| match std::env::var_os(name) {
        Some(v) => PathBuf::from(v),
        None => fail(&format!("{name} is not set; build the package with cargo")),
    };
    let package = var("CARGO_MANIFEST_DIR");
    let out = var("OUT_DIR").join("embedded.rs");
    // Watched before anything can fail, so that a fix to the folder is always seen.
    println!("cargo:rerun-if-changed=profiles");
    match embed::embed(&package) {
        Ok(e) => {
            for path in &e.watch[1..] {
                println!("cargo:rerun-if-changed={path}");
            }
            if let Err(err) = std::fs::write(&out, &e.source) {
                fail(&format!("cannot write {}: {err}", out.display()));
            }
        }
        Err(faults) => {
            let list: Vec<String> = faults.iter().map(ToString::to_string).collect();
            fail(&format!(
                "the built-in catalogue cannot be embedded:\n  {}",
                list.join("\n  ")
            ));
        }
    }
}

/// Stops the build with a message Cargo shows under the build script's output.
fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    exit(1)
}
