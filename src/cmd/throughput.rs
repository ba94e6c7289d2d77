//! `llmplan throughput`: one replica's estimated figures for a static batch, the same quantities
//! the published serving benchmarks report, so an estimate can be checked against a measurement.

use super::{find_gpu, Context, Outcome};
use crate::catalogue::hardware::Accelerator;
use crate::cli::ThroughputArgs;
use crate::error::{Error, Result};
use crate::render::{Cell, Doc, Section};
use crate::report::catalogue::ThroughputReport;
use crate::report::value::Approx;
use crate::scenario::Selfhost;
use crate::selfhost::memory::Memory;
use crate::selfhost::report::{num, LABEL};
use crate::selfhost::roofline::{Engine, Run};
use crate::selfhost::shape::Shape;

/// Runs the command.
pub fn run(args: &ThroughputArgs, ctx: &Context) -> Result<Outcome> {
    let cat = ctx.catalogue()?;
    let model = cat.find_model(&args.model)?;
    let gpu = find_gpu(&cat, "--gpu", &args.gpu)?;
    let usage = |why: String| Error::Usage(format!("{} on {}: {why}", model.id, gpu.id));
    let shape = Shape::from_model(model).map_err(usage)?;
    Shape::check_precision(model, args.precision).map_err(usage)?;
    let cal = cat.hardware.calibration.as_ref().ok_or_else(|| {
        usage(
            "the hardware catalogue has no [calibration], so throughput cannot be estimated".into(),
        )
    })?;
    let (input, output) = (args.input, args.output_tokens());
    let context = input as f64 + output as f64 / 2.0;
    let memory = |gpus: u64| {
        Memory::new(
            &shape,
            args.precision,
            args.kv_precision,
            gpu,
            gpus,
            Selfhost::DEFAULT_RUNTIME_RESERVE,
        )
    };
    let degrees = shape.tp_degrees();
    let gpus = match args.gpus {
        Some(n) if degrees.contains(&n) => n,
        Some(n) => {
            return Err(Error::Usage(format!(
                "--gpus {n}: a tensor-parallel group of {} is 1, 2, 4 or 8 GPUs dividing its {} attention and {} KV heads; use one of {}",
                model.id,
                shape.heads,
                shape.kv_heads,
                list(&degrees)
            )))
        }
        None => smallest(&degrees, |n| memory(n).shortfall(input.saturating_add(output), &gpu.id, n))
            .map_err(usage)?,
    };
    let engine =
        Engine::new(&shape, gpu, gpus, args.precision, args.kv_precision, cal).map_err(usage)?;
    let mem = memory(gpus);
    let batch = args
        .batch
        .unwrap_or_else(|| mem.batch_fitting(context).max(1));
    let run = engine.run(batch, input, output);
    let kv_cache_gb = mem.kv_cache_gb(batch, context);
    let fits = mem.weights_gb + kv_cache_gb <= mem.usable_gb;
    Ok(Outcome::ok(report(
        args,
        &model.id,
        gpu,
        gpus,
        &mem,
        kv_cache_gb,
        fits,
        &run,
    )))
}

/// The fewest GPUs that hold the weights and one request, or why even the largest group cannot.
fn smallest(
    degrees: &[u64],
    shortfall: impl Fn(u64) -> Option<String>,
) -> std::result::Result<u64, String> {
    let mut last = String::from("no tensor-parallel degree divides its heads");
    for &n in degrees {
        match shortfall(n) {
            None => return Ok(n),
            Some(why) => last = why,
        }
    }
    Err(format!(
        "{last}; try a lower precision or a GPU with more memory"
    ))
}

fn list(degrees: &[u64]) -> String {
    degrees
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[allow(clippy::too_many_arguments)]
fn report(
    args: &ThroughputArgs,
    model: &str,
    gpu: &Accelerator,
    gpus: u64,
    mem: &Memory,
    kv_cache_gb: f64,
    fits: bool,
    run: &Run,
) -> Doc {
    let per_gpu = run.output_tokens_per_s() / gpus as f64;
    let json = crate::report::to_json(&ThroughputReport {
        model: model.to_string(),
        gpu: gpu.id.clone(),
        gpus,
        precision: args.precision.as_str(),
        kv_precision: args.kv_precision.as_str(),
        batch: run.batch,
        input_tokens: run.input,
        output_tokens: run.output,
        weights_gb: Approx::of(mem.weights_gb, 3),
        kv_cache_gb: Approx::of(kv_cache_gb, 3),
        fits,
        prefill_tokens_per_s: Approx::of(run.prefill_tokens_per_s(), 1),
        decode_tokens_per_s: Approx::of(run.decode_tokens_per_s(), 1),
        output_tokens_per_s: Approx::of(run.output_tokens_per_s(), 1),
        output_tokens_per_s_per_gpu: Approx::of(per_gpu, 1),
        time_to_first_token_ms: Approx::of(run.time_to_first_token_ms(), 3),
        time_per_output_token_ms: Approx::of(run.time_per_output_token_ms(), 3),
    });
    let mut t = Section::new(
        Some(format!(
            "{model} on {gpus}× {} — {} weights, {} cache — {LABEL}",
            gpu.id, args.precision, args.kv_precision
        )),
        &["", ">value"],
    )
    .with_keys(crate::csv_contract::FIGURES);
    let mut row = |k: &str, v: String| t.rows.push(vec![Cell::plain(k), Cell::plain(v)]);
    row(
        "batch × (prompt + reply)",
        format!(
            "{} × ({} + {}) tokens",
            grouped(run.batch as f64),
            grouped(run.input as f64),
            grouped(run.output as f64)
        ),
    );
    row("weights", format!("{} GB", num(mem.weights_gb, 1)));
    row(
        "KV cache (prompt + half the reply per request)",
        format!("{} GB", num(kv_cache_gb, 1)),
    );
    row(
        "memory usable after the 10% runtime reserve",
        format!("{} GB", num(mem.usable_gb, 1)),
    );
    row(
        "fits",
        if fits {
            "yes"
        } else {
            "no: lower the batch or the precision, or add GPUs"
        }
        .into(),
    );
    row("prefill tokens/s", grouped(run.prefill_tokens_per_s()));
    row(
        "decode tokens/s",
        format!(
            "{} ({}-bound)",
            grouped(run.decode_tokens_per_s()),
            run.limited_by.as_str()
        ),
    );
    row("output tokens/s", grouped(run.output_tokens_per_s()));
    row("output tokens/s per GPU", grouped(per_gpu));
    row(
        "time to first token",
        format!("{} ms", tenths(run.time_to_first_token_ms())),
    );
    row(
        "time per output token",
        format!("{} ms", tenths(run.time_per_output_token_ms())),
    );
    let notes = vec![
        "Output tokens/s = batch × reply tokens ÷ (prefill time + reply tokens × decode step), for a static batch, as TensorRT-LLM's benchmarks report it. The first token waits for the whole batch's prefill.".into(),
        "An estimate: peak rates from profiles/hardware.toml × the calibrated prefill, decode-bandwidth and tensor-parallel efficiencies there, fitted to TensorRT-LLM v0.6.1's published H100 FP8 rows (all within 1.5×; table in docs/selfhost.md).".into(),
    ];
    Doc {
        json,
        sections: vec![t],
        notes,
    }
}

/// A figure with thousands separators and one decimal: 2,047.6.
fn tenths(x: f64) -> String {
    let t = (x * 10.0).round();
    format!("{}.{}", grouped((t / 10.0).trunc()), (t % 10.0) as u8)
}

fn grouped(x: f64) -> String {
    rust_decimal::Decimal::from_f64_retain(x.round())
        .map_or_else(|| format!("{x:.0}"), crate::money::grouped_int)
}
