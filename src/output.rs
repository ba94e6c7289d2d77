//! Writing results: to stdout, or atomically to `--output FILE`.
//!
//! A file is written to a temporary sibling and renamed into place only when the whole text is
//! ready, so a failed run never leaves a half-written file. A closed pipe (`| head`) is not an
//! error.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Writes `text` to `output`, or to stdout when there is none.
pub fn emit(text: &str, output: Option<&Path>) -> Result<()> {
    match output {
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    Err(Error::Output(format!("writing to stdout: {e}")))
                }
                _ => Ok(()),
            }
        }
        Some(path) => write_atomic(path, text.as_bytes()),
    }
}

/// Writes bytes to a temporary file beside `path`, then renames it into place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let shown = path.display();
    if path.is_dir() {
        return Err(Error::Output(format!(
            "{shown}: --output names a directory; give a file name"
        )));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let fail = |e: std::io::Error| Error::Output(format!("{shown}: cannot write: {e}"));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
