//! The one place progress bars are made, so every long command hides them the same way.
//!
//! A bar is drawn on stderr only when stderr is a terminal and `--quiet` was not given; otherwise
//! the bar is `ProgressBar::hidden()`, which accepts every call and draws nothing. Callers never
//! wrap it in `Option`.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A bar counting `len` units of `noun` (e.g. "points"), showing rate and time left.
pub fn bar(len: u64, noun: &str, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let pb = ProgressBar::with_draw_target(Some(len), ProgressDrawTarget::stderr());
    let template =
        format!("{{bar:40}} {{human_pos}}/{{human_len}} {noun}  {{per_sec}}  ETA {{eta}}");
    if let Ok(style) = ProgressStyle::with_template(&template) {
        pb.set_style(style);
    }
    pb
}

#[cfg(test)]
mod tests {
    #[test]
    fn quiet_bars_are_hidden() {
        assert!(super::bar(10, "points", true).is_hidden());
    }
}
