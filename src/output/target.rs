//! What an output path names, decided before anything is written.
//!
//! - A regular file, or a path that does not exist yet, is replaced atomically (see
//!   [`super::file`]).
//! - A symlink is followed, through any chain of links, to the file it names; that file is then
//!   written by the same rules. A dangling link names the file it would create.
//! - Anything else that exists (a character or block device, a FIFO, a socket) is written
//!   directly: renaming a file over `/dev/null` would replace the device.
//! - A directory is refused.
//!
//! Two outputs of one run are compared as files, not as spellings: by device and inode when the
//! file exists, by canonical folder and name when it does not.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The most links followed before a chain is called a loop (Linux's own limit).
const MAX_LINKS: usize = 40;

/// How a target is written.
#[derive(Debug, Clone)]
pub enum Kind {
    /// Does not exist yet: created atomically, with mode 0666 less the umask.
    New,
    /// A regular file: replaced atomically, its mode kept and its owner where permitted.
    Regular(std::fs::Metadata),
    /// A device, FIFO or socket: opened and written in place.
    Special,
}

/// An output path, resolved.
#[derive(Debug, Clone)]
pub struct Target {
    /// The path as given, for messages.
    pub shown: PathBuf,
    /// The file that is written: every symlink followed.
    pub real: PathBuf,
    /// How it is written.
    pub kind: Kind,
}

/// What two targets are compared by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Identity {
    /// An existing file: device and inode.
    Inode(u64, u64),
    /// A file still to be created: its canonical folder joined to its name.
    Path(PathBuf),
}

impl Target {
    /// Resolves a path given for output.
    pub fn resolve(path: &Path) -> Result<Target> {
        let shown = path.display();
        // The kernel follows links itself, /proc's included (`/dev/stdout` names a pipe as
        // `pipe:[N]`, which is no path): a file that exists is found through it.
        let real = match std::fs::metadata(path) {
            Ok(m) if m.is_file() => std::fs::canonicalize(path)
                .map_err(|e| Error::Output(format!("{shown}: cannot write: {e}")))?,
            Ok(_) => path.to_path_buf(),
            Err(_) => follow(path)?,
        };
        let kind = match std::fs::metadata(&real) {
            Ok(m) if m.is_dir() => {
                return Err(Error::Output(format!(
                    "{shown}: names a directory; give a file name"
                )))
            }
            Ok(m) if m.is_file() => Kind::Regular(m),
            Ok(_) => Kind::Special,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Kind::New,
            Err(e) => return Err(Error::Output(format!("{shown}: cannot write: {e}"))),
        };
        Ok(Target {
            shown: path.to_path_buf(),
            real,
            kind,
        })
    }

    /// The folder the file is in, where its temporary file goes.
    pub fn dir(&self) -> &Path {
        match self.real.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        }
    }

    /// What this target is compared by.
    pub fn identity(&self) -> Identity {
        if let Ok(m) = std::fs::metadata(&self.real) {
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                return Identity::Inode(m.dev(), m.ino());
            }
            #[cfg(not(unix))]
            let _ = m;
        }
        let dir = std::fs::canonicalize(self.dir()).unwrap_or_else(|_| self.dir().to_path_buf());
        match self.real.file_name() {
            Some(name) => Identity::Path(dir.join(name)),
            None => Identity::Path(self.real.clone()),
        }
    }
}

/// Follows symlinks from `path` to the path they finally name.
fn follow(path: &Path) -> Result<PathBuf> {
    let mut p = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = std::fs::read_link(&p).map_err(|e| {
                    Error::Output(format!("{}: cannot read the link: {e}", path.display()))
                })?;
                p = match p.parent() {
                    Some(dir) if to.is_relative() => dir.join(to),
                    _ => to,
                };
            }
            _ => return Ok(p),
        }
    }
    Err(Error::Output(format!(
        "{}: more than {MAX_LINKS} symbolic links in a row (a loop?); give the file itself",
        path.display()
    )))
}

/// Refuses two outputs that name the same file, whatever their spelling: the second would
/// overwrite the first. Each output comes with the flag that named it.
pub fn check_distinct(outputs: &[(&str, &Target)]) -> Result<()> {
    for (i, (flag_a, a)) in outputs.iter().enumerate() {
        for (flag_b, b) in &outputs[..i] {
            if a.identity() == b.identity() {
                return Err(Error::Usage(format!(
                    "{flag_b} {} and {flag_a} {} name the same file; give each output its own file",
                    b.shown.display(),
                    a.shown.display()
                )));
            }
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_are_followed_and_spellings_compared_as_files() {
        let tmp = tempfile::tempdir().expect("temp dir");
        let d = tmp.path();
        std::fs::write(d.join("a.txt"), "a").expect("write");
        std::os::unix::fs::symlink("a.txt", d.join("link")).expect("link");
        std::os::unix::fs::symlink("link", d.join("link2")).expect("link");
        std::os::unix::fs::symlink("nowhere.txt", d.join("dangling")).expect("link");
        std::os::unix::fs::symlink("loop", d.join("loop")).expect("link");
        let t = Target::resolve(&d.join("link2")).expect("resolves");
        assert_eq!(t.real, d.join("a.txt"));
        assert!(matches!(t.kind, Kind::Regular(_)));
        let t = Target::resolve(&d.join("dangling")).expect("resolves");
        assert_eq!(t.real, d.join("nowhere.txt"));
        assert!(matches!(t.kind, Kind::New));
        assert!(Target::resolve(&d.join("loop")).is_err());
        assert!(Target::resolve(d).is_err());
        assert!(matches!(
            Target::resolve(Path::new("/dev/null"))
                .expect("resolves")
                .kind,
            Kind::Special
        ));
        let same = |x: &str, y: &str| {
            let (x, y) = (
                Target::resolve(&d.join(x)).expect("x"),
                Target::resolve(&d.join(y)).expect("y"),
            );
            check_distinct(&[("--output", &x), ("--plot", &y)]).is_err()
        };
        assert!(same("a.txt", "link2"));
        assert!(same("a.txt", "./a.txt"));
        assert!(same("new.svg", "./new.svg"));
        assert!(same("dangling", "nowhere.txt"));
        assert!(!same("a.txt", "new.svg"));
        assert!(!same("new.svg", "other.svg"));
    }
}
