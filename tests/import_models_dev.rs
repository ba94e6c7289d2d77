//! `llmplan import models-dev`: a tree cut from the models.dev snapshot (see
//! tests/fixtures/models-dev/README.md) and a .tar.gz of the same tree are imported by the real
//! binary, loaded back with `--profiles`, and checked field by field against the files.

mod common;
use common::{dec, exclusion, json, llmplan, rank_only, show_in as show, skipped_by_reason};
use predicates::str::contains;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const TREE: &str = "tests/fixtures/models-dev/tree";
const TARBALL: &str = "tests/fixtures/models-dev/models-dev-f3fc692-cut.tar.gz";

fn import(from: &str, dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "import",
        "models-dev",
        from,
        "--as-of",
        "2026-07-02",
        "--output",
        dir.to_str().unwrap(),
    ];
    args.extend(extra);
    json(&args)
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn files(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_tarball_and_its_unpacked_tree_write_the_same_profiles() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("tree"), tmp.path().join("tar"));
    let from_tree = import(TREE, &a, &[]);
    let from_tar = import(TARBALL, &b, &[]);
    assert_eq!(from_tree["imported"], from_tar["imported"]);
    assert_eq!(from_tree["skipped"], from_tar["skipped"]);
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
    for (name, text) in &fa {
        // The only difference is the name of what was read.
        let same = fb[name].replace("models-dev-f3fc692-cut.tar.gz", "tree");
        assert_eq!(text, &same, "{name}");
    }
    // 25 model files: 23 imported; a link to a deleted file and a file without .toml skipped.
    assert_eq!(from_tree["entries"], 25);
    assert_eq!(from_tree["imported"], 23);
    let skipped = skipped_by_reason(&from_tree);
    assert_eq!(
        skipped["a symbolic link to a file that is not in the snapshot"],
        ["providers/zhipuai/models/glm-4.6v-flash.toml"]
    );
    assert_eq!(
        skipped["not a .toml file"],
        ["providers/openrouter/models/qwen/qwen3-coder-next"]
    );
    // Every file passes `check` like a hand-written profile.
    let mut paths: Vec<PathBuf> = fa.keys().map(|k| a.join(k)).collect();
    paths.sort();
    llmplan().arg("check").args(&paths).assert().success();
}

#[test]
fn prices_limits_modalities_capabilities_and_dates_are_mapped_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    import(TREE, tmp.path(), &[]);
    // providers/anthropic/models/claude-3-haiku-20240307.toml: $0.25 / $1.25, cache read $0.03,
    // cache write $0.30, 200k context, 4,096 output, text + image (+ pdf, left out),
    // status "deprecated", last_updated 2024-03-13.
    let haiku = show(tmp.path(), "anthropic/claude-3-haiku-20240307");
    let p = &haiku["price"];
    assert_eq!(
        (
            dec(&p["input"]),
            dec(&p["output"]),
            dec(&p["cached_input"]),
            dec(&p["cache_write"])
        ),
        (d("0.25"), d("1.25"), d("0.03"), d("0.3"))
    );
    assert_eq!(p["as_of"], "2024-03-13");
    assert!(p["source"]
        .as_str()
        .unwrap()
        .contains("file `providers/anthropic/models/claude-3-haiku-20240307.toml`"));
    assert_eq!(haiku["status"], "retired");
    assert_eq!(haiku["released"], "2024-03-13");
    assert_eq!(
        (&haiku["context_window"], &haiku["max_output_tokens"]),
        (&serde_json::json!(200000), &serde_json::json!(4096))
    );
    assert_eq!(
        haiku["input_modalities"],
        serde_json::json!(["text", "image"])
    );
    assert!(haiku["price_note"].as_str().unwrap().contains("pdf"));
    assert!(haiku["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "function_calling"));
    // gpt-5.4 on Bedrock: base_model openai/gpt-5.4 with base_model_omit limit.input and
    // cost.tiers; its own context 272,000 and output 128,000 win.
    let bedrock = show(tmp.path(), "amazon-bedrock/openai.gpt-5.4");
    assert_eq!(bedrock["max_input_tokens"], serde_json::Value::Null);
    assert_eq!(bedrock["context_window"], 272000);
    assert_eq!(bedrock["price"]["tiers"], serde_json::json!([]));
    assert_eq!(dec(&bedrock["price"]["input"]), d("2.75"));
    assert_eq!(bedrock["name"], "GPT-5.4");
    let caps: Vec<&str> = bedrock["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(
        caps.contains(&"reasoning") && caps.contains(&"structured_output"),
        "{caps:?}"
    );
    // The base file's input limit stays where it is not omitted.
    let base = show(tmp.path(), "openrouter/openai/gpt-4");
    assert_eq!(base["name"], "GPT-4");
    // A context tier above 200,000 input tokens.
    let gemini = show(tmp.path(), "github-copilot/gemini-2.5-pro");
    let tier = &gemini["price"]["tiers"][0];
    assert_eq!(tier["above_input_tokens"], 200000);
    assert_eq!(
        (
            dec(&tier["input"]),
            dec(&tier["output"]),
            dec(&tier["cached_input"])
        ),
        (d("2.5"), d("15"), d("0.25"))
    );
    // A symbolic link to another provider's file reads that file.
    let (cn, intl) = (
        show(tmp.path(), "alibaba-cn/qwen3-coder-plus"),
        show(tmp.path(), "alibaba/qwen3-coder-plus"),
    );
    for k in ["input", "output", "as_of"] {
        assert_eq!(cn["price"][k], intl["price"][k], "{k}");
    }
    assert!(cn["price"]["source"]
        .as_str()
        .unwrap()
        .contains("providers/alibaba-cn/models/qwen3-coder-plus.toml"));
    // A beta model is a preview; a float-noise price is kept as written, and said so.
    assert_eq!(
        show(tmp.path(), "scaleway/gemma-4-26b-a4b-it")["status"],
        "preview"
    );
    let helicone = show(tmp.path(), "helicone/gpt-5-mini");
    assert_eq!(
        dec(&helicone["price"]["cached_input"]),
        d("0.024999999999999998")
    );
    assert!(helicone["price_note"]
        .as_str()
        .unwrap()
        .contains("16 or more significant digits"));
}

#[test]
fn quirks_are_noted_and_never_guessed() {
    let tmp = tempfile::tempdir().unwrap();
    import(TREE, tmp.path(), &[]);
    let note = |id: &str| {
        show(tmp.path(), id)["price_note"]
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    // `cache_input` is not a models.dev cost field: left out, never read as cache_read.
    let glm = show(tmp.path(), "siliconflow/zai-org/GLM-5.1");
    assert!(glm["price"]["cached_input"].is_null());
    assert!(note("siliconflow/zai-org/GLM-5.1").contains("cache_input"));
    assert!(note("minimax-cn/MiniMax-M2.1").contains("cached_input, cached_write"));
    // "# per audio minute" beside the prices: not per 1M tokens, so no price.
    let voxtral = show(tmp.path(), "evroc/mistralai/Voxtral-Small-24B-2507");
    assert!(voxtral["price"].is_null());
    assert!(note("evroc/mistralai/Voxtral-Small-24B-2507").contains("per audio minute"));
    // $0 throughout, and no [cost] at all.
    assert!(show(tmp.path(), "aihubmix/coding-glm-5.1-free")["price"].is_null());
    assert!(note("aihubmix/coding-glm-5.1-free").contains("every price is $0"));
    assert!(note("anyapi/anthropic/claude-haiku-4-5").contains("no price in the source"));
    // Embedding and rerank models listed as text → text, known by their names.
    for (id, out) in [
        ("huggingface/Qwen/Qwen3-Embedding-4B", "embedding"),
        ("openai/text-embedding-3-small", "embedding"),
        (
            "cloudflare-ai-gateway/workers-ai/@cf/baai/bge-reranker-base",
            "scores",
        ),
    ] {
        assert_eq!(
            show(tmp.path(), id)["output_modalities"],
            serde_json::json!([out]),
            "{id}"
        );
    }
    // --keep-zero-prices keeps the free model at $0.
    let kept = tmp.path().join("kept");
    import(TREE, &kept, &["--keep-zero-prices"]);
    assert_eq!(
        dec(&show(&kept, "aihubmix/coding-glm-5.1-free")["price"]["input"]),
        Decimal::ZERO
    );
}

#[test]
fn snapshots_inherit_benchmarks_by_name_base_model_or_id() {
    let tmp = tempfile::tempdir().unwrap();
    let report = import(TREE, tmp.path(), &[]);
    let rules: BTreeMap<&str, (&str, &str)> = report["inherited"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["model"].as_str().unwrap(),
                (i["from"].as_str().unwrap(), i["rule"].as_str().unwrap()),
            )
        })
        .collect();
    assert_eq!(
        rules,
        BTreeMap::from([
            (
                "anthropic/claude-3-haiku-20240307",
                ("anthropic/claude-3-haiku", "name")
            ),
            (
                "anthropic/claude-3-opus-20240229",
                ("anthropic/claude-3-opus", "name")
            ),
            (
                "cloudflare-ai-gateway/anthropic/claude-3-haiku",
                ("anthropic/claude-3-haiku", "name")
            ),
            ("openai/gpt-4-turbo", ("openai/gpt-4-turbo", "same id")),
            ("openrouter/openai/gpt-4", ("openai/gpt-4", "base_model")),
        ])
    );
    let gpt4 = show(tmp.path(), "openrouter/openai/gpt-4");
    assert!(gpt4["benchmarks"]
        .as_array()
        .unwrap()
        .iter()
        .all(|b| b["inherited_from"] == "openai/gpt-4"));
    // gpt-4o-mini and Claude Haiku 4.5 are not in the catalogue: nothing inherited.
    assert_eq!(
        show(tmp.path(), "openai/gpt-4o-mini")["benchmarks"],
        serde_json::json!([])
    );
}

#[test]
fn a_text_workload_excludes_embedding_and_unpriced_models_with_reasons() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    import(TREE, &dir, &[]);
    let s = tmp.path().join("s.toml");
    std::fs::write(
        &s,
        "name = \"chat\"\n[[workload]]\nname = \"w\"\nrequests_per_day = 1000\ninput_tokens = 1000\noutput_tokens = 200\n",
    )
    .unwrap();
    let r = rank_only(&dir, &s);
    let reasons = |id: &str| exclusion(&r, id);
    assert!(reasons("huggingface/Qwen/Qwen3-Embedding-4B").contains("does not produce text output"));
    assert!(reasons("evroc/mistralai/Voxtral-Small-24B-2507").contains("no public price"));
    assert!(reasons("anthropic/claude-3-haiku-20240307").contains("retired"));
    assert!(r["ranked"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["model"] == "openai/gpt-4o-mini"));
}

#[test]
fn what_is_not_a_models_dev_snapshot_is_refused_and_nothing_is_written() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = out.to_str().unwrap();
    let run = |from: &str| {
        llmplan()
            .args(["import", "models-dev", from, "--output", o])
            .assert()
            .code(2)
            .stdout("")
    };
    run("tests/fixtures/models-dev/missing.tar.gz").stderr(contains("no such file or folder"));
    run("tests/fixtures/litellm/litellm-1.110.2-trimmed.json").stderr(contains("not a gzip file"));
    run("tests/fixtures/ids").stderr(contains("no providers/ folder"));
    assert!(!out.exists());
}

#[test]
fn a_last_updated_of_a_month_only_dates_the_price_by_the_import() {
    let tmp = tempfile::tempdir().unwrap();
    import(TREE, tmp.path(), &[]);
    // providers/alibaba/models/qwen3-32b.toml: release_date and last_updated "2025-04", $0.70 /
    // $2.80, and a `reasoning` price of $8.40 that differs from the output price.
    let q = show(tmp.path(), "alibaba/qwen3-32b");
    let p = &q["price"];
    assert_eq!((dec(&p["input"]), dec(&p["output"])), (d("0.7"), d("2.8")));
    // A price's as_of is a day: a month is not made into one, the import date stands in.
    assert_eq!(p["as_of"], "2026-07-02");
    assert!(p["source"]
        .as_str()
        .unwrap()
        .contains("last_updated `2025-04` is not a day; as_of is the import date 2026-07-02"));
    // A release date may be a month.
    assert_eq!(q["released"], "2025-04");
    assert_eq!(q["open_weights"], true);
    assert!(q["price_note"]
        .as_str()
        .unwrap()
        .contains("price fields left out: reasoning"));
}
