//! The JSON Schemas of the commands' `--format json` output, in `schemas/*.output.schema.json`:
//! current with the types that print the output, met by what the binary prints on real scenarios
//! and fixtures, and strict enough to catch a changed shape. Validation uses an independent
//! validator (boon).

mod common;
use common::schema::{assert_current, Validator};
use common::{json_exiting, llmplan};
use serde_json::Value;

/// `llmplan schema KIND` and the committed file it must equal.
const OUTPUTS: [(&str, &str); 13] = [
    ("rank-output", "schemas/rank.output.schema.json"),
    ("cost-output", "schemas/cost.output.schema.json"),
    ("mix-output", "schemas/mix.output.schema.json"),
    ("compare-output", "schemas/compare.output.schema.json"),
    ("diff-output", "schemas/diff.output.schema.json"),
    ("breakeven-output", "schemas/breakeven.output.schema.json"),
    ("throughput-output", "schemas/throughput.output.schema.json"),
    ("benchmarks-output", "schemas/benchmarks.output.schema.json"),
    ("check-output", "schemas/check.output.schema.json"),
    ("import-output", "schemas/import.output.schema.json"),
    ("models-output", "schemas/models.output.schema.json"),
    ("show-output", "schemas/show.output.schema.json"),
    ("sweep-output", "schemas/sweep.output.schema.json"),
];

#[test]
fn committed_output_schemas_are_current() {
    for (kind, file) in OUTPUTS {
        assert_current(kind, file, "the output types");
    }
}

/// Runs the binary with `--format json` and parses what it prints; a run that finds no model or
/// crosses a gate (exit 1) still prints its report.
fn output(args: &[&str]) -> Value {
    json_exiting(args, &[0, 1])
}

fn schema_of(kind: &str) -> Validator {
    let (_, file) = OUTPUTS
        .iter()
        .find(|(k, _)| *k == kind)
        .unwrap_or_else(|| panic!("no output schema `{kind}`"));
    Validator::new(file)
}

/// Checks each run's output against the command's schema.
fn passes(kind: &str, runs: &[&[&str]]) {
    let schema = schema_of(kind);
    for args in runs {
        let doc = output(args);
        schema
            .check(&doc)
            .unwrap_or_else(|e| panic!("{args:?} does not match {kind}: {e}"));
    }
}

/// A change to a valid document that its schema must refuse, and what it is.
type Change = (&'static str, fn(&mut Value));

/// Applies each change to a copy of `good` and expects the schema to refuse the result.
fn refuses(schema: &Validator, good: &Value, changes: &[Change]) {
    schema
        .check(good)
        .unwrap_or_else(|e| panic!("the unchanged document must pass: {e}"));
    for (what, change) in changes {
        let mut doc = good.clone();
        change(&mut doc);
        assert!(schema.check(&doc).is_err(), "{what} must be refused");
    }
}

const ROUTING: &str = "tests/fixtures/routing/mix-claude3.toml";

#[test]
fn rank_output_matches_its_schema() {
    passes(
        "rank-output",
        &[
            &["rank", "scenarios/support-chatbot.toml", "--all"],
            // Self-hosted rows and the configurations tried.
            &["rank", "scenarios/build-or-buy.toml", "--all"],
            // A routed mix, its legs and who answers.
            &["rank", "scenarios/claude3-routing.toml", "--all"],
            &["rank", ROUTING, "--all"],
            // The forecast's fields and object: ranges on volumes, on a cache hit rate, and a
            // routed mix under a price schedule.
            &["rank", "scenarios/procurement-price-outlook.toml", "--all"],
            &[
                "--profiles",
                "tests/fixtures/cache/profiles",
                "rank",
                "tests/fixtures/forecast/hit-rate.toml",
                "--all",
            ],
            &[
                "rank",
                "tests/fixtures/forecast/routed-schedule.toml",
                "--all",
            ],
            // Exchange rates and a discount.
            &["rank", "scenarios/chinese-support-desk.toml", "--all"],
            &["rank", "scenarios/procurement-batch-summaries.toml"],
            // Sizes that vary: overflow shares.
            &[
                "--profiles",
                "tests/fixtures/distribution/profiles",
                "rank",
                "tests/fixtures/distribution/lognormal.toml",
                "--all",
            ],
            // Estimated fits and the reasons a fit is missing.
            &[
                "--profiles",
                "tests/fixtures/fit/profiles",
                "rank",
                "tests/fixtures/fit/chatbot.toml",
                "--all",
            ],
            // Nothing qualifies (exit 1): every model excluded with its codes.
            &["rank", "tests/fixtures/claude3-over-budget.toml", "--all"],
            &["rank", "tests/fixtures/reason-codes.toml", "--all"],
        ],
    );
}

const HAIKU: &str = "anthropic/claude-3-haiku";

#[test]
fn cost_output_matches_its_schema() {
    let cache = "tests/fixtures/cache/profiles";
    let buckets = "tests/fixtures/distribution/profiles";
    let images = "tests/fixtures/tokens/profiles";
    passes(
        "cost-output",
        &[
            &["cost", "scenarios/support-chatbot.toml", "--model", HAIKU],
            // Routes and cascades, leg by leg.
            &["cost", "scenarios/claude3-routing.toml"],
            &["cost", "tests/fixtures/routing/cascade.toml"],
            &[
                "cost",
                "tests/fixtures/routing/partly-routed.toml",
                "--model",
                HAIKU,
            ],
            // Prompt caching: cached, below the minimum, no cache prices.
            &[
                "--profiles",
                cache,
                "cost",
                "tests/fixtures/cache/scenario.toml",
                "--model",
                "acme/cached",
            ],
            &[
                "--profiles",
                cache,
                "cost",
                "tests/fixtures/cache/scenario.toml",
                "--model",
                "acme/plain",
            ],
            &[
                "cost",
                "scenarios/prompt-cache.toml",
                "--model",
                "google/gemini-1.5-pro",
            ],
            // Price tiers per request.
            &[
                "--profiles",
                buckets,
                "cost",
                "tests/fixtures/distribution/buckets.toml",
                "--model",
                "fixture/tiered-pro",
            ],
            // Images, and a vendor priced in CNY.
            &[
                "--profiles",
                images,
                "cost",
                "tests/fixtures/tokens/images.toml",
                "--model",
                "acme/vision-tiles",
            ],
            &[
                "cost",
                "scenarios/chinese-support-desk.toml",
                "--model",
                "openai/gpt-3.5-turbo",
            ],
            // The forecast's fields and object.
            &[
                "cost",
                "scenarios/procurement-price-outlook.toml",
                "--model",
                HAIKU,
            ],
            &[
                "--profiles",
                cache,
                "cost",
                "tests/fixtures/forecast/hit-rate.toml",
                "--model",
                "acme/cached",
            ],
        ],
    );
}

#[test]
fn mix_output_matches_its_schema() {
    let fit = "tests/fixtures/fit/profiles";
    let chatbot = "scenarios/support-chatbot.toml";
    passes(
        "mix-output",
        &[
            &["mix", chatbot, "--target-fit", "84", "--family", "claude-3"],
            &["mix", chatbot, "--target-fit", "70"],
            // Nothing reaches the target (exit 1): the plan's fields are null.
            &["mix", chatbot, "--target-fit", "99"],
            // Estimated fits in the blend.
            &["mix", ROUTING, "--target-fit", "84"],
            &[
                "--profiles",
                fit,
                "mix",
                "tests/fixtures/fit/chatbot.toml",
                "--target-fit",
                "84",
            ],
        ],
    );
}

#[test]
fn compare_output_matches_its_schema() {
    let fit = "tests/fixtures/fit/profiles";
    passes(
        "compare-output",
        &[
            &["compare", "scenarios/support-chatbot.toml"],
            &[
                "compare",
                "scenarios/support-chatbot.toml",
                "--by",
                "family",
            ],
            &[
                "compare",
                "scenarios/chinese-support-desk.toml",
                "--by",
                "vendor",
            ],
            &["compare", "scenarios/build-or-buy.toml", "--by", "family"],
            &[
                "--profiles",
                fit,
                "compare",
                "tests/fixtures/fit/chatbot.toml",
                "--by",
                "family",
            ],
        ],
    );
}

#[test]
fn diff_output_matches_its_schema() {
    let base = "scenarios/support-chatbot.toml";
    let no_haiku = "tests/fixtures/support-chatbot-no-haiku.toml";
    let doubled = "tests/fixtures/support-chatbot-doubled.toml";
    passes(
        "diff-output",
        &[
            &["diff", base, no_haiku],
            &["diff", base, base, "--fail-above", "0"],
            // A crossed gate (exit 1) still prints the report.
            &[
                "diff",
                base,
                doubled,
                "--fail-above",
                "100",
                "--fail-above-percent",
                "5",
            ],
            &["diff", base, doubled, "--fail-if-monthly-above", "1"],
            &["diff", base, "scenarios/claude3-budget-ladder.toml"],
        ],
    );
    refuses(
        &schema_of("diff-output"),
        &output(&["diff", base, doubled, "--fail-above", "100"]),
        &[
            ("a verdict that is not a boolean", |d| {
                d["failed"] = "yes".into()
            }),
            ("a gate without its limit", |d| {
                d["gates"][0].as_object_mut().unwrap().remove("limit");
            }),
        ],
    );
}

#[test]
fn breakeven_throughput_benchmarks_and_check_outputs_match_their_schemas() {
    let build = "scenarios/build-or-buy.toml";
    passes(
        "breakeven-output",
        &[
            &[
                "breakeven",
                build,
                "--model",
                "meta/llama-2-70b",
                "--vs",
                HAIKU,
            ],
            &[
                "breakeven",
                build,
                "--model",
                "meta/llama-2-7b",
                "--vs",
                "openai/gpt-4",
                "--gpu",
                "a100-80gb",
            ],
        ],
    );
    let throughput = [
        "throughput",
        "--model",
        "meta/llama-2-7b",
        "--gpu",
        "h100-sxm",
        "--input",
        "128",
        "--output",
        "2048",
    ];
    passes(
        "throughput-output",
        &[
            &[&throughput[..], &["--precision", "fp8"]].concat(),
            &[&throughput[..], &["--precision", "bf16", "--batch", "8"]].concat(),
        ],
    );
    passes("benchmarks-output", &[&["benchmarks"]]);
    passes(
        "check-output",
        &[&[
            "check",
            "scenarios/support-chatbot.toml",
            "profiles/hardware.toml",
            "profiles/benchmarks.toml",
        ]],
    );
    refuses(
        &schema_of("check-output"),
        &output(&["check", "scenarios/support-chatbot.toml"]),
        &[
            ("a document that is not ok", |d| d["ok"] = false.into()),
            ("a file kind off the list", |d| {
                d["files"][0]["kind"] = "spreadsheet".into()
            }),
        ],
    );
    refuses(
        &schema_of("breakeven-output"),
        &output(&[
            "breakeven",
            build,
            "--model",
            "meta/llama-2-70b",
            "--vs",
            HAIKU,
        ]),
        &[("a token count that is not whole", |d| {
            d["breakeven_tokens_per_month"] = 1.5.into()
        })],
    );
}

#[test]
fn import_output_matches_its_schema() {
    let schema = schema_of("import-output");
    let sources = [
        (
            "litellm",
            "tests/fixtures/litellm/litellm-1.110.2-trimmed.json",
        ),
        (
            "litellm",
            "tests/fixtures/litellm/litellm-1.53.1-trimmed.json",
        ),
        ("models-dev", "tests/fixtures/models-dev/tree"),
    ];
    for (list, file) in sources {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().to_str().unwrap();
        let doc = output(&[
            "import",
            list,
            file,
            "--as-of",
            "2024-06-01",
            "--output",
            out,
        ]);
        schema
            .check(&doc)
            .unwrap_or_else(|e| panic!("import {list} {file}: {e}"));
        refuses(
            &schema,
            &doc,
            &[("a format off the list", |d| {
                d["format"] = "OpenRouter".into()
            })],
        );
    }
}

#[test]
fn models_and_show_outputs_match_their_schemas() {
    passes("models-output", &[&["models"]]);
    // Every shipped model: prices with tiers, plans and cache terms, serving facts, tokenizers,
    // image rules and estimated scores all occur among them.
    let models = output(&["models"]);
    let show = schema_of("show-output");
    for m in models.as_array().unwrap() {
        let id = m["id"].as_str().unwrap();
        show.check(&output(&["show", id]))
            .unwrap_or_else(|e| panic!("show {id}: {e}"));
    }
    refuses(
        &show,
        &output(&["show", HAIKU]),
        &[
            ("a price as a number", |d| d["price"]["input"] = 0.25.into()),
            ("an unknown model fact", |d| d["parameters"] = "7B".into()),
            ("an estimate not marked as one", |d| {
                d["estimated_scores"] = serde_json::json!([{
                    "benchmark": "mmlu", "value": "1", "normalised": "1",
                    "normalised_low": "1", "normalised_high": "1", "imputed": false
                }])
            }),
        ],
    );
}

#[test]
fn mix_and_compare_schemas_refuse_a_changed_shape() {
    let chatbot = "scenarios/support-chatbot.toml";
    refuses(
        &schema_of("mix-output"),
        &output(&["mix", chatbot, "--target-fit", "84", "--family", "claude-3"]),
        &[
            ("a plan kind off the list", |d| d["kind"] = "single".into()),
            ("an unknown field in a candidate", |d| {
                d["candidates"][0]["fit_median"] = "1".into()
            }),
        ],
    );
    refuses(
        &schema_of("compare-output"),
        &output(&["compare", chatbot, "--by", "family"]),
        &[
            ("a grouping off the list", |d| d["by"] = "region".into()),
            ("the best model without its rank", |d| {
                d["groups"][0]["best"]
                    .as_object_mut()
                    .unwrap()
                    .remove("rank");
            }),
        ],
    );
}

/// The schema is strict: each of these small changes to a real report must be refused.
#[test]
fn rank_schema_refuses_a_changed_shape() {
    let schema = schema_of("rank-output");
    let good = output(&["rank", "scenarios/support-chatbot.toml", "--all"]);
    assert!(schema.check(&good).is_ok());
    assert!(
        !good["excluded"].as_array().unwrap().is_empty(),
        "the fixture must exclude some model"
    );
    let broken: [Change; 7] = [
        ("a missing field", |d| {
            d["ranked"][0]
                .as_object_mut()
                .unwrap()
                .remove("monthly_cost");
        }),
        ("an unknown field", |d| {
            d["ranked"][0]["monthly_costs"] = "1".into();
        }),
        ("money as a number", |d| {
            d["ranked"][0]["monthly_cost"] = 12.5.into();
        }),
        ("money as words", |d| {
            d["ranked"][0]["monthly_cost"] = "twelve".into();
        }),
        ("an unknown reason code", |d| {
            d["excluded"][0]["reason_codes"][0] = "too_expensive".into();
        }),
        ("an unknown fit status", |d| {
            d["ranked"][0]["fit_status"] = "guessed".into();
        }),
        ("a top-level field renamed", |d| {
            let v = d.as_object_mut().unwrap().remove("eligible").unwrap();
            d["eligible_models"] = v;
        }),
    ];
    refuses(&schema, &good, &broken);
}

#[test]
fn cost_schema_refuses_a_changed_shape() {
    let schema = schema_of("cost-output");
    let good = output(&["cost", "scenarios/prompt-cache.toml", "--model", HAIKU]);
    assert!(schema.check(&good).is_ok());
    assert!(
        good["workloads"][0]["cache"].is_object(),
        "the fixture must cache a prefix"
    );
    let broken: [Change; 4] = [
        ("a bill line left out", |d| {
            d["workloads"][0]
                .as_object_mut()
                .unwrap()
                .remove("input_cost");
        }),
        ("an unknown cache status", |d| {
            d["workloads"][0]["cache"]["status"] = "warm".into();
        }),
        ("an unknown workload kind", |d| {
            d["workloads"][0]["kind"] = "parallel".into();
        }),
        ("a count as a number", |d| {
            d["workloads"][0]["requests"] = 1000.into();
        }),
    ];
    refuses(&schema, &good, &broken);
}

/// Runs `sweep` with `--format jsonl` and parses each line it prints.
fn sweep_rows(args: &[&str]) -> Vec<Value> {
    let run = llmplan()
        .args(args)
        .args(["--format", "jsonl", "-q"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&run.get_output().stdout);
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{args:?}: {e}: {l}")))
        .collect()
}

#[test]
fn sweep_rows_match_their_schema() {
    let schema = schema_of("sweep-output");
    // Each run, and a field its rows must carry (not null): one only some sweeps write.
    let runs: [(&[&str], &str); 5] = [
        (
            &[
                "sweep",
                "tests/fixtures/claude3-budget.toml",
                "--vary",
                "workload.chat.requests_per_day=1000..100000/12:log",
                "--vary",
                "requirements.max_monthly_cost=0.001,1000.123456789",
            ],
            "",
        ),
        // A horizon path.
        (
            &[
                "sweep",
                "tests/fixtures/claude3-budget.toml",
                "--vary",
                "monthly_growth=0..0.1/11",
                "--vary",
                "horizon_months=1,12,24",
            ],
            "horizon_cost",
        ),
        // Routes: the mix's cost and fit, with a route share varied.
        (
            &[
                "sweep",
                "tests/fixtures/routing/route-budget.toml",
                "--vary",
                "workload.chat.route.\"anthropic/claude-3-opus\"=0..1/11",
            ],
            "mix_fit",
        ),
        // Routes and a horizon, three axes.
        (
            &[
                "sweep",
                "scenarios/claude3-routing.toml",
                "--vary",
                "workload.code-review.cascade.escalation.0=0.2..0.5/4",
                "--vary",
                "workload.code-review.cascade.escalation.1=0..0.2/3",
                "--vary",
                "monthly_growth=0,0.05",
            ],
            "mix_monthly_cost",
        ),
        // Fits that include estimated scores.
        (
            &[
                "--no-default-profiles",
                "--profiles",
                "tests/fixtures/fit/profiles",
                "sweep",
                "tests/fixtures/fit/chatbot.toml",
                "--vary",
                "workload.chat.requests_per_day=10..100000/9:log",
                "--objective",
                "best_fit",
            ],
            "fit_estimated",
        ),
    ];
    let mut nothing_wins = false;
    for (args, field) in runs {
        let rows = sweep_rows(args);
        assert!(!rows.is_empty(), "{args:?} printed no rows");
        for row in &rows {
            schema
                .check(row)
                .unwrap_or_else(|e| panic!("{args:?}: {row} does not match: {e}"));
            assert!(
                field.is_empty() || !row[field].is_null(),
                "{args:?}: no {field} in {row}"
            );
            nothing_wins |= row["winner"].is_null();
        }
    }
    assert!(nothing_wins, "no run has a point where nothing qualifies");

    let rows = sweep_rows(runs[3].0);
    refuses(
        &schema,
        &rows[0],
        &[
            ("a cost as a number", |r| r["monthly_cost"] = 540.into()),
            ("a path's value as a number", |r| {
                r["monthly_growth"] = 0.05.into()
            }),
            ("a misspelt field", |r| r["winer"] = "x".into()),
            ("a row without its runner-up", |r| {
                r.as_object_mut().unwrap().remove("runner_up");
            }),
            ("a mix fit that is not a decimal", |r| {
                r["mix_fit"] = "high".into()
            }),
            ("a horizon cost as a number", |r| {
                r["horizon_cost"] = 1.into()
            }),
        ],
    );
}
