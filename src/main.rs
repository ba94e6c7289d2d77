//! The `llmplan` binary: parse, run, map errors to exit codes.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = llmplan::cli::Cli::parse();
    match llmplan::run(cli) {
        Ok(code) => ExitCode::from(code as u8),
        Err(e) => {
            llmplan::say(&format!("error: {e}"));
            ExitCode::from(e.exit_code() as u8)
        }
    }
}
