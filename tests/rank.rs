//! `llmplan rank` on the example scenarios, through the real binary.

mod common;

use common::{dec, json, llmplan};
use predicates::prelude::*;
use rust_decimal::Decimal;

fn scenarios() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(common::root().join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| format!("scenarios/{}", p.file_name().unwrap().to_str().unwrap()))
        .collect();
    v.sort();
    v
}

#[test]
fn there_are_at_least_four_example_scenarios_and_each_ranks_or_explains() {
    let all = scenarios();
    assert!(all.len() >= 4, "{all:?}");
    for s in all {
        let out = llmplan()
            .args(["rank", &s, "--format", "json"])
            .output()
            .unwrap();
        let code = out.status.code().unwrap();
        assert!(
            code == 0 || code == 1,
            "{s}: exit {code}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        for key in ["scenario", "currency", "objective", "ranked", "excluded"] {
            assert!(v.get(key).is_some(), "{s}: no `{key}`");
        }
        if code == 1 {
            assert!(v["ranked"].as_array().unwrap().is_empty());
            assert!(
                String::from_utf8_lossy(&out.stderr).contains("no model"),
                "{s}: exit 1 explains itself"
            );
        }
    }
}

#[test]
fn support_chatbot_costs_match_hand_arithmetic() {
    let v = json(&["rank", "scenarios/support-chatbot.toml"]);
    let haiku = v["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["model"] == "anthropic/claude-3-haiku")
        .unwrap();
    // chat: 20,000/day × 30 = 600,000 requests; 1.08B input × $0.25/M = 270; 210M output × $1.25/M = 262.5.
    // nightly: 30,000 × 4,000 = 120M × 0.25 = 30; 15M × 1.25 = 18.75. Total 581.25.
    assert_eq!(
        dec(&haiku["monthly_cost"]),
        "581.25".parse::<Decimal>().unwrap()
    );
    // 12 months at 5% growth: 581.25 × (1.05^12 − 1) / 0.05 = 9,251.8290...
    assert_eq!(
        dec(&haiku["horizon_cost"]).round_dp(2),
        "9251.83".parse::<Decimal>().unwrap()
    );
    assert_eq!(haiku["vendor"], "anthropic");
    assert!(haiku["pareto"].as_bool().unwrap());
    // Every field the contract names.
    for key in [
        "rank",
        "model",
        "vendor",
        "monthly_cost",
        "horizon_cost",
        "fit",
        "pareto",
    ] {
        assert!(haiku.get(key).is_some(), "{key}");
    }
    // Excluded entries carry reasons.
    let ex = v["excluded"].as_array().unwrap();
    let gpt4 = ex.iter().find(|e| e["model"] == "openai/gpt-4").unwrap();
    assert!(gpt4["reasons"][0]
        .as_str()
        .unwrap()
        .contains("context window 8,192 tokens < 16,000"));
    let sora = ex.iter().find(|e| e["model"] == "openai/sora").unwrap();
    assert!(sora["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r == "announced, not yet available"));
}

/// The README's example: every model gets an observed or clearly estimated fit, GPT-4 Turbo
/// included, and no number is made of missing scores alone.
#[test]
fn the_chatbot_example_has_no_silent_fit() {
    let v = json(&["rank", "scenarios/support-chatbot.toml"]);
    let rows = v["ranked"].as_array().unwrap();
    let turbo = rows
        .iter()
        .find(|r| r["model"] == "openai/gpt-4-turbo")
        .expect("GPT-4 Turbo is ranked");
    assert!(turbo["fit"].is_string(), "{turbo}");
    for r in rows {
        if r["fit"].is_null() {
            assert_eq!(r["fit_status"], "insufficient_data");
        } else if dec(&r["fit_coverage"]).is_zero() {
            assert_eq!(r["fit_status"], "imputed", "{}", r["model"]);
        }
    }
}

#[test]
fn objectives_order_the_table() {
    let cheap = json(&[
        "rank",
        "scenarios/support-chatbot.toml",
        "--objective",
        "cheapest",
    ]);
    let costs: Vec<Decimal> = cheap["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| dec(&r["monthly_cost"]))
        .collect();
    assert!(
        costs.windows(2).all(|w| w[0] <= w[1]),
        "cheapest sorts by cost: {costs:?}"
    );
    let best = json(&[
        "rank",
        "scenarios/support-chatbot.toml",
        "--objective",
        "best_fit",
    ]);
    let rows = best["ranked"].as_array().unwrap();
    // Scored rows first, by fit (estimates included, on their point estimate); then the rows
    // without a fit, by cost.
    let scored = rows.iter().take_while(|r| !r["fit"].is_null()).count();
    let fits: Vec<Decimal> = rows[..scored].iter().map(|r| dec(&r["fit"])).collect();
    assert!(
        fits.windows(2).all(|w| w[0] >= w[1]),
        "best_fit sorts by fit: {fits:?}"
    );
    let unscored: Vec<Decimal> = rows[scored..]
        .iter()
        .map(|r| {
            assert!(r["fit"].is_null(), "no fit after the first without one");
            assert_eq!(r["fit_status"], "insufficient_data");
            dec(&r["monthly_cost"])
        })
        .collect();
    // Every shipped chatbot candidate has a score somewhere, so this part is pinned on a fixture
    // catalogue in tests/fit.rs (`rows_without_a_fit_come_after_every_scored_row`).
    assert!(unscored.windows(2).all(|w| w[0] <= w[1]), "{unscored:?}");
    let top = json(&["rank", "scenarios/support-chatbot.toml", "--top", "3"]);
    assert_eq!(top["ranked"].as_array().unwrap().len(), 3);
}

#[test]
fn tiers_apply_to_long_prompts() {
    let v = json(&[
        "cost",
        "scenarios/contract-review.toml",
        "--model",
        "google/gemini-1.5-pro",
    ]);
    let w = &v["workloads"][0];
    assert_eq!(w["tier_above_input_tokens"], 128000);
    // 150/day × 22 = 3,300 requests; 495M input × $7/M = 3,465; 9.9M output × $21/M = 207.9 → 3,672.9.
    assert_eq!(dec(&w["cost"]), "3672.9".parse::<Decimal>().unwrap());
}

/// The medical scenario with its floor made strict: `min_scores_missing = "exclude"`.
fn strict_medical() -> (tempfile::TempDir, String) {
    let text =
        std::fs::read_to_string(common::root().join("scenarios/chinese-medical-assistant.toml"))
            .unwrap()
            .replace(
                "min_scores_missing = \"allow\"",
                "min_scores_missing = \"exclude\"",
            );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("strict.toml");
    std::fs::write(&path, text).unwrap();
    let p = path.to_str().unwrap().to_string();
    (dir, p)
}

#[test]
fn chinese_medical_scenario_ranks_chinese_models_against_the_others() {
    let v = json(&["rank", "scenarios/chinese-medical-assistant.toml"]);
    assert_eq!(v["currency"], "CNY");
    let ranked = v["ranked"].as_array().unwrap();
    let row = |id: &str| {
        ranked
            .iter()
            .find(|r| r["model"] == id)
            .unwrap_or_else(|| panic!("{id} not ranked"))
    };
    // GLM-4: 8,000/day × 30 × (6,000 + 600) + 500 × 30 × (90,000 + 1,500) tokens at CNY 100/M:
    // 1,584M + 1,372.5M = 2,956.5M tokens → CNY 295,650.
    assert_eq!(
        dec(&row("zhipu/glm-4")["monthly_cost"]),
        Decimal::from(295_650)
    );
    // Haiku in CNY: input 1,440M + 1,350M = 2,790M × $0.25/M = $697.5; output 144M + 22.5M =
    // 166.5M × $1.25/M = $208.125; $905.625 × 7.1059 = CN¥6,435.28.
    assert_eq!(
        dec(&row("anthropic/claude-3-haiku")["monthly_cost"]).round_dp(2),
        "6435.28".parse::<Decimal>().unwrap()
    );
    // No model with a 100k window has an MCMLE score: each is kept and flagged.
    assert_eq!(row("zhipu/glm-4")["unverified_floors"][0], "mcmle");
    // GLM-4 is ranked on its published MMLU and, clearly marked, on estimated medical scores.
    let glm = row("zhipu/glm-4");
    assert_eq!(glm["fit_status"], "partly_imputed");
    for s in glm["scores"].as_array().unwrap() {
        let observed = s["benchmark"] == "mmlu";
        assert_eq!(s["imputed"], !observed, "{s}");
        assert_eq!(s["setting"].is_null(), !observed, "{s}");
    }
    assert!(dec(&glm["fit_low"]) < dec(&glm["fit"]) && dec(&glm["fit"]) < dec(&glm["fit_high"]));
    let reasons = |id: &str| -> Vec<String> {
        v["excluded"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["model"] == id)
            .unwrap()["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap().to_string())
            .collect()
    };
    // The other Chinese models fail on context or price, each with every reason.
    assert!(reasons("baichuan/baichuan-3")
        .iter()
        .any(|r| r == "context window unknown"));
    assert!(reasons("baichuan/baichuan-3")
        .iter()
        .any(|r| r.starts_with("no public price")));
    assert!(reasons("baidu/ernie-4.0")[0].contains("7,168 tokens < 100,000"));
    assert!(reasons("openai/gpt-4")[0].contains("8,192 tokens < 100,000"));
}

#[test]
fn a_strict_floor_excludes_unscored_models_and_names_the_near_misses() {
    let (_dir, strict) = strict_medical();
    let out = llmplan()
        .args(["rank", &strict, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "no model has both evidence for MCMLE and a 100k window"
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["ranked"].as_array().unwrap().is_empty());
    let glm = v["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["model"] == "zhipu/glm-4")
        .unwrap();
    assert_eq!(glm["reasons"][0], "no mcmle score (min_scores requires 70)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("closest, failing one check each"),
        "{stderr}"
    );
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("no mcmle score") && l.contains("zhipu/glm-4")),
        "{stderr}"
    );
}

#[test]
fn cny_prices_convert_into_usd() {
    let v = json(&[
        "cost",
        "scenarios/procurement-batch-summaries.toml",
        "--model",
        "zhipu/glm-4",
    ]);
    // 900,000 × 3,800 tokens = 3.42B tokens × CNY 100/M = CNY 342,000; ÷ 7.1059 = USD 48,129.02.
    assert_eq!(
        dec(&v["monthly_cost"]).round_dp(2),
        "48129.02".parse::<Decimal>().unwrap()
    );
}

#[test]
fn budget_gate_exits_1_and_says_by_how_much() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tight.toml");
    std::fs::write(
        &path,
        "name = \"tight\"\n[[workload]]\nname = \"w\"\nrequests_per_day = 20000\ninput_tokens = 1800\noutput_tokens = 350\n[requirements]\nmax_monthly_cost = 100\n",
    )
    .unwrap();
    // Cheapest is Haiku: 600,000 × (1,800 × 0.25 + 350 × 1.25) / 1M = 270 + 262.5 = 532.5, 432.5 over.
    llmplan()
        .args(["rank", path.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("anthropic/claude-3-haiku, costs $532.50 a month, $432.50 more than max_monthly_cost $100.00"));
}

#[test]
fn all_lists_exclusions_in_the_table() {
    llmplan()
        .args(["rank", "scenarios/support-chatbot.toml", "--all"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Excluded ("))
        .stdout(predicate::str::contains(
            "research model, not offered for sale",
        ));
    llmplan()
        .args(["rank", "scenarios/support-chatbot.toml"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "add --all to list them with reasons",
        ));
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rank.json");
    llmplan()
        .args([
            "rank",
            "scenarios/support-chatbot.toml",
            "--format",
            "json",
            "--output",
            out.to_str().unwrap(),
        ])
        .assert()
        .success()
        .stdout("");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(v["scenario"], "Customer-support chatbot");
}

#[test]
fn works_from_any_directory() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = common::root().join("scenarios/support-chatbot.toml");
    llmplan()
        .current_dir(dir.path())
        .args(["rank", scenario.to_str().unwrap()])
        .assert()
        .success();
}

#[test]
fn image_workloads_rank_image_models() {
    let v = json(&["rank", "scenarios/image-generation.toml"]);
    let r = &v["ranked"][0];
    assert_eq!(r["model"], "openai/dall-e-3");
    // 10,000 images × $0.04 = $400.
    assert_eq!(dec(&r["monthly_cost"]), Decimal::from(400));
    let mj = v["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["model"] == "midjourney/midjourney-v6")
        .unwrap();
    assert_eq!(mj["reasons"][0], "no price per image");
}
