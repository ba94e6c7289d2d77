//! `llmplan throughput`: the JSON contract, the calibration against TensorRT-LLM's published H100
//! rows (and that docs/selfhost.md shows them as the tool computes them), the default GPU count
//! and batch, and bad input.

mod common;

use common::{dec, json, llmplan};
use rust_decimal::Decimal;

/// One published row: model, batch, tensor-parallel degree, input, output, tokens/s per GPU.
struct Row {
    model: String,
    batch: u64,
    tp: u64,
    input: u64,
    output: u64,
    published: u64,
}

fn published() -> Vec<Row> {
    let text = std::fs::read_to_string(
        common::root().join("tests/fixtures/tensorrt-llm-v0.6.1-h100-fp8.csv"),
    )
    .unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("model,"))
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let n = |i: usize| f[i].parse::<u64>().unwrap();
            Row {
                model: f[0].to_string(),
                batch: n(1),
                tp: n(2),
                input: n(3),
                output: n(4),
                published: n(5),
            }
        })
        .collect()
}

fn throughput(row: &Row) -> serde_json::Value {
    let s = |n: u64| n.to_string();
    json(&[
        "throughput",
        "--model",
        &row.model,
        "--gpu",
        "h100-sxm",
        "--gpus",
        &s(row.tp),
        "--precision",
        "fp8",
        "--kv-precision",
        "fp8",
        "--input",
        &s(row.input),
        "--output",
        &s(row.output),
        "--batch",
        &s(row.batch),
    ])
}

fn grouped(n: u64) -> String {
    llmplan::money::grouped_int(Decimal::from(n))
}

#[test]
fn every_calibrated_row_is_within_one_and_a_half_times_and_the_docs_show_it() {
    let docs = std::fs::read_to_string(common::root().join("docs/selfhost.md")).unwrap();
    let rows = published();
    assert_eq!(rows.len(), 8);
    for row in &rows {
        let v = throughput(row);
        assert_eq!(v["fits"], true, "{}", row.model);
        let predicted = dec(&v["output_tokens_per_s_per_gpu"]);
        let ratio = predicted / Decimal::from(row.published);
        assert!(
            ratio <= Decimal::new(15, 1) && ratio >= Decimal::ONE / Decimal::new(15, 1),
            "{} batch {}: {predicted} against {}",
            row.model,
            row.batch,
            row.published
        );
        // The calibration table in docs/selfhost.md carries this row as computed here.
        let name = if row.model.ends_with("7b") {
            "LLaMA 7B"
        } else {
            "LLaMA 70B"
        };
        let rounded = predicted.round().to_string().parse::<u64>().unwrap();
        let line = format!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} |",
            row.batch,
            row.tp,
            grouped(row.input),
            grouped(row.output),
            grouped(row.published),
            grouped(rounded),
            ratio.round_dp(2)
        );
        assert!(docs.contains(&line), "docs/selfhost.md lacks\n{line}");
    }
}

#[test]
fn json_has_exactly_the_contract_fields() {
    let v = json(&[
        "throughput",
        "--model",
        "meta/llama-2-7b",
        "--gpu",
        "h100-sxm",
        "--precision",
        "fp8",
        "--input",
        "128",
        "--output",
        "2048",
        "--batch",
        "112",
        "--kv-precision",
        "fp8",
    ]);
    let mut keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "batch",
            "decode_tokens_per_s",
            "fits",
            "gpu",
            "gpus",
            "input_tokens",
            "kv_cache_gb",
            "kv_precision",
            "model",
            "output_tokens",
            "output_tokens_per_s",
            "output_tokens_per_s_per_gpu",
            "precision",
            "prefill_tokens_per_s",
            "time_per_output_token_ms",
            "time_to_first_token_ms",
            "weights_gb"
        ]
    );
    // 7 GB of fp8 weights; 112 requests holding 128 + 1,024 tokens of fp8 cache (262,144 B a
    // token): 112 × 1,152 × 262,144 B = 33.823 GB.
    assert_eq!(
        (
            v["gpus"].as_u64(),
            v["batch"].as_u64(),
            v["input_tokens"].as_u64()
        ),
        (Some(1), Some(112), Some(128))
    );
    assert_eq!(v["output_tokens"].as_u64(), Some(2048));
    assert_eq!(dec(&v["weights_gb"]), Decimal::from(7));
    assert_eq!(dec(&v["kv_cache_gb"]), "33.823".parse().unwrap());
    // A decode step reads 7e9 + 33.823e9 bytes at 3.35e12 × 0.6 B/s: 20.310 ms; prefill of the
    // batch is 112 × 1.796295e12 FLOPs at 1,979e12 × 0.5 FLOP/s: 203.320 ms.
    assert_eq!(
        dec(&v["time_per_output_token_ms"]),
        "20.31".parse().unwrap()
    );
    assert_eq!(dec(&v["time_to_first_token_ms"]), "203.32".parse().unwrap());
    // 112 × 2,048 ÷ (0.20332 + 2,048 × 0.02031) = 5,487.7 tokens/s.
    assert_eq!(dec(&v["output_tokens_per_s"]), "5487.7".parse().unwrap());
    assert_eq!(v["output_tokens_per_s"], v["output_tokens_per_s_per_gpu"]);
}

#[test]
fn defaults_are_the_fewest_gpus_and_the_largest_batch_that_fit() {
    // Llama 2 70B in bf16: 140 GB of weights need two H100 (144 GB usable).
    let v = json(&[
        "throughput",
        "--model",
        "meta/llama-2-70b",
        "--gpu",
        "h100-sxm",
        "--precision",
        "bf16",
        "--input",
        "1000",
        "--output",
        "200",
    ]);
    // 4 GB of room ÷ (1,100 tokens × 327,680 B = 0.360448 GB) = 11.1: a batch of 11.
    assert_eq!(
        (v["gpus"].as_u64(), v["batch"].as_u64()),
        (Some(2), Some(11))
    );
    assert_eq!(v["fits"], true);
    // A batch beyond memory is computed but flagged.
    let v = json(&[
        "throughput",
        "--model",
        "meta/llama-2-70b",
        "--gpu",
        "h100-sxm",
        "--precision",
        "bf16",
        "--input",
        "1000",
        "--output",
        "200",
        "--batch",
        "64",
    ]);
    assert_eq!(v["fits"], false);
    // The table says it is an estimate.
    let out = llmplan()
        .args([
            "throughput",
            "--model",
            "meta/llama-2-7b",
            "--gpu",
            "a100-80gb",
            "--precision",
            "int8",
            "--input",
            "500",
            "--output",
            "500",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(
            "meta/llama-2-7b on 1× a100-80gb — int8 weights, bf16 cache — self-hosted (estimate)"
        ),
        "{text}"
    );
    assert!(text.contains("output tokens/s per GPU"), "{text}");
}

#[test]
fn bad_requests_exit_2_with_the_fix() {
    let run = |args: &[&str]| {
        let out = llmplan().arg("throughput").args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
        String::from_utf8(out.stderr).unwrap()
    };
    let base = |model: &'static str, gpu: &'static str, precision: &'static str| {
        vec![
            "--model",
            model,
            "--gpu",
            gpu,
            "--precision",
            precision,
            "--input",
            "100",
            "--output",
            "100",
        ]
    };
    let e = run(&[base("xai/grok-1", "h100-sxm", "int8"), vec!["--gpus", "6"]].concat());
    assert!(
        e.contains("--gpus 6: a tensor-parallel group of xai/grok-1 is 1, 2, 4 or 8 GPUs dividing its 48 attention and 8 KV heads; use one of 1, 2, 4, 8"),
        "{e}"
    );
    let e = run(&base("meta/llama-2-7b", "a100-80gb", "fp8"));
    assert!(e.contains("a100-80gb has no fp8 tensor cores"), "{e}");
    let e = run(&base("meta/llama-2-7b", "h100", "bf16"));
    assert!(e.contains("did you mean `h100-sxm`?"), "{e}");
    let e = run(&base("meta/llama-2-7b", "h100-sxm", "fp16"));
    assert!(e.contains("`bf16`, `fp8`, `int8`, `int4`"), "{e}");
    let e = run(&base("xai/grok-1", "l40s", "bf16"));
    assert!(
        e.contains("628 GB of weights") && e.contains("on 8× l40s"),
        "{e}"
    );
    let e = run(&[
        "--model",
        "meta/llama-2-7b",
        "--gpu",
        "h100-sxm",
        "--precision",
        "bf16",
        "--input",
        "100",
        "--output",
        "0",
    ]);
    assert!(e.contains("at least 1"), "{e}");
    // Absurd sizes are refused, not a crash.
    let e = run(&[
        "--model",
        "meta/llama-2-7b",
        "--gpu",
        "h100-sxm",
        "--precision",
        "bf16",
        "--input",
        "18446744073709551615",
        "--output",
        "18446744073709551615",
    ]);
    assert!(e.contains("exceed the"), "{e}");
    let out = llmplan()
        .args([
            "throughput",
            "--model",
            "meta/llama-2-7b",
            "--gpu",
            "h100-sxm",
            "--gpus",
            "1",
            "--precision",
            "bf16",
            "--input",
            "4294967296",
            "--output",
            "4294967296",
            "--batch",
            "4294967296",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["fits"], false);
}
