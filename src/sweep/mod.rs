//! Sweeps: one scenario evaluated over a grid of values, streamed row by row.
//!
//! The scenario is read and validated once; each `--vary PATH=VALUES` becomes a typed setter
//! ([`path`]) and a list of values ([`values`]). The grid is walked in order, last axis fastest,
//! in chunks evaluated in parallel ([`ordered`]) and written in order, so output is identical whatever
//! the thread count and memory stays flat whatever the grid size. Each point is evaluated by
//! [`engine`], with integer fixed point ([`fixed`]) where it is exact, and the rows are formatted
//! by [`sink`]. [`crossover`] finds where the winner changes.
//!
//! Rows and crossovers are plain data ([`Row`], [`Crossover`]), so other outputs (a chart) can be
//! drawn from [`for_each_row`] and [`Summary::crossovers`].

pub mod crossover;
pub mod engine;
#[cfg(test)]
mod equality;
pub mod field;
pub mod fixed;
pub mod ordered;
pub mod path;
pub mod plot;
pub mod precheck;
#[cfg(test)]
mod row_proof;
pub mod sink;
pub mod size;
pub mod top;
pub mod values;

pub use crossover::Crossover;
pub use engine::{Engine, Pick, Row};

use crate::catalogue::Catalogue;
use crate::error::{Error, Result};
use crate::scenario::raw::Objective;
use crate::scenario::Scenario;
use crate::source::SourceFile;
use crossover::{ChunkEvents, LineEvent, Tracker};
use indicatif::ProgressBar;
use path::Setter;
use rust_decimal::Decimal;
use sink::{FitLabels, Sink};
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;
use std::time::Instant;
use values::Values;

/// Points evaluated by one task; large enough to amortise scheduling, small enough to keep the
/// buffers of the chunks in flight to a few megabytes.
const CHUNK: u64 = 4096;

/// The largest grid a sweep accepts.
pub const MAX_POINTS: u64 = 10_000_000_000;

/// Reads the scenario once and resolves every `--vary PATH=VALUES`.
pub fn build<'c>(
    scenario: &Path,
    vary: &[String],
    cat: &'c Catalogue,
    objective: Option<Objective>,
) -> Result<Engine<'c>> {
    let src = SourceFile::read(scenario).map_err(Error::input)?;
    build_source(std::sync::Arc::new(src), vary, cat, objective)
}

/// [`build`] for a scenario already read.
pub fn build_source<'c>(
    src: std::sync::Arc<SourceFile>,
    vary: &[String],
    cat: &'c Catalogue,
    objective: Option<Objective>,
) -> Result<Engine<'c>> {
    // Which workloads write their context: read table by table, as the scenario itself is, and
    // dropped before it is validated.
    let explicit_context: Vec<bool> = Scenario::read_raw(&src)?
        .workload
        .iter()
        .map(|w| w.context_tokens.is_some())
        .collect();
    let mut base = Scenario::from_shared(src, cat)?;
    if let Some(o) = objective {
        base.objective = o;
    }
    if vary.is_empty() {
        return Err(Error::Usage("sweep needs at least one --vary PATH=VALUES, such as --vary workload.chat.requests_per_day=1000..100000/100".into()));
    }
    let mut setters = Vec::new();
    let mut axes = Vec::new();
    for spec in vary {
        let Some((p, v)) = spec.split_once('=') else {
            return Err(Error::Usage(format!("--vary `{spec}`: write PATH=VALUES, such as workload.chat.requests_per_day=1000,2000,5000")));
        };
        let (p, v) = (p.trim(), v.trim());
        if setters.iter().any(|s: &Setter| s.path == p) {
            return Err(Error::Usage(format!(
                "--vary {p} is given twice; give each path once"
            )));
        }
        let setter = Setter::resolve(p, &base, cat, &explicit_context)?;
        let values = Values::parse(v, setter.whole())
            .map_err(|e| Error::Usage(format!("--vary {p}={v}: {e}")))?;
        check_values(&setter, &values)?;
        setters.push(setter);
        axes.push(values);
    }
    path::check_grid(&setters, &axes, &base)?;
    let engine = Engine::new(base, cat, setters, axes);
    match engine.points() {
        Some(n) if n <= MAX_POINTS => Ok(engine),
        _ => Err(Error::Usage(format!(
            "the grid has more than {MAX_POINTS} points; use fewer or coarser --vary values"
        ))),
    }
}

/// Every value of a short axis is checked; a long one is a range, whose rule (an interval) holds
/// everywhere if it holds at both ends.
fn check_values(setter: &Setter, values: &Values) -> Result<()> {
    let n = values.len();
    let idx: Vec<u64> = if n <= 1 << 16 {
        (0..n).collect()
    } else {
        vec![0, n - 1]
    };
    for i in idx {
        setter.check(values.get(i).normalize())?;
    }
    Ok(())
}

/// What a finished sweep reports.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// Grid points written.
    pub points: u64,
    /// Model evaluations: one model priced at one grid point.
    pub evaluations: u64,
    /// Grid points the fast path handed to `rank` (zero when the sweep is not on the fast path).
    pub general_points: u64,
    /// Wall time of the grid pass.
    pub seconds: f64,
    /// Where the winner changes.
    pub crossovers: Vec<Crossover>,
    /// One sentence per axis, then notes on rounded ranges and slow points.
    pub lines: Vec<String>,
    /// Whether the reader went away (a closed pipe) before the end.
    pub closed: bool,
}

/// Evaluates chunk `[lo, hi)` of the grid with worker `w`, calling `f` for every row in order
/// with the point's coordinates and values. Returns the number of model evaluations.
fn walk(
    e: &Engine,
    w: &mut engine::Worker,
    lo: u64,
    hi: u64,
    mut f: impl FnMut(&[u64], &[Decimal], &Row),
) -> Result<u64> {
    let before = w.evaluations();
    let lens: Vec<u64> = e.axes.iter().map(Values::len).collect();
    let mut coords = vec![0u64; lens.len()];
    let mut rest = lo;
    for a in (0..lens.len()).rev() {
        coords[a] = rest % lens[a];
        rest /= lens[a];
    }
    // The values are kept beside the coordinates: a long log axis computes each one on demand,
    // and its label is written from the value rather than computed again.
    let mut values: Vec<Decimal> = coords
        .iter()
        .enumerate()
        .map(|(a, &c)| e.axes[a].get(c))
        .collect();
    for (a, &v) in values.iter().enumerate() {
        e.set(w, a, v);
    }
    let mut row = Row::default();
    for _ in lo..hi {
        e.eval_into(w, &mut row)?;
        f(&coords, &values, &row);
        for a in (0..lens.len()).rev() {
            coords[a] += 1;
            if coords[a] < lens[a] {
                values[a] = e.axes[a].get(coords[a]);
                e.set(w, a, values[a]);
                break;
            }
            coords[a] = 0;
            values[a] = e.axes[a].get(0);
            e.set(w, a, values[a]);
        }
    }
    Ok(w.evaluations() - before)
}

/// Calls `f` for every grid point in order, sequentially: for callers that want rows as data.
pub fn for_each_row(e: &Engine, f: impl FnMut(&[u64], &Row)) -> Result<()> {
    let mut w = e.worker();
    let mut f = f;
    walk(e, &mut w, 0, e.points().unwrap_or(0), |c, _, r| f(c, r)).map(|_| ())
}

/// What one chunk hands back: its rows as bytes, its line events, its model evaluations and the
/// points it handed to `rank`.
type ChunkOut = (Vec<u8>, Vec<LineEvent>, u64, u64);

/// Runs the whole grid in parallel, writing rows to `out` in grid order, then finds crossovers.
///
/// Chunks are evaluated on as many threads as rayon would use (`RAYON_NUM_THREADS`), each taking
/// the next chunk as soon as it is free, while this thread writes finished chunks in order (see
/// [`ordered`]); at most a few chunks per thread wait in memory, whatever the grid size. Workers
/// (a scenario copy and caches) are pooled, so their caches live for the whole sweep.
pub fn stream(e: &Engine, sink: &Sink, out: &mut dyn Write, pb: &ProgressBar) -> Result<Summary> {
    precheck::corners(e)?;
    let total = e.points().unwrap_or(0);
    let started = Instant::now();
    let mut head = Vec::new();
    sink.header(&mut head);
    let mut summary = Summary::default();
    if write(out, &head)? {
        summary.closed = true;
        return Ok(summary);
    }
    let chunks = total.div_ceil(CHUNK);
    let threads = rayon::current_num_threads().max(1);
    let mut tracker = Tracker::new(e.axes.len());
    // The workers are made here, before the threads start, so that their copies of the scenario
    // reuse the memory this thread freed after reading the file rather than each thread's own
    // allocator arena asking the system for more.
    let workers = Mutex::new(
        (0..(threads as u64).min(chunks))
            .map(|_| e.worker())
            .collect::<Vec<_>>(),
    );
    // Row buffers go back to the pool once written, so a long sweep does not keep asking the
    // system for fresh (zeroed) pages.
    let buffers: Mutex<Vec<Vec<u8>>> = Mutex::new(Vec::new());
    let chunk = |c: u64| -> Result<ChunkOut> {
        let (lo, hi) = (c * CHUNK, ((c + 1) * CHUNK).min(total));
        let mut w = workers
            .lock()
            .ok()
            .and_then(|mut v| v.pop())
            .unwrap_or_else(|| e.worker());
        let general = w.general;
        let mut buf = buffers
            .lock()
            .ok()
            .and_then(|mut v| v.pop())
            .unwrap_or_else(|| Vec::with_capacity((CHUNK * 96) as usize));
        let mut labels = FitLabels::default();
        let mut events = ChunkEvents::new(e.axes.len());
        let n = walk(e, &mut w, lo, hi, |coords, values, row| {
            sink.row(&mut buf, e, (coords, values), row, &mut labels);
            events.see(coords, row);
        });
        let general = w.general - general;
        if let Ok(mut v) = workers.lock() {
            v.push(w);
        }
        Ok((buf, events.events, n?, general))
    };
    let mut outcome = Ok(());
    let mut done = 0u64;
    // Chunks are computed on every thread while this one writes them, in order.
    ordered::run(chunks, threads, 4 * threads as u64, chunk, |part| {
        let (buf, events, n, general) = match part {
            Ok(p) => p,
            Err(err) => {
                outcome = Err(err);
                return false;
            }
        };
        summary.evaluations += n;
        summary.general_points += general;
        for ev in events {
            tracker.push(ev);
        }
        match write(out, &buf) {
            Ok(false) => {}
            Ok(true) => {
                summary.closed = true;
                return false;
            }
            Err(err) => {
                outcome = Err(err);
                return false;
            }
        }
        let mut buf = buf;
        buf.clear();
        if let Ok(mut v) = buffers.lock() {
            v.push(buf);
        }
        let rows = CHUNK.min(total - done);
        done += rows;
        pb.inc(rows);
        true
    });
    outcome?;
    if summary.closed {
        return Ok(summary);
    }
    out.flush().or_else(ignore_closed)?;
    summary.seconds = started.elapsed().as_secs_f64();
    pb.finish_and_clear();
    summary.points = total;
    summary.crossovers = crossover::refine(e, &tracker)?;
    summary.lines = crossover::summary(e, &tracker, &summary.crossovers);
    summary.lines.extend(notes(e, &summary));
    Ok(summary)
}

/// Sentences that say where the sweep rounded a range or left the fast path.
fn notes(e: &Engine, s: &Summary) -> Vec<String> {
    let mut out: Vec<String> = e
        .setters
        .iter()
        .zip(&e.axes)
        .filter_map(|(st, v)| v.rounding_note().map(|n| format!("{}={n}", st.path)))
        .collect();
    let estimated = e.estimated_models();
    if !estimated.is_empty() {
        out.push(format!(
            "Fits that include estimated scores (imputed from the model's published ones; marked ~ in tables, `llmplan rank` shows their bands): {}.",
            estimated.join(", ")
        ));
    }
    if s.general_points > 0 {
        out.push(format!(
            "{} of {} points could not be priced exactly in integers and were ranked one by one (slower); \
             values with fewer decimals keep a sweep on the fast path.",
            s.general_points, s.points
        ));
    }
    out
}

/// Writes a buffer; `Ok(true)` means the reader closed the pipe, which ends the sweep quietly.
fn write(out: &mut dyn Write, buf: &[u8]) -> Result<bool> {
    match out.write_all(buf) {
        Ok(()) => Ok(false),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(true),
        Err(e) => Err(Error::Output(format!("writing sweep rows: {e}"))),
    }
}

fn ignore_closed(e: std::io::Error) -> Result<()> {
    if e.kind() == std::io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(Error::Output(format!("writing sweep rows: {e}")))
    }
}
