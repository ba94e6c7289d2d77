//! Self-hosted candidates: roofline figures from the real catalogue, Mixtral against dense models,
//! and how `rank` labels self-hosted rows.

mod common;

use common::{json, llmplan};
use llmplan::catalogue::model::Model;
use llmplan::selfhost::fleet::{estimate, Estimate};
use llmplan::source::SourceFile;
use llmplan::{Catalogue, Scenario};
use rust_decimal::Decimal;

/// 10,000 requests a day of 1,000 input and 200 output tokens, bf16 on H100 at `batch`.
fn estimate_for(cat: &Catalogue, m: &Model, batch: u64) -> Estimate {
    let text = format!(
        "name = \"mixtral\"\n[[workload]]\nname = \"chat\"\nrequests_per_day = 10000\ninput_tokens = 1000\noutput_tokens = 200\n\
         [selfhost]\ngpus = [\"h100-sxm\"]\nprecision = \"bf16\"\nutilization = 1\nbatch = {batch}\n"
    );
    let s =
        Scenario::from_source(&SourceFile::from_text("s.toml".into(), text).unwrap(), cat).unwrap();
    estimate(
        &s,
        s.selfhost.as_ref().unwrap(),
        m,
        cat.hardware.get("h100-sxm").unwrap(),
        cat,
        &s.fx(cat),
    )
    .unwrap()
    .unwrap()
}

/// Mixtral's catalogue entry turned into a dense model of `params` billions, same layers and cache.
fn dense(mixtral: &Model, params: i64) -> Model {
    let mut m = mixtral.clone();
    m.params_b = Some(Decimal::from(params));
    m.active_params_b = None;
    m.serving.as_mut().unwrap().moe = None;
    m
}

/// Where `x` sits between `lo` (0) and `hi` (1).
fn position(x: Decimal, lo: Decimal, hi: Decimal) -> Decimal {
    ((x - lo) / (hi - lo)).round_dp(3)
}

#[test]
fn mixtral_costs_like_13b_at_low_batch_and_between_13b_and_47b_at_high_batch() {
    let cat = Catalogue::embedded().unwrap();
    let mixtral = cat.model("mistral/mixtral-8x7b").unwrap();
    let (d13, d47) = (dense(mixtral, 13), dense(mixtral, 47));
    let per_mtok = |m: &Model, b: u64| estimate_for(&cat, m, b).cost_per_mtok;
    let decode_cost = |m: &Model, b: u64| {
        Decimal::ONE / estimate_for(&cat, m, b).workloads[0].decode.tokens_per_s
    };

    // Batch 1: every expert must be resident (94 GB, two H100s), but the one token in flight reads
    // only its 2 of 8 experts: 13B of weights, like the 13B dense model. Per request on one GPU:
    // 1,000 ÷ 38,057.7 + 200 × (26e9 + 1,100 × 131,072) ÷ 3.35e12 = 1.5871 s; the 47B model
    // reads 94e9 bytes a token: 1,000 ÷ 10,526.6 + 200 × 94.144e9 ÷ 3.35e12 = 5.7155 s.
    assert_eq!(estimate_for(&cat, mixtral, 1).gpus(), 2);
    assert_eq!(estimate_for(&cat, &d13, 1).gpus(), 1);
    let (m1, a1, b1) = (per_mtok(mixtral, 1), per_mtok(&d13, 1), per_mtok(&d47, 1));
    assert_eq!(position(m1, a1, b1), Decimal::ZERO, "{m1} {a1} {b1}");
    assert_eq!(
        (b1 / m1).round_dp(2),
        Decimal::new(360, 2),
        "47B dense costs 3.6× Mixtral a token"
    );

    // Batch 1,024: the batch touches every expert (1 − 0.75^1024 ≈ 1), so decode reads all 94 GB
    // like the 47B model, but compute still counts 13B: decode 1,024 × 3.35e12 ÷ (94e9 + 1,024 ×
    // 1,100 × 131,072) = 14,196 tok/s against 13B's 19,755 and 47B's compute-bound 10,526.6.
    // Prefill is compute-bound on 13B active. Per request: Mixtral 0.040364 s, 13B 0.036399 s,
    // 47B 0.113997 s: Mixtral sits 5.1% of the way from 13B to 47B, and 44.7% for decode alone.
    let (m, a, b) = (
        per_mtok(mixtral, 1024),
        per_mtok(&d13, 1024),
        per_mtok(&d47, 1024),
    );
    assert!(a < m && m < b, "{a} < {m} < {b}");
    assert_eq!(position(m, a, b), Decimal::new(51, 3));
    assert_eq!((b / m).round_dp(2), Decimal::new(282, 2));
    let (md, ad, bd) = (
        decode_cost(mixtral, 1024),
        decode_cost(&d13, 1024),
        decode_cost(&d47, 1024),
    );
    assert_eq!(position(md, ad, bd), Decimal::new(447, 3));
}

#[test]
fn llama2_70b_bf16_needs_at_least_two_h100() {
    let cat = Catalogue::embedded().unwrap();
    let e = estimate_for(&cat, cat.model("meta/llama-2-70b").unwrap(), 1);
    // 70B × 2 bytes = 140 GB of weights > 72 usable GB of one H100; with 1,200 tokens of cache
    // (0.39 GB) two GPUs (144 GB usable) hold it.
    assert_eq!(e.sizing.weights_gb, Decimal::from(140));
    assert_eq!(e.gpus(), 2);
    // Prefill on two H100: 2 × 989.5e12 ÷ (2 × 70e9) = 14,135.71 tok/s.
    assert_eq!(e.prefill_tps.round_dp(2), Decimal::new(1_413_571, 2));
}

#[test]
fn rank_labels_self_hosted_rows() {
    let v = json(&["rank", "scenarios/build-or-buy.toml", "--top", "40"]);
    let rows = v["ranked"].as_array().unwrap();
    let hosted: Vec<_> = rows
        .iter()
        .filter(|r| r["deployment"] == "self-hosted")
        .collect();
    assert!(hosted.len() >= 5, "{}", hosted.len());
    for r in &hosted {
        assert_eq!(r["label"], "self-hosted (estimate)");
        assert!(
            r["gpu"].is_string() && r["gpus"].as_u64().unwrap() >= 1,
            "{r}"
        );
    }
    let l70 = hosted
        .iter()
        .find(|r| r["model"] == "meta/llama-2-70b" && r["gpu"] == "a100-80gb")
        .expect("llama-2-70b on A100");
    assert_eq!(
        (l70["gpus"].as_u64(), l70["precision"].as_str()),
        (Some(2), Some("int8"))
    );
    // One replica of 2 A100s all month: 2 × 720 h × $1.59 = $2,289.60.
    assert_eq!(l70["monthly_cost"], "2289.6");
    assert!(rows
        .iter()
        .any(|r| r["deployment"] == "api" && r["model"] == "anthropic/claude-3-haiku"));

    let table = llmplan()
        .args(["rank", "scenarios/build-or-buy.toml"])
        .output()
        .unwrap();
    let text = String::from_utf8(table.stdout).unwrap();
    assert!(
        text.contains("self-hosted (estimate): 1× l40s int8"),
        "{text}"
    );
    assert!(text.contains("Self-hosted estimates: how each was sized"));
}

#[test]
fn open_models_that_cannot_be_self_hosted_are_excluded_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fp8.toml");
    let text = std::fs::read_to_string(common::root().join("scenarios/build-or-buy.toml"))
        .unwrap()
        .replace("precision = \"int8\"", "precision = \"fp8\"");
    std::fs::write(&path, text).unwrap();
    let v = json(&["rank", path.to_str().unwrap(), "--top", "40"]);
    assert!(v["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["deployment"] == "api"));
    let ex = v["excluded"].as_array().unwrap();
    let llama = ex
        .iter()
        .find(|e| e["model"] == "meta/llama-2-70b" && e["deployment"] == "self-hosted")
        .expect("self-hosted exclusion");
    assert_eq!(
        llama["reasons"][0],
        "not available in fp8 (published precisions: bf16, int8, int4)"
    );
}

#[test]
fn api_only_scenarios_keep_their_table() {
    let out = llmplan()
        .args(["rank", "scenarios/support-chatbot.toml"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        !text.contains("deployment") && !text.contains("self-hosted"),
        "{text}"
    );
    let v = json(&["rank", "scenarios/support-chatbot.toml"]);
    assert!(v["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["deployment"] == "api"));
}

#[test]
fn check_validates_the_hardware_catalogue() {
    llmplan()
        .args(["check", "profiles/hardware.toml"])
        .assert()
        .success()
        .stdout(predicates::str::contains("hardware"));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("hardware.toml");
    std::fs::write(&bad, "[[accelerator]]\nid = \"x1\"\nname = \"X\"\nmemory_gb = 80\nbandwidth_tbs = 3\nbf16_tflops = 100\nsource = \"sheet\"\n\n[accelerator.price]\nhourly = \"2\"\nsource = \"somewhere\"\n").unwrap();
    let out = llmplan().arg("check").arg(&bad).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("hardware.toml:9:1: price has no `as_of` date"),
        "{err}"
    );
}

#[test]
fn selfhost_table_faults_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(
        &path,
        "name = \"x\"\n[[workload]]\nname = \"a\"\nrequests_per_day = 10\ninput_tokens = 10\noutput_tokens = 10\n\
         [selfhost]\ngpus = [\"h100\"]\nutilization = 0\nmin_replicas = 0\ngpu_hourly_price = { \"a100-80gb\" = \"-1\" }\n",
    )
    .unwrap();
    let out = llmplan().arg("check").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("bad.toml:8:9: no accelerator `h100`")
            && err.contains("did you mean `h100-sxm`?"),
        "{err}"
    );
    assert!(
        err.contains("bad.toml:9:15: `utilization` must be above 0"),
        "{err}"
    );
    assert!(
        err.contains("bad.toml:10:16: `min_replicas` must be at least 1"),
        "{err}"
    );
    assert!(err.contains("`a100-80gb` must be greater than 0"), "{err}");
}
