//! An output file written in full before it replaces anything, and sets of them put in place all
//! together or not at all.
//!
//! A regular or new file is written to a temporary file in the same folder and renamed over the
//! target when complete, so a failed or interrupted run never leaves a half-written file:
//! - the temporary file is created with the target's mode (0666 for a new file), which the umask
//!   narrows, so it is never more readable than the file it replaces;
//! - before the rename it gets the old file's owner and group where permitted, then its exact mode;
//! - a file with several hard links is replaced under this name only: the other names keep the old
//!   content.
//!
//! A device, FIFO or socket is opened and written directly (see [`super::target`]).
//!
//! [`commit_all`] puts several files in place as one step: every file is written and synced
//! first; the renames then run under the lock that signals wait for (see [`crate::interrupt`]), and
//! if one fails, the files already renamed are put back from hard-linked copies of the old ones.

use super::target::{Kind, Target};
use crate::error::{Error, Result};
use crate::interrupt::{self, Registered};
use std::io::Write;
use std::path::Path;

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

enum Body {
    /// Written beside the target, renamed over it at the end.
    Temp {
        tmp: tempfile::NamedTempFile,
        reg: Registered,
    },
    /// A device, FIFO or socket, written in place.
    Direct(std::fs::File),
}

/// A file written in pieces and put in place only when complete.
///
/// Dropping it without [`AtomicFile::commit`] removes the temporary file, so an error part-way
/// leaves nothing behind.
pub struct AtomicFile {
    target: Target,
    body: Body,
}

impl AtomicFile {
    /// Resolves `path` (see [`Target::resolve`]) and opens it for writing.
    pub fn create(path: &Path) -> Result<AtomicFile> {
        AtomicFile::open(Target::resolve(path)?)
    }

    /// Opens a resolved target for writing: a temporary file beside it, or the file itself.
    pub fn open(target: Target) -> Result<AtomicFile> {
        let body = match &target.kind {
            Kind::Special => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&target.real)
                    .map_err(|e| {
                        Error::Output(format!(
                            "{}: cannot write to it ({}): {e}",
                            target.shown.display(),
                            special_kind(&target.real)
                        ))
                    })?;
                Body::Direct(file)
            }
            kind => {
                let mode = match kind {
                    Kind::Regular(m) => permissions_of(m),
                    _ => 0o666,
                };
                let mut builder = tempfile::Builder::new();
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    builder.permissions(std::fs::Permissions::from_mode(mode));
                }
                #[cfg(not(unix))]
                let _ = mode;
                // Created and registered under the lock, so a signal cannot fall in between.
                let mut held = interrupt::hold();
                let tmp = builder.tempfile_in(target.dir()).map_err(|e| {
                    let dir = target.dir().display();
                    let why = match e.kind() {
                        std::io::ErrorKind::NotFound => format!("the folder {dir} does not exist"),
                        std::io::ErrorKind::PermissionDenied => {
                            format!("no permission to create a file in {dir}")
                        }
                        _ => format!("cannot create a file in {dir}: {e}"),
                    };
                    Error::Output(format!("{}: cannot write: {why}", target.shown.display()))
                })?;
                let reg = held.register(tmp.path());
                Body::Temp { tmp, reg }
            }
        };
        Ok(AtomicFile { target, body })
    }

    /// The path as given.
    pub fn shown(&self) -> &Path {
        &self.target.shown
    }

    /// The file to write to.
    pub fn file(&mut self) -> &mut std::fs::File {
        match &mut self.body {
            Body::Temp { tmp, .. } => tmp.as_file_mut(),
            Body::Direct(f) => f,
        }
    }

    /// Writes all of `bytes`, naming the file if that fails.
    pub fn write_all(&mut self, bytes: &[u8]) -> Result<()> {
        let shown = self.target.shown.display().to_string();
        self.file()
            .write_all(bytes)
            .map_err(|e| Error::Output(format!("{shown}: cannot write: {e}")))
    }

    /// A writer to the file that has the disk catch up while writing goes on: after every
    /// [`SYNC_EVERY`] bytes a helper thread syncs what is written so far. The final sync in
    /// [`commit_all`] then has little left, which matters for long streamed outputs. A file written
    /// directly is not synced.
    pub fn syncing(&mut self) -> Result<Syncing> {
        let shown = self.target.shown.display().to_string();
        let fail = |e: std::io::Error| Error::Output(format!("{shown}: cannot write: {e}"));
        let direct = matches!(self.body, Body::Direct(_));
        let file = self.file().try_clone().map_err(fail)?;
        if direct {
            return Ok(Syncing {
                file,
                unsynced: 0,
                ask: None,
                helper: None,
            });
        }
        let helper_file = file.try_clone().map_err(fail)?;
        let (ask, asked) = std::sync::mpsc::sync_channel::<()>(1);
        // Errors are left to `commit_all`, whose own sync reports them.
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

    /// Puts the file in place.
    pub fn commit(self) -> Result<()> {
        commit_all(vec![self])
    }

    /// Gives the temporary file the old file's owner and mode, then syncs it.
    fn finish(&mut self) -> Result<()> {
        let shown = self.target.shown.display().to_string();
        let fail = |e: std::io::Error| Error::Output(format!("{shown}: cannot write: {e}"));
        let Body::Temp { tmp, .. } = &self.body else {
            return Ok(());
        };
        #[cfg(unix)]
        if let Kind::Regular(old) = &self.target.kind {
            use std::os::unix::fs::{MetadataExt, PermissionsExt};
            // Only root may give a file away; a group may be set by a member. Neither is an error:
            // the file is then owned by whoever ran the command, as a new file would be.
            if std::os::unix::fs::fchown(tmp.as_file(), Some(old.uid()), Some(old.gid())).is_err() {
                let _ = std::os::unix::fs::fchown(tmp.as_file(), None, Some(old.gid()));
            }
            // Set after the owner, which may clear the set-id bits.
            tmp.as_file()
                .set_permissions(std::fs::Permissions::from_mode(old.mode() & 0o7777))
                .map_err(fail)?;
        }
        tmp.as_file().sync_all().map_err(fail)
    }
}

/// The permission bits to create a replacement with: the old file's, which the umask may narrow.
fn permissions_of(m: &std::fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        m.permissions().mode() & 0o777
    }
    #[cfg(not(unix))]
    {
        let _ = m;
        0o666
    }
}

/// A word for what a special file is, for messages.
fn special_kind(path: &Path) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if let Ok(m) = std::fs::metadata(path) {
            let t = m.file_type();
            return if t.is_fifo() {
                "a FIFO"
            } else if t.is_socket() {
                "a socket, which cannot be opened as a file"
            } else if t.is_char_device() {
                "a character device"
            } else if t.is_block_device() {
                "a block device"
            } else {
                "not a regular file"
            };
        }
    }
    let _ = path;
    "not a regular file"
}

/// Puts every file in place, or none of them: see the module documentation.
pub fn commit_all(files: Vec<AtomicFile>) -> Result<()> {
    let mut files = files;
    for f in &mut files {
        f.finish()?;
    }
    let several = files
        .iter()
        .filter(|f| matches!(f.body, Body::Temp { .. }))
        .count()
        > 1;
    let mut held = interrupt::hold();
    // Hard-linked copies of the files about to be replaced, to put back if a later rename fails.
    let mut backups: Vec<Option<tempfile::NamedTempFile<()>>> = Vec::with_capacity(files.len());
    for f in &files {
        let b = match (&f.body, &f.target.kind) {
            (Body::Temp { .. }, Kind::Regular(_)) if several => tempfile::Builder::new()
                .prefix(".bak")
                .make_in(f.target.dir(), |p| std::fs::hard_link(&f.target.real, p))
                .ok(),
            _ => None,
        };
        backups.push(b);
    }
    let mut placed: Vec<(std::path::PathBuf, Option<tempfile::NamedTempFile<()>>)> = Vec::new();
    let mut failure = None;
    for (f, backup) in files.into_iter().zip(backups) {
        let AtomicFile { target, body } = f;
        let Body::Temp { tmp, reg } = body else {
            continue;
        };
        if failure.is_some() {
            drop(tmp);
            held.done(reg);
            continue;
        }
        match tmp.persist(&target.real) {
            Ok(_) => placed.push((target.real.clone(), backup)),
            Err(e) => {
                failure = Some(Error::Output(format!(
                    "{}: cannot write: {}",
                    target.shown.display(),
                    e.error
                )));
                drop(e.file);
            }
        }
        held.done(reg);
    }
    if let Some(err) = failure {
        for (path, backup) in placed {
            match backup {
                Some(b) => {
                    let _ = b.persist(&path);
                }
                None => {
                    let _ = std::fs::remove_file(&path);
                }
            }
        }
        return Err(err);
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).expect("exists").permissions().mode() & 0o7777
    }

    #[test]
    fn a_replaced_file_keeps_its_mode_and_a_failed_set_changes_nothing() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let d = tmp.path();
        let a = d.join("a.csv");
        std::fs::write(&a, "old a").expect("write");
        std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        let mut f = AtomicFile::create(&a).expect("opens");
        f.write_all(b"new a").expect("writes");
        f.commit().expect("commits");
        assert_eq!(std::fs::read_to_string(&a).expect("read"), "new a");
        assert_eq!(mode(&a), 0o640);

        // The second file's folder is replaced by a plain file after it was opened, so its rename
        // fails: the first file, already renamed, is put back.
        let sub = d.join("sub");
        std::fs::create_dir(&sub).expect("mkdir");
        let mut first = AtomicFile::create(&a).expect("opens");
        first.write_all(b"newer a").expect("writes");
        let b = sub.join("b.svg");
        std::fs::write(&b, "old b").expect("write");
        let mut second = AtomicFile::create(&b).expect("opens");
        second.write_all(b"new b").expect("writes");
        std::fs::remove_file(&b).expect("rm");
        std::fs::create_dir(&b).expect("a folder where the file was");
        std::fs::write(b.join("x"), "keeps the folder non-empty").expect("write");
        assert!(commit_all(vec![first, second]).is_err());
        assert_eq!(std::fs::read_to_string(&a).expect("read"), "new a");
        let left: Vec<_> = std::fs::read_dir(d)
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(left.len(), 2, "temporary files left: {left:?}");
    }
}
