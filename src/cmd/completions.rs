//! `llmplan completions`: a completion script for the shell, generated from the same clap
//! definitions that parse the command line, so it always knows every command and flag.

use super::{Context, Outcome};
use crate::cli::{Cli, CompletionsArgs};
use crate::error::Result;
use clap::CommandFactory;

/// Runs the command.
pub fn run(args: &CompletionsArgs, _ctx: &Context) -> Result<Outcome> {
    Ok(Outcome::verbatim(script(args.shell)))
}

/// The completion script for a shell.
pub fn script(shell: clap_complete::Shell) -> String {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "llmplan", &mut out);
    String::from_utf8_lossy(&out).into_owned()
}
