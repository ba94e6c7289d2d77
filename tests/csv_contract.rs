//! Every command's CSV header is fixed whatever the scenario, and its values are machine values.

mod common;

use common::llmplan;

fn csv(args: &[&str]) -> (String, Vec<String>) {
    let out = llmplan()
        .args(args)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines().map(String::from);
    let header = lines.next().unwrap_or_default();
    (header, lines.collect())
}

fn header(args: &[&str]) -> String {
    csv(args).0
}

const RANK: &str = "rank,model,vendor,deployment,gpu,gpus,precision,monthly_cost,cost_per_mtok,horizon_cost,horizon_cost_p10,horizon_cost_p90,win_share,horizon_months,fit,coverage,balanced,pareto,price_basis,overflow_share";

#[test]
fn rank_has_one_header_for_every_scenario() {
    for s in [
        "scenarios/support-chatbot.toml",
        "scenarios/build-or-buy.toml",
        "scenarios/chinese-medical-assistant.toml",
        "scenarios/procurement-batch-summaries.toml",
        "scenarios/claude3-routing.toml",
    ] {
        assert_eq!(header(&["rank", s]), RANK, "{s}");
    }
    // Self-host columns are empty for API rows; the horizon has its own column.
    let (_, rows) = csv(&["rank", "scenarios/build-or-buy.toml"]);
    assert!(
        rows.iter().any(|r| r.contains(",self-hosted,l40s,1,int8,")),
        "{rows:?}"
    );
    let api = rows
        .iter()
        .find(|r| r.contains("anthropic/claude-3-haiku"))
        .unwrap();
    assert!(api.contains(",api,,,,"), "{api}");
    let (_, rows) = csv(&["rank", "scenarios/chinese-medical-assistant.toml"]);
    assert!(rows[0].contains(",24,"), "24-month horizon: {}", rows[0]);
}

#[test]
fn cost_keeps_zero_columns() {
    let h = "workload,requests,input_tokens,cached_input_tokens,output_tokens,input_cost,cached_input_cost,cache_write_cost,output_cost,cache_storage_cost,batch_savings,media_cost,discount,cost";
    assert_eq!(
        header(&[
            "cost",
            "scenarios/support-chatbot.toml",
            "--model",
            "anthropic/claude-3-haiku"
        ]),
        h
    );
    assert_eq!(header(&["cost", "scenarios/claude3-routing.toml"]), h);
    let (_, rows) = csv(&[
        "cost",
        "scenarios/support-chatbot.toml",
        "--model",
        "anthropic/claude-3-haiku",
    ]);
    assert_eq!(
        rows[0],
        "chat,600000,1080000000,0,210000000,270,0,0,262.5,0,0,0,0,532.5"
    );
}

#[test]
fn every_other_command_pins_its_header() {
    let cases: &[(&[&str], &str)] = &[
        (&["models"], "id,name,status,context_window,input_per_mtok,output_per_mtok,per_image,per_video_second,currency,benchmarks"),
        (&["show", "anthropic/claude-3-haiku"], "field,value,source"),
        (&["benchmarks"], "id,name,domain,scale_min,scale_max,better,chance,models,reported_by"),
        (&["diff", "scenarios/support-chatbot.toml", "tests/fixtures/support-chatbot-no-haiku.toml"], "model,qualifies,base_monthly,new_monthly,monthly_change,monthly_change_percent,base_horizon,new_horizon,horizon_change"),
        (&["compare", "scenarios/support-chatbot.toml"], "group,best_model,monthly_cost,horizon_cost,horizon_months,fit,coverage,balanced,qualifying"),
        (&["compare", "scenarios/support-chatbot.toml", "--by", "family"], "group,best_model,monthly_cost,horizon_cost,horizon_months,fit,coverage,balanced,qualifying"),
        (&["mix", "scenarios/support-chatbot.toml", "--target-fit", "84", "--family", "claude-3"], "model,name,share,answers,fit,monthly_cost"),
        (&["check", "scenarios/support-chatbot.toml"], "file,kind"),
        (&["breakeven", "scenarios/build-or-buy.toml", "--model", "meta/llama-2-70b", "--vs", "anthropic/claude-3-haiku"], "field,value"),
        (&["throughput", "--model", "meta/llama-2-7b", "--gpu", "h100-sxm", "--precision", "fp8", "--input", "128", "--output", "2048"], "field,value"),
        (&["sweep", "scenarios/support-chatbot.toml", "--vary", "workload.chat.requests_per_day=1000,2000"], "workload.chat.requests_per_day,winner,monthly_cost,fit,runner_up"),
    ];
    for (args, h) in cases {
        assert_eq!(header(args), *h, "{args:?}");
    }
}

#[test]
fn models_values_are_machine_values() {
    let (_, rows) = csv(&["models"]);
    let text = rows.join("\n");
    for bad in ["\"4,096\"", ",?,", "unpriced", "—", "/image", "/s video"] {
        assert!(!text.contains(bad), "found {bad}");
    }
    let dalle = rows
        .iter()
        .find(|r| r.starts_with("openai/dall-e-3,"))
        .unwrap();
    assert!(dalle.ends_with(",ga,,,,0.04,,USD,0"), "{dalle}");
    let yi = rows
        .iter()
        .find(|r| r.starts_with("01ai/yi-34b-chat,"))
        .unwrap();
    assert!(yi.contains(",ga,4096,,,,,USD,"), "{yi}");
}

#[test]
fn the_readme_lists_every_header() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let mut headers = vec![RANK.to_string()];
    headers.push(llmplan::csv_contract::cost().join(","));
    for h in [
        llmplan::csv_contract::MODELS,
        llmplan::csv_contract::SHOW,
        llmplan::csv_contract::DIFF,
        llmplan::csv_contract::COMPARE,
        llmplan::csv_contract::MIX,
        llmplan::csv_contract::CHECK,
        llmplan::csv_contract::FIGURES,
    ] {
        headers.push(h.join(","));
    }
    headers.push("id,name,domain,scale_min,scale_max,better,chance,models,reported_by".into());
    for h in headers {
        assert!(readme.contains(&format!("`{h}`")), "README lacks `{h}`");
    }
}
