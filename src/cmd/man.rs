//! `llmplan man`: manual pages in roff, generated from the clap definitions and their help text,
//! so `man llmplan` says what `--help` says.

use super::{Context, Outcome};
use crate::cli::{Cli, ManArgs};
use crate::error::{Error, Result};
use clap::CommandFactory;

/// Runs the command.
pub fn run(args: &ManArgs, _ctx: &Context) -> Result<Outcome> {
    Ok(Outcome::verbatim(page(args.command.as_deref())?))
}

/// The page `llmplan(1)`, or `llmplan-<command>(1)` for one subcommand.
pub fn page(command: Option<&str>) -> Result<String> {
    let mut cmd = Cli::command().disable_help_subcommand(true);
    // Building fills in the names the pages refer to each other by (`llmplan-rank`).
    cmd.build();
    let target = match command {
        None => cmd,
        Some(name) => cmd
            .find_subcommand(name)
            .cloned()
            .map(|s| s.version(env!("CARGO_PKG_VERSION")))
            .ok_or_else(|| {
                let names: Vec<&str> = cmd.get_subcommands().map(|s| s.get_name()).collect();
                Error::Usage(format!(
                    "no command `{name}`; pages exist for: {}",
                    names.join(", ")
                ))
            })?,
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(target)
        .render(&mut out)
        .map_err(|e| Error::Output(format!("writing the manual page: {e}")))?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}
