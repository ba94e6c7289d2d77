//! Self-hosted fleets: the sizing rules engines follow, the cheapest configuration at the
//! scenario's volume, the service levels, monotonicity, Mixtral against dense models, and how
//! `rank` shows self-hosted rows and the configurations it tried.

mod common;

use common::{dec, json, llmplan};
use llmplan::catalogue::model::Model;
use llmplan::selfhost::fleet::{plan, Estimate, Plan};
use llmplan::source::SourceFile;
use llmplan::{Catalogue, Scenario};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::sync::OnceLock;

fn catalogue() -> &'static Catalogue {
    static CAT: OnceLock<Catalogue> = OnceLock::new();
    CAT.get_or_init(|| Catalogue::embedded().unwrap())
}

/// A scenario of `per_day` requests of `input` + `output` tokens with the given `[selfhost]` body.
fn scenario(per_day: u64, input: u64, output: u64, selfhost: &str) -> Scenario {
    let text = format!(
        "name = \"fleet\"\n[[workload]]\nname = \"chat\"\nrequests_per_day = {per_day}\ninput_tokens = {input}\noutput_tokens = {output}\n[selfhost]\n{selfhost}\n"
    );
    Scenario::from_source(
        &SourceFile::from_text("s.toml".into(), text).unwrap(),
        catalogue(),
    )
    .unwrap()
}

fn plan_of(s: &Scenario, model: &str) -> Plan {
    let cat = catalogue();
    plan(
        s,
        s.selfhost.as_ref().unwrap(),
        cat.model(model).unwrap(),
        cat,
        &s.fx(cat),
    )
    .unwrap()
    .unwrap()
}

fn best(s: &Scenario, model: &str) -> Estimate {
    plan_of(s, model).best.expect("a fleet serves")
}

#[test]
fn llama2_7b_bf16_serves_from_one_h100_at_4k_context() {
    // 3,072 prompt + 1,024 reply tokens: a 4k context. 14 GB of bf16 weights leave 58 of the 72
    // usable GB for a cache paged per token, 1.879 GB a request on average (3,584 tokens ×
    // 524,288 B): 30 requests at once on one GPU. The old rule bought 2 GPUs to hold 32 × 4,096
    // tokens of cache.
    let s = scenario(
        10_000,
        3072,
        1024,
        "gpus = [\"h100-sxm\"]\nprecision = \"bf16\"",
    );
    let e = best(&s, "meta/llama-2-7b");
    assert_eq!((e.gpus(), e.batch()), (1, 30));
    assert_eq!(e.weights_gb, 14.0);
}

#[test]
fn llama2_70b_bf16_needs_tensor_parallelism_of_at_least_two_on_h100() {
    let s = scenario(
        10_000,
        1000,
        200,
        "gpus = [\"h100-sxm\"]\nprecision = \"bf16\"",
    );
    let p = plan_of(&s, "meta/llama-2-70b");
    // 140 GB of weights do not fit one H100's 72 usable GB.
    let one = &p.considered[0];
    assert_eq!(one.tensor_parallel, Some(1));
    assert!(
        one.reason
            .as_deref()
            .unwrap()
            .starts_with("140 GB of weights"),
        "{one:?}"
    );
    assert!(p.best.unwrap().gpus() >= 2);
}

#[test]
fn grok1_tensor_parallel_degree_divides_its_heads() {
    // 314 GB of int8 weights: 4 H100 hold 288 usable GB, too little; 8 hold 576. 6 GPUs would
    // fit too, but 6 divides neither its 48 query heads evenly into KV groups nor its 8 KV heads.
    let s = scenario(
        10_000,
        1000,
        200,
        "gpus = [\"h100-sxm\"]\nprecision = \"int8\"",
    );
    let p = plan_of(&s, "xai/grok-1");
    for c in &p.considered {
        let n = c.tensor_parallel.unwrap();
        assert!(48u64.is_multiple_of(n) && 8u64.is_multiple_of(n), "{c:?}");
    }
    assert_eq!(p.best.unwrap().gpus(), 8);
}

#[test]
fn no_configuration_uses_tensor_parallelism_above_eight() {
    let v = json(&[
        "rank",
        "scenarios/build-or-buy.toml",
        "--all",
        "--top",
        "60",
    ]);
    let configs = v["selfhost_configurations"].as_array().unwrap();
    assert!(configs.len() > 50, "{}", configs.len());
    for c in configs {
        if let Some(n) = c["tensor_parallel"].as_u64() {
            assert!([1, 2, 4, 8].contains(&n), "{c}");
        }
    }
    for r in v["ranked"].as_array().unwrap() {
        if r["deployment"] == "self-hosted" {
            assert!(r["tensor_parallel"].as_u64().unwrap() <= 8, "{r}");
        }
    }
}

#[test]
fn the_cheapest_fleet_wins_and_consumer_cards_need_permission() {
    // Llama 2 7B, bf16, every GPU: the plan tries each data-centre GPU at every degree.
    let s = scenario(40_000, 1500, 300, "precision = \"bf16\"");
    let p = plan_of(&s, "meta/llama-2-7b");
    assert!(p.considered.iter().all(|c| c.gpu != "rtx-4090"));
    let e = p.best.as_ref().unwrap();
    let cheapest = p
        .considered
        .iter()
        .filter_map(|c| c.monthly_cost)
        .min()
        .unwrap();
    assert_eq!(e.cost.monthly_cost, cheapest);
    // Consumer cards are tried only when allowed.
    let s = scenario(
        40_000,
        1500,
        300,
        "precision = \"bf16\"\nallow_consumer_gpus = true",
    );
    let p = plan_of(&s, "meta/llama-2-7b");
    assert!(p.considered.iter().any(|c| c.gpu == "rtx-4090"));
}

#[test]
fn service_levels_change_the_bill() {
    // Llama 2 70B int8 on A100: a fleet of 2-GPU replicas at $1.59 an hour, 730 h: $2,321.40 each.
    let base = "gpus = [\"a100-80gb\"]\nprecision = \"int8\"";
    let bill = |extra: &str| {
        let e = best(
            &scenario(200_000, 1500, 300, &format!("{base}\n{extra}")),
            "meta/llama-2-70b",
        );
        (e.replicas, e.gpus(), e.batch(), e.cost.monthly_cost)
    };
    let (r, g, b, m) = bill("");
    assert_eq!(
        m,
        Decimal::from(r * g) * Decimal::from(730) * Decimal::new(159, 2)
    );
    // A peak twice the average needs about twice the replicas.
    let (r2, _, _, m2) = bill("peak_to_average = 2");
    assert!(r2 >= 2 * r - 1 && r2 <= 2 * r, "{r} → {r2}");
    assert!(m2 > m);
    // A spare replica adds exactly one replica-month.
    let (r3, g3, _, m3) = bill("spare_replicas = 1");
    assert_eq!((r3, g3), (r + 1, g));
    assert_eq!(
        m3 - m,
        Decimal::from(g) * Decimal::new(159, 2) * Decimal::from(730)
    );
    // Latency targets shrink the batch, so more replicas serve the same load.
    let (_, _, b4, m4) = bill("min_output_tokens_per_s_per_user = 15");
    assert!(b4 < b && m4 >= m, "batch {b} → {b4}, {m} → {m4}");
    let (_, _, b5, m5) = bill("max_time_to_first_token_ms = 600");
    assert!(b5 < b && m5 >= m, "batch {b} → {b5}, {m} → {m5}");
    // Fewer paid hours a month, less to pay per replica.
    let (r6, g6, _, m6) = bill("hours_per_month = 360");
    assert!(m6 < m && r6 * g6 >= r * g);
}

/// `scenarios/build-or-buy.toml` at 400,000 requests a day with one `[selfhost]` setting changed.
fn build_or_buy_at_ten_times(setting: &str) -> String {
    let text = std::fs::read_to_string(common::root().join("scenarios/build-or-buy.toml"))
        .unwrap()
        .replace("requests_per_day = 40000", "requests_per_day = 400000");
    let Some((key, _)) = setting.split_once(" = ") else {
        return text;
    };
    let mut replaced = false;
    let mut lines: Vec<String> = text
        .lines()
        .map(|l| {
            let bare = l.trim_start_matches("# ");
            if !replaced && bare.starts_with(&format!("{key} = ")) {
                replaced = true;
                setting.to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    if !replaced {
        lines.push(setting.to_string());
    }
    lines.join("\n")
}

#[test]
fn readme_service_level_table_is_what_the_tool_computes() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    // (setting as the README names it, setting, replicas, batch, monthly)
    let rows = [
        (
            "as in `build-or-buy.toml` (peak 1.5×, ≥ 20 tokens/s per user)",
            "",
            3,
            Some(105),
            "10052.1",
        ),
        (
            "`peak_to_average = 1` (flat traffic)",
            "peak_to_average = 1",
            2,
            None,
            "6701.4",
        ),
        (
            "`peak_to_average = 2`",
            "peak_to_average = 2",
            4,
            None,
            "13402.8",
        ),
        (
            "`spare_replicas = 1`",
            "spare_replicas = 1",
            4,
            None,
            "13402.8",
        ),
        (
            "`min_output_tokens_per_s_per_user = 35`",
            "min_output_tokens_per_s_per_user = 35",
            5,
            Some(22),
            "16753.5",
        ),
        (
            "`max_time_to_first_token_ms = 245`",
            "max_time_to_first_token_ms = 245",
            4,
            Some(29),
            "13402.8",
        ),
        (
            "`hours_per_month = 360` (12 hours a day)",
            "hours_per_month = 360",
            5,
            None,
            "8262",
        ),
        (
            "`hours_per_month = 744` (a 31-day month)",
            "hours_per_month = 744",
            3,
            None,
            "10244.88",
        ),
        (
            "`kv_precision = \"fp8\"`",
            "kv_precision = \"fp8\"",
            2,
            Some(210),
            "6701.4",
        ),
    ];
    for (name, setting, replicas, batch, monthly) in rows {
        let path = dir.path().join("s.toml");
        std::fs::write(&path, build_or_buy_at_ten_times(setting)).unwrap();
        let v = json(&["rank", path.to_str().unwrap(), "--top", "40"]);
        let row = v["ranked"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["model"] == "meta/llama-2-70b" && r["deployment"] == "self-hosted")
            .unwrap_or_else(|| panic!("{setting}: no self-hosted Llama 2 70B"))
            .clone();
        assert_eq!(
            (
                row["gpu"].as_str(),
                row["gpus"].as_u64(),
                row["replicas"].as_u64()
            ),
            (Some("h200"), Some(1), Some(replicas)),
            "{setting}"
        );
        let monthly: Decimal = monthly.parse().unwrap();
        assert_eq!(dec(&row["monthly_cost"]), monthly, "{setting}");
        let fleet = match batch {
            Some(b) => {
                assert_eq!(row["batch"].as_u64(), Some(b), "{setting}");
                format!("{replicas} × 1 H200, batch {b}")
            }
            None => format!("{replicas} × 1 H200"),
        };
        let money = llmplan::money::format_money(monthly, llmplan::money::Currency::USD);
        let line = format!("| {name} | {fleet} | {money} |");
        assert!(readme.contains(&line), "README.md lacks\n{line}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// More volume never lowers the monthly cost, and a lower GPU price never raises it, whatever
    /// the configuration the planner picks.
    #[test]
    fn the_cheapest_fleet_is_monotone(
        per_day in 1u64..400_000,
        more in 1u64..400_000,
        cents in 50u64..600,
        cheaper in 1u64..50,
        peak_tenths in 10u64..30,
        spare in 0u64..2,
    ) {
        let spec = |price: u64| format!(
            "precision = \"int8\"\npeak_to_average = {}\nspare_replicas = {spare}\ngpu_hourly_price = {{ \"a100-80gb\" = \"{}\", \"h100-sxm\" = \"{}\" }}",
            Decimal::new(peak_tenths as i64, 1),
            Decimal::new(price as i64, 2),
            Decimal::new(price as i64 * 2, 2),
        );
        let cost = |per_day: u64, price: u64| {
            best(&scenario(per_day, 1500, 300, &spec(price)), "meta/llama-2-70b").cost.monthly_cost
        };
        let at = cost(per_day, cents);
        prop_assert!(cost(per_day + more, cents) >= at);
        prop_assert!(cost(per_day, cents - cheaper) <= at);
    }
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
    let cat = catalogue();
    let mixtral = cat.model("mistral/mixtral-8x7b").unwrap();
    let (d13, d47) = (dense(mixtral, 13), dense(mixtral, 47));
    // int8 on one H100, so all three fit one GPU (47 GB of weights at most) and only what each
    // reads and computes differs. Requests of 1,000 prompt and 200 reply tokens.
    let fleet = |m: &Model, batch: u64| {
        let s = scenario(
            10_000,
            1000,
            200,
            &format!("gpus = [\"h100-sxm\"]\nprecision = \"int8\"\nmax_batch = {batch}"),
        );
        let p = plan(&s, s.selfhost.as_ref().unwrap(), m, cat, &s.fx(cat))
            .unwrap()
            .unwrap();
        let e = p.best.unwrap();
        assert_eq!((e.gpus(), e.batch()), (1, batch));
        let step = e.dominant.as_ref().unwrap().run.step_s;
        let decode = Decimal::from_f64_retain(step / batch as f64).unwrap();
        (e.cost_per_mtok, decode)
    };
    // Batch 1: the token in flight reads only its 2 of 8 experts, 13 GB like the 13B dense model,
    // and computes 13B like it: the same cost. The 47B model reads 47 GB a step: 3.59× as dear.
    let ((m1, _), (a1, _), (b1, _)) = (fleet(mixtral, 1), fleet(&d13, 1), fleet(&d47, 1));
    assert_eq!(position(m1, a1, b1), Decimal::ZERO, "{m1} {a1} {b1}");
    assert_eq!((b1 / m1).round_dp(2), Decimal::new(359, 2));
    // Batch 128: the batch touches every expert (1 − 0.75^128 ≈ 1), so a decode step reads all
    // 47 GB, as the 47B model's does (each plus 128 × 1,100 tokens × 131,072 B = 18.5 GB of cache):
    // decode costs what 47B's does. Prefill, compute-bound, counts only 13B active parameters, so
    // overall Mixtral sits 27.8% of the way from the 13B model to the 47B one, which costs 1.89×
    // as much a token.
    let ((m, md), (a, ad), (b, bd)) = (fleet(mixtral, 128), fleet(&d13, 128), fleet(&d47, 128));
    assert!(a < m && m < b, "{a} < {m} < {b}");
    assert_eq!(position(m, a, b), Decimal::new(278, 3));
    assert_eq!((b / m).round_dp(2), Decimal::new(189, 2));
    assert_eq!(position(md, ad, bd), Decimal::ONE);
}

#[test]
fn rank_shows_one_cheapest_fleet_per_model_with_its_fields() {
    let v = json(&["rank", "scenarios/build-or-buy.toml", "--top", "40"]);
    let rows = v["ranked"].as_array().unwrap();
    let hosted: Vec<_> = rows
        .iter()
        .filter(|r| r["deployment"] == "self-hosted")
        .collect();
    assert!(hosted.len() >= 5, "{}", hosted.len());
    let mut models: Vec<&str> = hosted
        .iter()
        .map(|r| r["model"].as_str().unwrap())
        .collect();
    models.sort();
    models.dedup();
    assert_eq!(models.len(), hosted.len(), "one self-hosted row per model");
    for r in &hosted {
        assert_eq!(r["label"], "self-hosted (estimate)");
        assert!(r["gpu"].is_string(), "{r}");
        assert_eq!(r["gpus"], r["tensor_parallel"], "{r}");
        assert!(r["replicas"].as_u64().unwrap() >= 1, "{r}");
        assert!(r["batch"].as_u64().unwrap() >= 1, "{r}");
        assert_eq!(r["kv_precision"], "bf16");
        assert_eq!(r["precision"], "int8");
        // The bill is whole replicas of whole GPUs at the hourly price.
        let price = dec(&r["selfhost"]["gpu_hourly_price"]);
        let gpus = Decimal::from(r["gpus"].as_u64().unwrap() * r["replicas"].as_u64().unwrap());
        assert_eq!(
            dec(&r["monthly_cost"]),
            gpus * Decimal::from(730) * price,
            "{r}"
        );
    }
    assert!(rows
        .iter()
        .any(|r| r["deployment"] == "api" && r["model"] == "anthropic/claude-3-haiku"));

    let out = llmplan()
        .args(["rank", "scenarios/build-or-buy.toml", "--all"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("self-hosted (estimate): "), "{text}");
    assert!(text.contains("Self-hosted estimates: how each fleet was sized"));
    assert!(text.contains("Self-hosted configurations considered ("));
    assert!(text.contains("a100-80gb has no fp8") || text.contains("GB of weights"));
}

#[test]
fn open_models_that_cannot_be_self_hosted_are_excluded_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fp8.toml");
    let text = "name = \"fp8 on A100\"\n[[workload]]\nname = \"a\"\nrequests_per_day = 1000\ninput_tokens = 100\noutput_tokens = 100\n[selfhost]\ngpus = [\"a100-80gb\"]\nprecision = \"fp8\"\n";
    std::fs::write(&path, text).unwrap();
    let v = json(&["rank", path.to_str().unwrap(), "--top", "60"]);
    assert!(v["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["deployment"] == "api"));
    let ex = v["excluded"].as_array().unwrap();
    let reason = |model: &str| {
        ex.iter()
            .find(|e| e["model"] == model && e["deployment"] == "self-hosted")
            .unwrap_or_else(|| panic!("{model} excluded"))["reasons"][0]
            .as_str()
            .unwrap()
            .to_string()
    };
    // fp8 weights are quantised from the bf16 release, but the A100 has no fp8 tensor cores.
    assert_eq!(
        reason("meta/llama-2-70b"),
        "no GPU configuration serves it (on a100-80gb: a100-80gb has no fp8 tensor cores; use bf16 or int8 weights on it)"
    );
    // With int4, a model published only in 16-bit cannot be served at all.
    let text = text.replace("\"fp8\"", "\"int4\"");
    std::fs::write(&path, text).unwrap();
    let v = json(&["rank", path.to_str().unwrap(), "--top", "60"]);
    let spark = v["excluded"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["model"] == "iflytek/spark-13b" && e["deployment"] == "self-hosted")
        .cloned();
    if let Some(e) = spark {
        assert_eq!(
            e["reasons"][0],
            "not available in int4 (published precisions: bf16)"
        );
    }
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
         [selfhost]\ngpus = [\"h100\", \"rtx-4090\"]\nutilization = 0\nmin_replicas = 0\ngpu_hourly_price = { \"a100-80gb\" = \"-1\" }\n\
         spare_replicas = -1\npeak_to_average = 0.5\nhours_per_month = 800\nbatch = 32\nmax_batch = 64\nruntime_reserve = 1\n\
         max_time_to_first_token_ms = 0\nmin_output_tokens_per_s_per_user = -5\n",
    )
    .unwrap();
    let out = llmplan().arg("check").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    for expected in [
        "bad.toml:8:9: no accelerator `h100`",
        "did you mean `h100-sxm`?",
        "bad.toml:8:17: `rtx-4090` is a consumer card",
        "allow_consumer_gpus = true",
        "bad.toml:9:15: `utilization` must be above 0",
        "bad.toml:10:16: `min_replicas` must be at least 1",
        "`a100-80gb` must be greater than 0",
        "bad.toml:12:18: `spare_replicas` cannot be negative, found -1",
        "bad.toml:13:19: `peak_to_average` must be at least 1, found 0.5",
        "bad.toml:14:19: `hours_per_month` is 800, more than a month has",
        "bad.toml:15:9: both `batch` and `max_batch` are set",
        "bad.toml:17:19: `runtime_reserve` of 1 leaves no memory",
        "bad.toml:18:30: `max_time_to_first_token_ms` must be greater than 0",
        "bad.toml:19:36: `min_output_tokens_per_s_per_user` must be greater than 0",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    // An unknown precision is refused with the valid values.
    std::fs::write(
        &path,
        "name = \"x\"\n[[workload]]\nname = \"a\"\nrequests_per_day = 10\ninput_tokens = 10\noutput_tokens = 10\n[selfhost]\nkv_precision = \"fp16\"\n",
    )
    .unwrap();
    let out = llmplan().arg("check").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("bad.toml:8:"), "{err}");
    assert!(err.contains("bf16") && err.contains("fp8"), "{err}");
}

/// The text of a scenario of `n` workloads served on one H100 in int8, workload `i` of
/// `size(i)` = (requests a day, input tokens, output tokens).
fn many_text(n: usize, size: impl Fn(usize) -> (usize, usize, usize)) -> String {
    let mut text =
        "name = \"many\"\n[selfhost]\ngpus = [\"h100-sxm\"]\nprecision = \"int8\"\n".to_string();
    for i in 0..n {
        let (per_day, input, output) = size(i);
        text.push_str(&format!(
            "[[workload]]\nname = \"w{i}\"\nrequests_per_day = {per_day}\ninput_tokens = {input}\noutput_tokens = {output}\n"
        ));
    }
    text
}

/// A scenario of `n` workloads of different sizes, served on one H100 in int8.
fn many(n: usize) -> Scenario {
    let text = many_text(n, |i| (1000 * (i + 1), 500 + 700 * i, 100 + 150 * i));
    Scenario::from_source(
        &SourceFile::from_text("many.toml".into(), text).unwrap(),
        catalogue(),
    )
    .unwrap()
}

#[test]
fn an_estimate_makes_its_loads_and_its_bill_split_again_and_they_add_up_to_its_totals() {
    let cat = catalogue();
    let s = many(5);
    let e = best(&s, "meta/llama-2-13b");
    let mut loads = Vec::new();
    e.each_load(&s, cat, &mut |l| loads.push(l)).unwrap();
    let mut bills = Vec::new();
    e.each_bill(&s, cat, &mut |w| bills.push(w)).unwrap();
    assert_eq!((loads.len(), bills.len(), e.served), (5, 5, 5));
    // In the scenario's order, one of each per workload.
    let names: Vec<&str> = loads.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["w0", "w1", "w2", "w3", "w4"]);
    assert!(bills.iter().zip(&loads).all(|(b, l)| b.name == l.name));
    // The busiest workload kept is the one with the most replica-hours: the last, the largest.
    let hours: Vec<f64> = loads.iter().map(|l| l.hours()).collect();
    let top = hours.iter().cloned().fold(f64::MIN, f64::max);
    assert_eq!(e.dominant.as_ref().unwrap().hours(), top);
    assert_eq!(e.dominant.as_ref().unwrap().name, "w4");
    assert_eq!(e.batch(), loads[4].run.batch);
    // Busy hours and tokens are the sums of the loads; the split adds up to the bill exactly.
    assert_eq!(e.busy_hours, hours.iter().sum::<f64>());
    let tokens: Decimal = loads.iter().map(|l| l.input_tokens + l.output_tokens).sum();
    assert_eq!(e.tokens, tokens);
    let split: Decimal = bills.iter().map(|b| b.cost).sum();
    assert_eq!(split, e.cost.monthly_cost);
    // Each part is its share of the busy hours, but the last, which takes what is left.
    for (b, l) in bills.iter().zip(&loads).take(4) {
        use rust_decimal::prelude::FromPrimitive;
        let share = Decimal::from_f64(l.hours() / e.busy_hours).unwrap();
        assert_eq!(b.cost, e.cost.monthly_cost * share, "{}", b.name);
    }
    // A scenario that is not the one the estimate was sized for is refused.
    let err = e.each_load(&many(4), cat, &mut |_| {}).unwrap_err();
    assert!(err.to_string().contains("cannot be made again"), "{err}");
}

#[test]
fn the_sizing_table_lists_up_to_eight_workloads_and_gives_ranges_beyond() {
    let dir = tempfile::tempdir().unwrap();
    let table = |n: usize| {
        let text = many_text(n, |i| (1000, 500 + 500 * i, 200));
        let path = dir.path().join(format!("w{n}.toml"));
        std::fs::write(&path, text).unwrap();
        let out = llmplan()
            .args(["rank", path.to_str().unwrap(), "--format", "markdown"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        let row = text
            .lines()
            .skip_while(|l| !l.contains("how each fleet was sized"))
            .find(|l| l.starts_with("| mistral/mixtral-8x7b"))
            .unwrap_or_else(|| panic!("no Mixtral sizing row in {text}"))
            .to_string();
        (row, text)
    };
    // Eight workloads: every workload's batch, in order, in one cell.
    let (row, text) = table(8);
    let batch = row.split('|').nth(6).unwrap().trim();
    assert_eq!(batch.split(" / ").count(), 8, "{row}");
    assert!(!text.contains("range over the workloads"), "{text}");
    // Nine: the lowest and highest batch, and a note that says so.
    let (row, text) = table(9);
    let batch = row.split('|').nth(6).unwrap().trim();
    let (lo, hi) = batch.split_once('–').unwrap_or_else(|| panic!("{row}"));
    let (lo, hi): (u64, u64) = (lo.parse().unwrap(), hi.parse().unwrap());
    assert!(lo < hi, "{row}");
    assert!(
        text.contains("for these 9 it gives each column's range over the workloads"),
        "{text}"
    );
    // The JSON lists every workload's load and bill.
    let v = json(&[
        "rank",
        dir.path().join("w9.toml").to_str().unwrap(),
        "--top",
        "60",
    ]);
    let r = v["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["model"] == "mistral/mixtral-8x7b" && r["deployment"] == "self-hosted")
        .unwrap();
    let loads = r["selfhost"]["workloads"].as_array().unwrap();
    assert_eq!(loads.len(), 9);
    assert_eq!(r["workloads"].as_array().unwrap().len(), 9);
    let batches: Vec<u64> = loads.iter().map(|l| l["batch"].as_u64().unwrap()).collect();
    assert_eq!(
        (
            *batches.iter().min().unwrap(),
            *batches.iter().max().unwrap()
        ),
        (lo, hi)
    );
    let split: Decimal = r["workloads"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| dec(&w["cost"]))
        .sum();
    // Each part is printed to six decimals.
    let gap = (split - dec(&r["monthly_cost"])).abs();
    assert!(gap <= Decimal::new(9, 6), "{split} {}", r["monthly_cost"]);
}
