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
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes)?;
    file.commit()
}

/// Temporary files are private (0600); the file that replaces `path` should be as readable as
/// the one it replaces, or as an ordinary new file (0644).
fn readable(tmp: &tempfile::NamedTempFile, path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o777);
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = (tmp, path);
    Ok(())
}

/// Writes several files so that a failure leaves none of them half-written: every temporary file
/// is written and synced first, and only then are they renamed into place.
pub fn write_all_atomic(files: &[(std::path::PathBuf, String)]) -> Result<()> {
    let mut ready = Vec::with_capacity(files.len());
    for (path, text) in files {
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::Output(format!("{}: cannot write: {e}", path.display())))?;
        }
        let mut file = AtomicFile::create(path)?;
        file.write_all(text.as_bytes())?;
        // Sync every file before renaming any, so a late failure cannot leave a mixed set.
        file.file()
            .sync_all()
            .map_err(|e| Error::Output(format!("{}: cannot write: {e}", path.display())))?;
        ready.push(file);
    }
    for file in ready {
        file.commit()?;
    }
    Ok(())
}

/// Whether table output should be coloured: only for people, so only when it goes to a terminal
/// (or `CLICOLOR_FORCE` asks for it) and `NO_COLOR` is not set. See <https://no-color.org>.
pub fn colour_wanted(to_file: bool) -> bool {
    use std::io::IsTerminal;
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("NO_COLOR") || to_file {
        return false;
    }
    let forced = std::env::var_os("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0");
    forced || std::io::stdout().is_terminal()
}

/// Bytes written between background syncs of a [`Syncing`] writer.
pub const SYNC_EVERY: u64 = 8 << 20;

/// A writer from [`AtomicFile::syncing`]; dropping it waits for the helper thread.
pub struct Syncing {
    file: std::fs::File,
    unsynced: u64,
    ask: Option<std::sync::mpsc::SyncSender<()>>,
    helper: Option<std::thread::JoinHandle<()>>,
}

impl Write for Syncing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.file.write(buf)?;
        self.unsynced += n as u64;
        if self.unsynced >= SYNC_EVERY {
            self.unsynced = 0;
            if let Some(ask) = &self.ask {
                // A sync already under way will cover these bytes too, or the next one will.
                let _ = ask.try_send(());
            }
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.file.flush()
    }
}

impl Drop for Syncing {
    fn drop(&mut self) {
        drop(self.ask.take());
        if let Some(h) = self.helper.take() {
            let _ = h.join();
        }
    }
}

/// A file written in pieces and put in place only when complete: for commands that stream.
///
/// Dropping it without [`AtomicFile::commit`] removes the temporary file, so an error part-way
/// leaves nothing behind.
pub struct AtomicFile {
    path: std::path::PathBuf,
    tmp: tempfile::NamedTempFile,
}

impl AtomicFile {
    /// Opens a temporary file beside `path`.
    pub fn create(path: &Path) -> Result<AtomicFile> {
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
        let tmp = tempfile::NamedTempFile::new_in(dir)
            .map_err(|e| Error::Output(format!("{shown}: cannot write: {e}")))?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
        })
    }

    /// The file to write to.
    pub fn file(&mut self) -> &mut std::fs::File {
        self.tmp.as_file_mut()
    }

    /// Writes all of `bytes`, naming the file if that fails.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        self.tmp
            .write_all(bytes)
            .map_err(|e| Error::Output(format!("{}: cannot write: {e}", self.path.display())))
    }

    /// A writer to the file that has the disk catch up while writing goes on: after every
    /// [`SYNC_EVERY`] bytes a helper thread syncs what is written so far. The final sync in
    /// [`AtomicFile::commit`] then has little left, which matters for long streamed outputs.
    pub fn syncing(&mut self) -> Result<Syncing> {
        let fail = |e: std::io::Error| {
            Error::Output(format!("{}: cannot write: {e}", self.path.display()))
        };
        let file = self.tmp.as_file().try_clone().map_err(fail)?;
        let helper_file = file.try_clone().map_err(fail)?;
        let (ask, asked) = std::sync::mpsc::sync_channel::<()>(1);
        // Errors are left to `commit`, whose own sync reports them.
        let helper = std::thread::spawn(move || {
            while asked.recv().is_ok() {
                let _ = helper_file.sync_data();
            }
        });
        Ok(Syncing {
            file,
            unsynced: 0,
            ask: Some(ask),
            helper: Some(helper),
        })
    }

    /// Syncs the file and renames it into place, as readable as an ordinary new file.
    pub fn commit(self) -> Result<()> {
        let shown = self.path.display().to_string();
        let fail = |e: std::io::Error| Error::Output(format!("{shown}: cannot write: {e}"));
        readable(&self.tmp, &self.path).map_err(fail)?;
        self.tmp.as_file().sync_all().map_err(fail)?;
        self.tmp.persist(&self.path).map_err(|e| fail(e.error))?;
        Ok(())
    }
}
