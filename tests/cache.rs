//! Prompt caching through the real binary, on a fixture catalogue with prices of its own
//! (`tests/fixtures/cache/profiles/acme.toml`): `cost`, `rank` and `sweep` bill the same hits,
//! misses and storage.

mod common;

use common::{dec, json, llmplan};
use rust_decimal::Decimal;
use std::str::FromStr;

const PROFILES: [&str; 3] = [
    "--no-default-profiles",
    "--profiles",
    "tests/fixtures/cache/profiles",
];
const SCENARIO: &str = "tests/fixtures/cache/scenario.toml";

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn args<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    PROFILES
        .iter()
        .copied()
        .chain(rest.iter().copied())
        .collect()
}

#[test]
fn cost_bills_hits_misses_and_storage_line_by_line() {
    let v = json(&args(&["cost", SCENARIO, "--model", "acme/cached"]));
    let w = &v["workloads"][0];
    // 1,000 requests with a 3,000-token prefix: 3M prefix tokens, half of them hits.
    // cache read 1.5M × $0.10 = $0.15; cache write 1.5M × $1.25 = $1.875;
    // the rest of the input 1,000 × 1,000 = 1M × $1 = $1; output 0.1M × $2 = $0.20;
    // storage 3,000 tokens × 10 hours = 30,000 token-hours × $2 per 1M = $0.06. Total $3.285.
    let lines = [
        "cached_input_cost",
        "cache_write_cost",
        "input_cost",
        "output_cost",
        "cache_storage_cost",
    ]
    .map(|k| dec(&w[k]));
    assert_eq!(lines, [d("0.15"), d("1.875"), d("1"), d("0.2"), d("0.06")]);
    assert_eq!(dec(&v["monthly_cost"]), d("3.285"));
    assert_eq!(w["cache"]["status"], "cached");
    assert_eq!(dec(&w["cached_input_tokens"]), d("1500000"));
    assert_eq!(dec(&w["cache"]["cache_write_tokens"]), d("1500000"));
    assert_eq!(dec(&w["cache"]["cache_storage_token_hours"]), d("30000"));
}

#[test]
fn the_table_shows_read_write_and_storage_and_the_notes_say_why_a_model_does_not_cache() {
    let out = llmplan()
        .args(args(&["cost", SCENARIO, "--model", "acme/cached"]))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for col in ["cache read", "cache write", "cache storage"] {
        assert!(text.contains(col), "no `{col}` column:\n{text}");
    }
    assert!(text.contains("cache prices are as of 2024-08-14"), "{text}");
    let out = llmplan()
        .args(args(&["cost", SCENARIO, "--model", "acme/plain"]))
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    // No cache prices: 4M input tokens × $1 + $0.20 output = $4.20, and the notes say why.
    assert!(text.contains("$4.20"), "{text}");
    assert!(
        text.contains("acme/plain has no prompt-cache prices"),
        "{text}"
    );
}

#[test]
fn rank_and_sweep_agree_with_cost() {
    let v = json(&args(&["rank", SCENARIO, "--objective", "cheapest"]));
    let rows = v["ranked"].as_array().expect("ranked rows");
    let cost_of = |id: &str| {
        rows.iter()
            .find(|r| r["model"] == id)
            .map(|r| dec(&r["monthly_cost"]))
            .unwrap_or_else(|| panic!("{id} not ranked: {v}"))
    };
    assert_eq!(cost_of("acme/cached"), d("3.285"));
    assert_eq!(cost_of("acme/plain"), d("4.2"));
    // At hit rate h the cached model costs 0.3 h + 3.75 (1 − h) + 1.26 = 5.01 − 3.45 h: $5.01 at
    // 0 (caching costs more than not caching, $4.20), $1.56 at 1; they cross at 0.81 ÷ 3.45.
    let out = llmplan()
        .args(args(&[
            "sweep",
            SCENARIO,
            "--vary",
            "workload.w.cache.hit_rate=0,0.5,1",
            "--format",
            "csv",
        ]))
        .output()
        .unwrap();
    assert!(out.status.success());
    let csv = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let winners: Vec<(&str, &str)> = rows.iter().map(|r| (r[1], r[2])).collect();
    assert_eq!(
        winners,
        [
            ("acme/plain", "4.2"),
            ("acme/cached", "3.285"),
            ("acme/cached", "1.56")
        ]
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("0.234783"), "{stderr}");
}

#[test]
fn a_cache_field_cannot_be_swept_on_a_workload_without_a_cache() {
    let out = llmplan()
        .args([
            "sweep",
            "scenarios/support-chatbot.toml",
            "--vary",
            "workload.chat.cache.hit_rate=0,1",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("has no [workload.cache]"));
}
