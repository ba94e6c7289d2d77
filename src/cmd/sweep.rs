//! `llmplan sweep`: a scenario over a grid of values, streamed row by row.
//!
//! The one command that writes its own output: rows leave as they are computed, through one
//! buffered writer (stdout, or a temporary file renamed into place at the end), so a grid of any
//! size runs in constant memory and a failed run leaves no `--output` file. `--plot FILE` draws the
//! chart once the rows are done (see `sweep::plot`); its file is opened before the sweep starts
//! and put in place together with the rows' file, so both are replaced or neither is.

use super::rank::parse_objective;
use super::{Context, Outcome};
use crate::cli::SweepArgs;
use crate::error::{Error, Result};
use crate::output::{self, AtomicFile, Target};
use crate::render::Format;
use crate::sweep::sink::{Sink, Style};
use crate::sweep::{self, Summary};
use std::io::{BufWriter, Write};

/// Runs the command.
pub fn run(args: &SweepArgs, ctx: &Context) -> Result<Outcome> {
    let cat = ctx.catalogue()?;
    let objective = args.objective.as_deref().map(parse_objective).transpose()?;
    let engine = sweep::build(&args.scenario, &args.vary, &cat, objective)?;
    let plot = args.plot.as_deref().map(output::plot_path).transpose()?;
    if plot.is_some() {
        check_plot(&engine)?;
    }
    let rows_target = ctx.output.as_deref().map(Target::resolve).transpose()?;
    let plot_target = plot.map(Target::resolve).transpose()?;
    let named: Vec<(&str, &Target)> = rows_target
        .iter()
        .map(|t| ("--output", t))
        .chain(plot_target.iter().map(|t| ("--plot", t)))
        .collect();
    output::check_distinct(&named)?;
    // Opened now, so a chart that cannot be written stops the run before any work.
    let mut plot_file = plot_target.map(AtomicFile::open).transpose()?;
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
    // The chart is drawn before the rows' file is put in place, so a failure leaves neither.
    let chart = |s: &Summary| -> Result<Option<(String, Vec<String>)>> {
        match &args.plot {
            Some(_) if !s.closed => {
                let c = sweep::plot::chart(&engine, s)?;
                let labels = c.series.iter().map(|x| x.label.clone()).collect();
                Ok(Some((crate::chart::sweep::svg(&c)?, labels)))
            }
            _ => Ok(None),
        }
    };
    let (summary, svg, rows_file) = match rows_target {
        Some(target) => {
            let mut file = AtomicFile::open(target)?;
            let summary = {
                // Rows arrive in chunks of a few hundred kilobytes, which pass a small buffer
                // straight through instead of being copied into it.
                let mut w = BufWriter::with_capacity(1 << 16, file.syncing()?);
                let s = sweep::stream(&engine, &sink, &mut w, &pb)?;
                finish(&mut w, &s)?;
                s
            };
            let svg = chart(&summary)?;
            (summary, svg, Some(file))
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = BufWriter::with_capacity(1 << 20, stdout.lock());
            let s = sweep::stream(&engine, &sink, &mut w, &pb)?;
            finish(&mut w, &s)?;
            let svg = chart(&s)?;
            (s, svg, None)
        }
    };
    // The rows' file and the chart are put in place together; a chart not drawn is not written.
    let mut files: Vec<AtomicFile> = rows_file.into_iter().collect();
    if let (Some(f), Some((svg, _))) = (&mut plot_file, &svg) {
        f.write_all(svg.as_bytes())?;
        files.extend(plot_file.take());
    }
    output::commit_all(files)?;
    let mut messages = Vec::new();
    if let (Some(path), true) = (&args.plot, summary.closed) {
        messages.push(format!(
            "the output was closed before the sweep ended, so {} was not drawn",
            path.display()
        ));
    }
    if let (Some(path), Some((_, labels))) = (&args.plot, &svg) {
        if !ctx.quiet {
            let marked = summary.crossovers.iter().filter(|c| c.axis == 0).count();
            messages.push(format!(
                "wrote {}: {} along {}, {marked} crossover(s) marked",
                path.display(),
                labels.join(", "),
                engine.setters[0].path
            ));
        }
    }
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

/// Refuses a chart that cannot be drawn before any work is done.
fn check_plot(engine: &sweep::Engine) -> Result<()> {
    let first = &engine.axes[0];
    let distinct = (1..first.len().min(1 << 16)).any(|i| first.get(i) != first.get(0));
    if !distinct {
        return Err(Error::Usage(format!(
            "--plot draws cost along the first --vary axis, {}, which has a single value; give it at least two",
            engine.setters[0].path
        )));
    }
    Ok(())
}
