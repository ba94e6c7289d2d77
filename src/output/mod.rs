//! Writing results: to stdout, or to the files `--output` and `--plot` name.
//!
//! The output contract (also in the README):
//! - a regular file, or a path that does not exist yet, is written to a temporary file in the same
//!   folder and renamed into place when complete; a replaced file keeps its mode, and its owner
//!   where permitted; a new file gets 0666 less the umask ([`file`]);
//! - a symlink is followed and the file it names is written by the same rules; a device, FIFO or
//!   socket is written directly, never renamed over ([`target`]);
//! - `-o -` is stdout;
//! - the files of one run are put in place all together or not at all, and two outputs naming the
//!   same file, however spelt, are an error;
//! - a write error on stdout exits 2, a closed pipe (`| head`) is not an error, and a closed
//!   stdout is refused before any work is done;
//! - SIGINT, SIGTERM and SIGHUP remove temporary files and leave existing ones untouched
//!   ([`crate::interrupt`]).

pub mod file;
pub mod target;

pub use file::{commit_all, AtomicFile, Syncing, SYNC_EVERY};
pub use target::{check_distinct, Target};

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// `--output` as given, with `-` meaning stdout (`None`).
pub fn dest(output: Option<&Path>) -> Option<&Path> {
    output.filter(|p| p.as_os_str() != "-")
}

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

/// Writes several files so that a failure leaves none of them changed (see [`commit_all`]). Their
/// folders are created first.
pub fn write_all_atomic(files: &[(PathBuf, String)]) -> Result<()> {
    let mut ready = Vec::with_capacity(files.len());
    for (path, text) in files {
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| Error::Output(format!("{}: cannot write: {e}", path.display())))?;
        }
        let mut file = AtomicFile::create(path)?;
        file.write_all(text.as_bytes())?;
        ready.push(file);
    }
    commit_all(ready)
}

/// A chart file named by `--plot`: `-` is refused, since stdout carries the report.
pub fn plot_path(plot: &Path) -> Result<&Path> {
    if plot.as_os_str() == "-" {
        return Err(Error::Usage(
            "--plot -: stdout carries the report; give the chart a file name such as cost.svg"
                .into(),
        ));
    }
    Ok(plot)
}

/// Refuses a stdout that is closed, before any work is done: a report written to it would be
/// lost while the run still exited 0.
///
/// A program started with stdout closed (`llmplan rank S >&-`) finds `/dev/null`, opened for
/// reading and writing, in its place: the Rust runtime puts it there. That is what is refused.
/// `>/dev/null` opens it for writing only and is accepted; a caller that opens `/dev/null` for
/// reading and writing on purpose (Python's `subprocess.DEVNULL` does) looks the same as a closed
/// stdout and should pass `--output /dev/null` instead.
pub fn check_stdout_open() -> Result<()> {
    if stdout_is_closed() {
        return Err(Error::Output(
            "stdout is closed, so the report would be lost; give --output FILE, or discard it on purpose with >/dev/null or --output /dev/null".into(),
        ));
    }
    Ok(())
}

#[cfg(target_os = "linux")]
fn stdout_is_closed() -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let Ok(fd) = std::io::stdout().as_fd().try_clone_to_owned() else {
        return true;
    };
    let Ok(m) = std::fs::File::from(fd).metadata() else {
        return false;
    };
    let null = std::fs::metadata("/dev/null").map(|n| n.rdev()).ok();
    if Some(m.rdev()) != null || m.mode() & 0o170000 != 0o020000 {
        return false;
    }
    // The access mode of descriptor 1: O_RDWR (2) is how the runtime opens its stand-in.
    std::fs::read_to_string("/proc/self/fdinfo/1")
        .ok()
        .and_then(|info| {
            info.lines()
                .find_map(|l| l.strip_prefix("flags:"))
                .and_then(|f| u32::from_str_radix(f.trim(), 8).ok())
        })
        .is_some_and(|flags| flags & 0o3 == 0o2)
}

#[cfg(not(target_os = "linux"))]
fn stdout_is_closed() -> bool {
    false
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
