//! Request-size distributions through the real binary, on a fixture catalogue with its own prices
//! (`tests/fixtures/distribution/profiles/`), so a price update of the shipped catalogue cannot
//! change these figures.

mod common;
use common::{dec, json, llmplan};

const P: [&str; 3] = [
    "--no-default-profiles",
    "--profiles",
    "tests/fixtures/distribution/profiles",
];
const BUCKETS: &str = "tests/fixtures/distribution/buckets.toml";
const LOGNORMAL: &str = "tests/fixtures/distribution/lognormal.toml";

fn d(s: &str) -> rust_decimal::Decimal {
    s.parse().unwrap()
}

#[test]
fn cost_bills_each_bucket_at_its_own_tier() {
    let v = json(&[&P[..], &["cost", BUCKETS, "--model", "fixture/tiered-pro"]].concat());
    // 8,000 requests at $3.50 / $10.50: 29M input and 4M output tokens, $101.50 + $42;
    // 2,000 requests above 128k at $7 / $21: 300M input and 1M output tokens, $2,100 + $21.
    assert_eq!(dec(&v["monthly_cost"]), d("2264.50"));
    let w = &v["workloads"][0];
    assert_eq!(dec(&w["input_cost"]), d("2201.50"));
    assert_eq!(dec(&w["output_cost"]), d("63"));
    let tiers = w["tiers"].as_array().unwrap();
    assert_eq!(tiers.len(), 2);
    assert_eq!(tiers[0]["above_input_tokens"], serde_json::Value::Null);
    assert_eq!(dec(&tiers[0]["share"]), d("0.8"));
    assert_eq!(tiers[1]["above_input_tokens"], 128_000);
    assert_eq!(dec(&tiers[1]["share"]), d("0.2"));
    assert_eq!(dec(&tiers[1]["requests"]), d("2000"));
    // The table shows the same shares.
    let out = llmplan()
        .args(P)
        .args(["cost", BUCKETS, "--model", "fixture/tiered-pro"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("input above 128,000"), "{text}");
    assert!(text.contains("20%"), "{text}");
}

#[test]
fn rank_reports_the_share_of_requests_each_window_overflows() {
    let v = json(&[&P[..], &["rank", LOGNORMAL, "--all"]].concat());
    let ranked = &v["ranked"][0];
    assert_eq!(ranked["model"], "fixture/tiered-pro");
    assert!(ranked["overflow_share"].as_f64().unwrap() < 1e-6);
    let ex = &v["excluded"][0];
    assert_eq!(ex["model"], "fixture/window-128k");
    // Lognormal prompts with a mean of about 100k and a CV of 0.5: about 22.6% exceed the
    // 127,500 tokens a 128k window leaves after a 500-token answer.
    let o = ex["overflow_share"].as_f64().unwrap();
    assert!((0.225..0.229).contains(&o), "{o}");
    let reason = ex["reasons"][0].as_str().unwrap();
    assert!(
        reason.contains("99th-percentile request; 22.6% of requests overflow"),
        "{reason}"
    );
}

#[test]
fn sweeping_a_bucket_share_equals_costing_the_rescaled_file() {
    let out = llmplan()
        .args(P)
        .args([
            "sweep",
            BUCKETS,
            "--vary",
            "workload.docs.input_tokens.buckets.2=0.1,0.2",
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    // At 0.1 the others keep their 5 : 3 ratio: 0.5625 and 0.3375, so 9,000 requests carry
    // 10,000 × (562.5 + 2,700) = 32.625M input tokens at $3.50 ($114.1875) and 4.5M output at
    // $10.50 ($47.25); 1,000 requests carry 150M at $7 ($1,050) and 0.5M at $21 ($10.50).
    assert!(csv.contains("0.1,fixture/tiered-pro,1221.9375"), "{csv}");
    assert!(csv.contains("0.2,fixture/tiered-pro,2264.5"), "{csv}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("rescaled.toml");
    let text = std::fs::read_to_string(common::root().join(BUCKETS))
        .unwrap()
        .replace(
            "[8000, 0.3], [150000, 0.2]",
            "[8000, 0.3375], [150000, 0.1]",
        )
        .replace("[1000, 0.5]", "[1000, 0.5625]");
    std::fs::write(&file, text).unwrap();
    let v = json(
        &[
            &P[..],
            &[
                "cost",
                file.to_str().unwrap(),
                "--model",
                "fixture/tiered-pro",
            ],
        ]
        .concat(),
    );
    assert_eq!(dec(&v["monthly_cost"]), d("1221.9375"));
}

#[test]
fn a_bad_distribution_exits_2_with_its_line_and_nothing_on_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(
        &file,
        "name = \"x\"\n[[workload]]\nname = \"w\"\nrequests_per_day = 1\n\
         input_tokens = { p50 = 2000, p95 = 1000 }\noutput_tokens = 1\n",
    )
    .unwrap();
    let out = llmplan()
        .args(P)
        .args(["rank", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.toml:5:"), "{err}");
    assert!(
        err.contains("`p95` (1000) must be above `p50` (2000)"),
        "{err}"
    );
    // Percentiles swept out of order are refused before the sweep starts.
    let out = llmplan()
        .args(P)
        .args([
            "sweep",
            LOGNORMAL,
            "--vary",
            "workload.docs.input_tokens.p95=50000,194510",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}
