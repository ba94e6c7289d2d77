//! `llmplan sweep`: a scenario over a grid of values, streamed row by row.
//!
//! The one command that writes its own output: rows leave as they are computed, through one
//! buffered writer (stdout, or a temporary file renamed into place at the end), so a grid of any
//! size runs in constant memory and a failed run leaves no `--output` file.

use super::rank::parse_objective;
use super::{Context, Outcome};
use crate::cli::SweepArgs;
use crate::error::{Error, Result};
use crate::output::AtomicFile;
use crate::render::Format;
use crate::sweep::sink::{Sink, Style};
use crate::sweep::{self, Summary};
use std::io::{BufWriter, Write};

/// Runs the command.
pub fn run(args: &SweepArgs, ctx: &Context) -> Result<Outcome> {
    let cat = ctx.catalogue()?;
    let objective = args.objective.as_deref().map(parse_objective).transpose()?;
    let engine = sweep::build(&args.scenario, &args.vary, &cat, objective)?;
    let style = match ctx.format {
        Format::Table => Style::Table,
        Format::Csv => Style::Csv,
        Format::Markdown => Style::Markdown,
        Format::Json | Format::Jsonl => Style::Jsonl,
    };
    let sink = Sink::new(style, &engine);
    let pb = crate::progress::bar(engine.points().unwrap_or(0), "points", ctx.quiet);
    let inline_summary = matches!(style, Style::Table | Style::Markdown);
    let finish = |w: &mut dyn Write, s: &Summary| -> Result<()> {
        if inline_summary && !s.closed {
            let bullet = if style == Style::Markdown { "- " } else { "" };
            let mut text = String::from("\n");
            for l in &s.lines {
                text.push_str(&format!("{bullet}{l}\n"));
            }
            let _ = w.write_all(text.as_bytes());
        }
        match w.flush() {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                Err(Error::Output(format!("writing sweep rows: {e}")))
            }
            _ => Ok(()),
        }
    };
    let summary = match &ctx.output {
        Some(path) => {
            let mut file = AtomicFile::create(path)?;
            let summary = {
                let mut w = BufWriter::with_capacity(1 << 20, file.file());
                let s = sweep::stream(&engine, &sink, &mut w, &pb)?;
                finish(&mut w, &s)?;
                s
            };
            file.commit()?;
            summary
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = BufWriter::with_capacity(1 << 20, stdout.lock());
            let s = sweep::stream(&engine, &sink, &mut w, &pb)?;
            finish(&mut w, &s)?;
            s
        }
    };
    let mut messages = Vec::new();
    if !inline_summary {
        messages.extend(summary.lines.iter().cloned());
    }
    if !ctx.quiet && summary.seconds > 0.0 {
        let path = if engine.is_fast() {
            "integer fast path"
        } else {
            "full rank at each point"
        };
        messages.push(format!(
            "swept {} points, {} model evaluations, in {:.3} s: {} evaluations a second ({path})",
            summary.points,
            summary.evaluations,
            summary.seconds,
            crate::money::grouped_int(rust_decimal::Decimal::from(
                (summary.evaluations as f64 / summary.seconds) as u64
            ))
        ));
    }
    Ok(Outcome {
        messages,
        ..Outcome::default()
    })
}
