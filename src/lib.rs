//! llmplan: which LLM should we buy for this workload, and what will it cost each month?
//!
//! The library holds everything: file formats ([`scenario`], [`catalogue`]), the cost kernel
//! ([`cost`]), fit and ranking ([`eligibility`], [`fit`], [`score`], [`rank`]), commands that build
//! reports ([`cmd`]) and the renderers ([`render`]). The binary is a thin shell over [`run`]. Data
//! flows one way; docs/architecture.md draws it.

pub mod bill_summary;
pub mod catalogue;
pub mod chart;
pub mod cli;
pub mod cmd;
pub mod cost;
pub mod csv_contract;
pub mod diag;
pub mod eligibility;
pub mod error;
pub mod field_tables;
pub mod fit;
pub mod forecast;
pub mod fuzzing;
pub mod import;
pub mod interrupt;
pub mod mix;
pub mod money;
pub mod num;
pub mod output;
pub mod presets;
pub mod procurement;
pub mod progress;
pub mod quick;
pub mod rank;
pub mod ranking;
pub mod reason;
pub mod render;
pub mod report;
pub mod routed;
pub mod routed_horizon;
pub mod routed_rank;
pub mod scenario;
pub mod schema;
pub mod score;
pub mod selfhost;
pub mod source;
pub mod sweep;
pub mod terminal;
pub mod toml_error;
pub mod toml_scan;
pub mod toml_shape;
pub mod validate;

pub use catalogue::Catalogue;
pub use error::{Error, Result};
pub use scenario::Scenario;

use cli::{Cli, Command};
use cmd::{Context, Outcome};

/// Runs a parsed command line: builds the report, renders it, writes it. Returns the exit code.
pub fn run(cli: Cli) -> Result<i32> {
    interrupt::install();
    // `throughput --output` is a reply length, not a file: the two share the id `output`.
    let output = match &cli.command {
        Command::Throughput(_) => None,
        _ => output::dest(cli.global.output.as_deref()).map(std::path::Path::to_path_buf),
    };
    let ctx = Context {
        format: cli.global.format,
        output,
        load: catalogue::LoadOptions {
            profile_dirs: cli.global.profiles.clone(),
            no_default_profiles: cli.global.no_default_profiles,
        },
        quiet: cli.global.quiet,
    };
    // `import` always reports on stdout; the others when there is no --output.
    if ctx.output.is_none() || matches!(cli.command, Command::Import(_)) {
        output::check_stdout_open()?;
    }
    let outcome: Outcome = match &cli.command {
        Command::Rank(a) => cmd::rank::run(a, &ctx)?,
        Command::Cost(a) => cmd::cost::run(a, &ctx)?,
        Command::Mix(a) => cmd::mix::run(a, &ctx)?,
        Command::Models(a) => cmd::models::run(a, &ctx)?,
        Command::Show(a) => cmd::show::run(a, &ctx)?,
        Command::Check(a) => cmd::check::run(a, &ctx)?,
        Command::Benchmarks(a) => cmd::benchmarks::run(a, &ctx)?,
        Command::Sweep(a) => cmd::sweep::run(a, &ctx)?,
        Command::Diff(a) => cmd::diff::run(a, &ctx)?,
        Command::Compare(a) => cmd::compare::run(a, &ctx)?,
        Command::Plot(a) => cmd::plot::run(a, &ctx)?,
        Command::Init(a) => cmd::init::run(a, &ctx)?,
        Command::Import(a) => cmd::import::run(a, &ctx)?,
        Command::Schema(a) => cmd::schema::run(a, &ctx)?,
        Command::Completions(a) => cmd::completions::run(a, &ctx)?,
        Command::Man(a) => cmd::man::run(a, &ctx)?,
        Command::Breakeven(a) => cmd::breakeven::run(a, &ctx)?,
        Command::Throughput(a) => cmd::throughput::run(a, &ctx)?,
    };
    // Files first: a command that fills the --output folder reports on stdout afterwards.
    let report_to = if outcome.files.is_empty() {
        ctx.output.as_deref()
    } else {
        None
    };
    output::write_all_atomic(&outcome.files)?;
    write_report(&ctx, &outcome, report_to)?;
    for m in &outcome.messages {
        say(m);
    }
    Ok(outcome.exit_code)
}

/// Writes the report and the files beside it (a `--plot` chart): to `report_to` together with
/// the files, all or none; or the files first and then the report on stdout.
fn write_report(
    ctx: &Context,
    outcome: &Outcome,
    report_to: Option<&std::path::Path>,
) -> Result<()> {
    use std::io::IsTerminal;
    let terminal = report_to.is_none() && std::io::stdout().is_terminal();
    let json = matches!(ctx.format, render::Format::Json | render::Format::Jsonl);
    let body = if let Some(text) = &outcome.verbatim {
        Some(Body::Text(if terminal {
            terminal::escape(text).into_owned()
        } else {
            text.clone()
        }))
    } else if let Some(doc) = &outcome.doc {
        // JSON is written as it is made (its deferred parts included); it escapes control
        // characters itself, so a terminal needs nothing more.
        if json {
            Some(Body::Json(&doc.json, ctx.format == render::Format::Json))
        } else {
            let colour =
                ctx.format == render::Format::Table && output::colour_wanted(report_to.is_some());
            // Tables on stdout fit COLUMNS or the terminal; a file is laid out in full.
            let width = report_to.is_none().then(render::width::target).flatten();
            Some(Body::Text(if terminal {
                render::render_fitted(&terminal::escape_doc(doc), ctx.format, colour, width)?
            } else {
                render::render_fitted(doc, ctx.format, colour, width)?
            }))
        }
    } else {
        None
    };
    let report = match (report_to, &body) {
        (Some(path), Some(_)) => Some(output::Target::resolve(path)?),
        _ => None,
    };
    let side = outcome
        .side_files
        .iter()
        .map(|(flag, path, body)| Ok((*flag, output::Target::resolve(path)?, body)))
        .collect::<Result<Vec<_>>>()?;
    let mut named: Vec<(&str, &output::Target)> = report.iter().map(|t| ("--output", t)).collect();
    named.extend(side.iter().map(|(flag, t, _)| (*flag, t)));
    output::check_distinct(&named)?;
    let mut files = Vec::with_capacity(side.len() + 1);
    for (_, target, body) in side {
        let mut f = output::AtomicFile::open(target)?;
        f.write_all(body.as_bytes())?;
        files.push(f);
    }
    match (report, body) {
        (Some(target), Some(body)) => {
            let mut f = output::AtomicFile::open(target)?;
            match body {
                Body::Text(text) => f.write_all(text.as_bytes())?,
                Body::Json(doc, pretty) => {
                    let shown = f.shown().display().to_string();
                    let mut w = std::io::BufWriter::with_capacity(1 << 16, f.syncing()?);
                    write_json(doc, &outcome.deferred, pretty, &mut w, |e| {
                        Some(Error::Output(format!("{shown}: cannot write: {e}")))
                    })?;
                }
            }
            files.push(f);
            output::commit_all(files)
        }
        (_, Some(Body::Text(text))) => {
            output::commit_all(files)?;
            output::emit(&text, None)
        }
        (_, Some(Body::Json(doc, pretty))) => {
            output::commit_all(files)?;
            let mut w = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            // A closed pipe (`| head`) is not an error.
            write_json(doc, &outcome.deferred, pretty, &mut w, |e| {
                (e.kind() != std::io::ErrorKind::BrokenPipe)
                    .then(|| Error::Output(format!("writing to stdout: {e}")))
            })
        }
        (_, None) => output::commit_all(files),
    }
}

/// What a run writes as its report.
enum Body<'a> {
    /// Text already rendered.
    Text(String),
    /// A JSON document, pretty-printed or not, with the outcome's deferred parts.
    Json(&'a serde_json::Value, bool),
}

/// Writes a JSON report and flushes it. A write error becomes `io_error`'s error, or ends the
/// report quietly where that gives none.
fn write_json(
    doc: &serde_json::Value,
    deferred: &[render::deferred::Deferred],
    pretty: bool,
    w: &mut dyn std::io::Write,
    io_error: impl Fn(std::io::Error) -> Option<Error>,
) -> Result<()> {
    use render::deferred::Failure;
    match render::deferred::write_json(doc, deferred, pretty, w)
        .and_then(|()| w.flush().map_err(Failure::Io))
    {
        Ok(()) => Ok(()),
        Err(Failure::Part(e)) => Err(e),
        Err(Failure::Io(e)) => io_error(e).map_or(Ok(()), Err),
    }
}

/// Prints a message on stderr, escaped: a failure to print it is not worth failing the run for.
pub fn say(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{}", terminal::escape(message));
}
