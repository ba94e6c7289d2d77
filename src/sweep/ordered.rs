//! Numbered jobs run on several threads, their results taken in number order.
//!
//! A sweep's rows must leave in grid order, but computing them in fixed waves leaves threads idle
//! while the slowest job of each wave finishes. Here each thread claims the next job as soon as it
//! is free; the caller takes results in order as they become available. A thread does not start
//! a job more than `window` ahead of the next one to be taken, so at most `window + threads`
//! results wait in memory, whatever the number of jobs.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

struct State<T> {
    ready: BTreeMap<u64, T>,
    /// The next job the caller will take.
    next: u64,
    /// Set when the caller stops early; threads then finish.
    stop: bool,
}

/// Runs `work(0)`, `work(1)`, … `work(jobs − 1)` on `threads` threads and calls `take` with the
/// results in order. `take` returns `false` to stop early (jobs under way finish; no new ones
/// start).
pub fn run<T: Send>(
    jobs: u64,
    threads: usize,
    window: u64,
    work: impl Fn(u64) -> T + Sync,
    mut take: impl FnMut(T) -> bool,
) {
    let state = Mutex::new(State {
        ready: BTreeMap::new(),
        next: 0,
        stop: false,
    });
    let (room, done) = (Condvar::new(), Condvar::new());
    let claimed = AtomicU64::new(0);
    let lock = || -> MutexGuard<'_, State<T>> {
        // A poisoned lock means a thread panicked; the scope re-raises that panic.
        state.lock().unwrap_or_else(|e| e.into_inner())
    };
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| loop {
                let job = claimed.fetch_add(1, Ordering::Relaxed);
                if job >= jobs {
                    return;
                }
                {
                    let mut s = lock();
                    while !s.stop && job >= s.next + window {
                        s = room.wait(s).unwrap_or_else(|e| e.into_inner());
                    }
                    if s.stop {
                        return;
                    }
                }
                let result = work(job);
                let mut s = lock();
                if s.stop {
                    return;
                }
                s.ready.insert(job, result);
                done.notify_one();
            });
        }
        for job in 0..jobs {
            let result = {
                let mut s = lock();
                loop {
                    if let Some(r) = s.ready.remove(&job) {
                        s.next = job + 1;
                        room.notify_all();
                        break r;
                    }
                    s = done.wait(s).unwrap_or_else(|e| e.into_inner());
                }
            };
            if !take(result) {
                break;
            }
        }
        lock().stop = true;
        room.notify_all();
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;

    #[test]
    fn results_come_in_order_whatever_the_finishing_order() {
        let mut seen = Vec::new();
        // Early jobs take longest, so later ones finish first.
        run(
            40,
            4,
            8,
            |j| {
                std::thread::sleep(std::time::Duration::from_micros(200 * (40 - j)));
                j * j
            },
            |r| {
                seen.push(r);
                true
            },
        );
        assert_eq!(seen, (0..40).map(|j| j * j).collect::<Vec<_>>());
    }

    #[test]
    fn no_job_starts_beyond_the_window() {
        let taken = AtomicU64::new(0);
        let worst = AtomicU64::new(0);
        run(
            200,
            3,
            5,
            |j| {
                let ahead = j.saturating_sub(taken.load(Ordering::SeqCst));
                worst.fetch_max(ahead, Ordering::SeqCst);
                j
            },
            |_| {
                taken.fetch_add(1, Ordering::SeqCst);
                true
            },
        );
        // A job starts only while it is less than `window` ahead of the next one to be taken,
        // which is at most one beyond those `take` has counted.
        assert!(worst.load(Ordering::SeqCst) <= 5, "{worst:?}");
    }

    #[test]
    fn stopping_early_starts_no_more_jobs() {
        let started = AtomicUsize::new(0);
        let mut taken = 0;
        run(
            1000,
            2,
            4,
            |j| {
                started.fetch_add(1, Ordering::SeqCst);
                j
            },
            |_| {
                taken += 1;
                taken < 3
            },
        );
        assert_eq!(taken, 3);
        // Three taken, and at most a window and a job per thread beyond them.
        assert!(started.load(Ordering::SeqCst) <= 3 + 4 + 2, "{started:?}");
    }
}
