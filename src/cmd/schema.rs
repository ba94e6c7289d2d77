//! `llmplan schema`: the JSON Schema of a file format, for editors.

use super::{Context, Outcome};
use crate::cli::SchemaArgs;
use crate::error::Result;
use crate::schema::json_schema;

/// Runs the command.
pub fn run(args: &SchemaArgs, _ctx: &Context) -> Result<Outcome> {
    Ok(Outcome::verbatim(json_schema(args.kind)))
}
