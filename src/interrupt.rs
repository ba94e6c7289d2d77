//! Interruption: on SIGINT, SIGTERM or SIGHUP the temporary files of outputs not yet in place are
//! removed and the process exits with 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM,
//! 129 for SIGHUP. An output file that already existed is left exactly as it was.
//!
//! Output files are written beside their target and renamed into place at the end (see
//! [`crate::output`]). Each temporary path is registered here for as long as it exists. Signals are
//! taken on a thread of their own (through `signal-hook`, so this crate keeps `unsafe_code =
//! "forbid"`), which removes every registered file and exits. Putting a set of files in place holds
//! the same lock, so a signal that arrives in the middle waits until every file of the set is in
//! place: an interrupted run never leaves a mixed set.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// The temporary files that exist now, by registration number.
pub struct Pending {
    next: u64,
    paths: BTreeMap<u64, PathBuf>,
}

static PENDING: Mutex<Pending> = Mutex::new(Pending {
    next: 0,
    paths: BTreeMap::new(),
});

fn lock() -> MutexGuard<'static, Pending> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// A registered temporary file; dropping it forgets the path (the file itself is removed by its
/// owner).
#[derive(Debug)]
pub struct Registered(u64);

impl Drop for Registered {
    fn drop(&mut self) {
        lock().paths.remove(&self.0);
    }
}

/// The lock held while temporary files are created or put in place: a signal waits for it.
pub struct Held(MutexGuard<'static, Pending>);

impl Held {
    /// Registers a temporary file that was just created under this lock.
    pub fn register(&mut self, path: &Path) -> Registered {
        let id = self.0.next;
        self.0.next += 1;
        self.0.paths.insert(id, path.to_path_buf());
        Registered(id)
    }

    /// Forgets a file that is now in place (or removed), without taking the lock again.
    pub fn done(&mut self, r: Registered) {
        self.0.paths.remove(&r.0);
        std::mem::forget(r);
    }
}

/// Takes the lock: no signal is acted on until it is dropped.
pub fn hold() -> Held {
    Held(lock())
}

/// Starts listening for SIGINT, SIGTERM and SIGHUP. Called once, at the start of a run; where
/// signals cannot be caught the default behaviour stays.
pub fn install() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            else {
                return;
            };
            let _ = std::thread::Builder::new()
                .name("signals".into())
                .spawn(move || {
                    if let Some(sig) = signals.forever().next() {
                        stop(sig);
                    }
                });
        });
    }
}

/// The exit code for a signal: 128 + its number.
pub fn exit_code(signal: i32) -> i32 {
    128 + signal
}

/// Removes every registered file and exits.
fn stop(signal: i32) -> ! {
    let mut pending = lock();
    for path in pending.paths.values() {
        let _ = std::fs::remove_file(path);
    }
    pending.paths.clear();
    let name = match signal {
        1 => "SIGHUP",
        2 => "SIGINT",
        15 => "SIGTERM",
        _ => "a signal",
    };
    use std::io::Write;
    let _ = writeln!(
        std::io::stderr(),
        "llmplan: stopped by {name}; unfinished output files were removed and existing ones left as they were"
    );
    std::process::exit(exit_code(signal))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_follows_the_file() {
        let mut held = hold();
        let a = held.register(Path::new("/tmp/a"));
        let b = held.register(Path::new("/tmp/b"));
        let (ia, ib) = (a.0, b.0);
        held.done(a);
        drop(held);
        assert!(!lock().paths.contains_key(&ia));
        assert!(lock().paths.contains_key(&ib));
        drop(b);
        assert!(!lock().paths.contains_key(&ib));
        // 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP.
        assert_eq!((exit_code(2), exit_code(15), exit_code(1)), (130, 143, 129));
    }
}
