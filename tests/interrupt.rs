//! A signal during a long sweep: the temporary file beside `--output` is removed, the file that
//! was there is left exactly as it was, and the exit code is 128 + the signal (130 for SIGINT,
//! 143 for SIGTERM, 129 for SIGHUP).
//!
//! The sweep has a hundred million points, far more than it can write before the signal: the test
//! waits until the temporary file exists and holds rows, then signals, so it takes well under a
//! second a signal and never depends on how fast the machine is.

#![cfg(unix)]

mod common;

use common::root;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn temporary_files(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".tmp"))
        })
        .collect()
}

#[test]
fn a_signal_mid_sweep_removes_the_temporary_file_and_keeps_the_old_output() {
    for (signal, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let tmp = tempfile::tempdir().expect("temp dir");
        let out = tmp.path().join("rows.csv");
        std::fs::write(&out, "previous rows\n").expect("write");
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("llmplan"))
            .current_dir(root())
            .args([
                "sweep",
                "scenarios/support-chatbot.toml",
                "--vary",
                "workload.chat.requests_per_day=1..100000000/100000000",
                "--format",
                "csv",
                "--quiet",
                "--output",
            ])
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        let started = Instant::now();
        // Wait until rows are being written to the temporary file.
        loop {
            let writing = temporary_files(tmp.path())
                .iter()
                .any(|p| std::fs::metadata(p).is_ok_and(|m| m.len() > 0));
            if writing {
                break;
            }
            if started.elapsed() > Duration::from_secs(60)
                || child.try_wait().ok().flatten().is_some()
            {
                let _ = child.kill();
                panic!("SIG{signal}: the sweep never started writing rows");
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        let sent = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .expect("kill runs");
        assert!(sent.success());
        let status = loop {
            if let Some(s) = child.try_wait().expect("waits") {
                break s;
            }
            if started.elapsed() > Duration::from_secs(60) {
                let _ = child.kill();
                panic!("SIG{signal}: the sweep did not stop");
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let stderr = child
            .wait_with_output()
            .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
            .unwrap_or_default();
        assert_eq!(status.code(), Some(code), "SIG{signal}: {stderr}");
        assert!(
            stderr.contains(&format!("stopped by SIG{signal}")),
            "{stderr}"
        );
        assert_eq!(
            temporary_files(tmp.path()),
            Vec::<std::path::PathBuf>::new(),
            "SIG{signal} left a temporary file"
        );
        assert_eq!(
            std::fs::read_to_string(&out).expect("still there"),
            "previous rows\n",
            "SIG{signal} changed the old output"
        );
    }
}
