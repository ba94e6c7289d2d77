//! `llmplan init`: a commented starting scenario, to stdout or `--output`.

use super::{Context, Outcome};
use crate::cli::InitArgs;
use crate::error::{Error, Result};

/// Runs the command.
pub fn run(args: &InitArgs, ctx: &Context) -> Result<Outcome> {
    if let Some(path) = &ctx.output {
        if path.exists() && !args.force {
            return Err(Error::Usage(format!(
                "{} already exists; pass --force to replace it, or choose another --output",
                path.display()
            )));
        }
    }
    let preset = args.preset;
    let mut text = format!(
        "# Written by `llmplan init --preset {}`.\n\
         # Editors: save `llmplan schema scenario` as scenario.schema.json beside this file and put\n\
         # `#:schema ./scenario.schema.json` on the first line; VS Code (Even Better TOML) and Taplo\n\
         # then check and complete every key as you type.\n#\n",
        preset.name()
    );
    text.push_str(preset.text());
    let mut outcome = Outcome::verbatim(text);
    if let (Some(path), false) = (&ctx.output, ctx.quiet) {
        outcome.messages.push(format!(
            "wrote {}; next: llmplan check {0} && llmplan rank {0}",
            path.display()
        ));
    }
    Ok(outcome)
}
