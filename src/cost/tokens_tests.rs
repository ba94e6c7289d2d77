//! The tokenizer and image rules through the whole bill, each expectation worked out by hand.
//! The models carry their own prices and the tokenizer table its own figures (the shipped
//! cl100k_base, qwen and llama-2 figures, copied), so a catalogue update cannot move them.

use super::model_cost;
use crate::catalogue::image_input::{ImageInput, ImageRule};
use crate::catalogue::model::{Model, Price, Tier};
use crate::catalogue::tokenizer::{Method, Tokenizer, Tokenizers};
use crate::catalogue::vocab::Modality;
use crate::catalogue::Catalogue;
use crate::cost::{ModelCost, Unpriced};
use crate::scenario::Scenario;
use crate::source::SourceFile;
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn tokenizer(id: &str, en: &str, zh: &str) -> Tokenizer {
    Tokenizer {
        id: id.into(),
        name: id.into(),
        method: Method::Measured,
        proxy_of: None,
        per_1000_chars: [("en".into(), d(en)), ("zh".into(), d(zh))].into(),
        source: None,
        as_of: None,
    }
}

fn catalogue() -> Catalogue {
    let mut cat = Catalogue::embedded().unwrap();
    let mut t = Tokenizers::default();
    for tok in [
        tokenizer("cl100k_base", "210.5", "1023.5"),
        tokenizer("qwen", "211.2", "595.5"),
        tokenizer("llama-2", "236.1", "1303.9"),
    ] {
        t.by_id.insert(tok.id.clone(), tok);
    }
    cat.tokenizers = t;
    cat
}

/// A USD model at $10 in / $30 out per 1M, with a tier above 100k input tokens at $20 / $60,
/// billing with `tokenizer` and reading images by `image`.
fn model(tokenizer: Option<&str>, image: Option<ImageRule>) -> Model {
    let cat = catalogue();
    let mut m = cat.model("openai/gpt-4").unwrap().clone();
    m.currency = crate::money::Currency::USD;
    m.price = Some(Price {
        input: Some(d("10")),
        output: Some(d("30")),
        cached_input: None,
        cache: Default::default(),
        batch_discount: None,
        per_image: None,
        per_video_second: None,
        tiers: vec![Tier {
            above_input_tokens: 100_000,
            input: d("20"),
            output: d("60"),
            cached_input: None,
            cache_write: None,
        }],
        plans: vec![],
        as_of: "test".into(),
        source: "test".into(),
    });
    m.tokenizer = tokenizer.map(|id| cat.tokenizers.get(id).unwrap().clone());
    m.input_modalities = vec![Modality::Text];
    if let Some(rule) = image {
        m.input_modalities.push(Modality::Image);
        m.image_input = Some(ImageInput {
            rule,
            source: "test".into(),
        });
    }
    m
}

fn scenario(workload: &str) -> Scenario {
    let src = SourceFile {
        name: "test.toml".into(),
        text: format!(
            "name = \"t\"\n[[workload]]\nname = \"w\"\nrequests_per_month = 1000\n{workload}"
        ),
    };
    Scenario::from_source(&src, &catalogue()).unwrap_or_else(|e| panic!("{e}"))
}

fn bill(s: &Scenario, m: &Model) -> Result<ModelCost, Unpriced> {
    let cat = catalogue();
    model_cost(s, m, &s.fx(&cat)).unwrap()
}

/// (billed input, billed output, monthly cost) of the workload on the model.
fn billed(workload: &str, m: &Model) -> (u64, u64, Decimal) {
    let c = bill(&scenario(workload), m).unwrap();
    let b = c.workloads[0].billed.as_ref().unwrap();
    (b.size.input, b.size.output, c.monthly_cost)
}

#[test]
fn chinese_counts_are_converted_to_each_models_tokenizer() {
    let zh = "input_tokens = 1800\noutput_tokens = 350\nlanguage = \"zh\"\n";
    // GPT-4 bills with cl100k_base, the basis: 1,800 and 350 as measured.
    // 1,000 requests: 1.8M × $10/M = 18; 0.35M × $30/M = 10.5 → 28.5.
    assert_eq!(
        billed(zh, &model(Some("cl100k_base"), None)),
        (1800, 350, d("28.5"))
    );
    // Qwen: 1,800 × 595.5 ÷ 1,023.5 = 1,047.29 → 1,047; 350 × 595.5 ÷ 1,023.5 = 203.64 → 204.
    // 1.047M × 10 = 10.47; 0.204M × 30 = 6.12 → 16.59.
    assert_eq!(
        billed(zh, &model(Some("qwen"), None)),
        (1047, 204, d("16.59"))
    );
    // The same counts in English barely move: 1,800 × 211.2 ÷ 210.5 = 1,805.99 → 1,806.
    let en = "input_tokens = 1800\noutput_tokens = 350\nlanguage = \"en\"\n";
    assert_eq!(billed(en, &model(Some("qwen"), None)).0, 1806);
    // Without a language every model bills the counts as written.
    let plain = "input_tokens = 1800\noutput_tokens = 350\n";
    assert_eq!(billed(plain, &model(Some("qwen"), None)).0, 1800);
}

#[test]
fn another_basis_converts_through_it() {
    // Counts measured with Qwen's tokenizer, billed on GPT-4: 1,047 × 1,023.5 ÷ 595.5 = 1,799.5
    // → 1,800 (halves up); 204 × 1,023.5 ÷ 595.5 = 350.62 → 351.
    let w = "input_tokens = 1047\noutput_tokens = 204\nlanguage = \"zh\"\ntoken_basis = \"qwen\"\n";
    let (i, o, _) = billed(w, &model(Some("cl100k_base"), None));
    assert_eq!((i, o), (1800, 351));
}

#[test]
fn characters_convert_with_each_models_own_ratio() {
    // 1,000 Chinese characters: 1,023.5 → 1,024 tokens on cl100k_base (halves up), 595.5 → 596
    // on Qwen. 200 output characters: 204.7 → 205 and 119.1 → 119.
    let w = "input_chars = 1000\noutput_chars = 200\nlanguage = \"zh\"\n";
    assert_eq!(billed(w, &model(Some("cl100k_base"), None)).0, 1024);
    assert_eq!(billed(w, &model(Some("qwen"), None)).0, 596);
    assert_eq!(billed(w, &model(Some("qwen"), None)).1, 119);
    assert_eq!(billed(w, &model(Some("cl100k_base"), None)).1, 205);
}

#[test]
fn a_model_without_a_tokenizer_bills_the_basis_counts_and_says_so() {
    let s = scenario("input_tokens = 1800\noutput_tokens = 350\nlanguage = \"zh\"\n");
    let c = bill(&s, &model(None, None)).unwrap();
    let b = c.workloads[0].billed.as_ref().unwrap();
    assert_eq!((b.size.input, b.size.output), (1800, 350));
    let note = b.note.as_deref().unwrap();
    assert!(note.contains("names no tokenizer"), "{note}");
    assert!(note.contains("cl100k_base counts"), "{note}");
    // Characters on such a model convert at the basis ratio: 1,000 × 1,023.5 ÷ 1,000 → 1,024.
    let s = scenario("input_chars = 1000\noutput_tokens = 1\nlanguage = \"zh\"\n");
    let c = bill(&s, &model(None, None)).unwrap();
    assert_eq!(c.workloads[0].billed.as_ref().unwrap().size.input, 1024);
}

#[test]
fn the_tier_is_chosen_by_the_billed_input() {
    // 90,000 cl100k tokens of Chinese stay under the 100k tier on GPT-4, but on Llama 2 they are
    // 90,000 × 1,303.9 = 117,351,000 ÷ 1,023.5 = 114,656.57 → 114,657 tokens, above it: every token at $20 / $60.
    // GPT-4: 90M × 10 = 900; 1M × 30 = 30 → 930.
    // Llama 2: output 1,000 × 1,303.9 ÷ 1,023.5 = 1,273.96 → 1,274.
    // 114.657M × 20 = 2,293.14; 1.274M × 60 = 76.44 → 2,369.58.
    let w = "input_tokens = 90000\noutput_tokens = 1000\nlanguage = \"zh\"\n";
    assert_eq!(
        billed(w, &model(Some("cl100k_base"), None)),
        (90_000, 1000, d("930"))
    );
    assert_eq!(
        billed(w, &model(Some("llama-2"), None)),
        (114_657, 1274, d("2369.58"))
    );
}

#[test]
fn images_bill_as_input_tokens_by_each_models_rule() {
    // 100 text tokens and two 1024 × 1024 images a request:
    // anthropic 2 × 1,399 = 2,798 → 2,898; openai_tiles 2 × 765 = 1,530 → 1,630;
    // fixed 2 × 258 = 516 → 616. At 1,000 requests × $10/M: 28.98, 16.30, 6.16, plus
    // 10 output tokens × 1,000 × $30/M = 0.30.
    let w = "input_tokens = 100\noutput_tokens = 10\nimages_per_request = 2\nimage_size = \"1024x1024\"\n";
    for (rule, input, cost) in [
        (ImageRule::Anthropic, 2898, "29.28"),
        (ImageRule::OpenaiTiles, 1630, "16.6"),
        (ImageRule::Fixed { tokens: 258 }, 616, "6.46"),
    ] {
        assert_eq!(
            billed(w, &model(None, Some(rule))),
            (input, 10, d(cost)),
            "{rule:?}"
        );
    }
    // 4000 × 3000: anthropic 1,598 (scaled to 1264 × 948; under the 1,600 cap), openai 765,
    // fixed 258, one image a request.
    let w = "input_tokens = 100\noutput_tokens = 10\nimages_per_request = 1\nimage_size = \"4000x3000\"\n";
    for (rule, input) in [
        (ImageRule::Anthropic, 1698),
        (ImageRule::OpenaiTiles, 865),
        (ImageRule::Fixed { tokens: 258 }, 358),
    ] {
        assert_eq!(billed(w, &model(None, Some(rule))).0, input, "{rule:?}");
    }
}

#[test]
fn a_model_that_reads_no_images_is_excluded_with_the_reason() {
    let s = scenario(
        "input_tokens = 100\noutput_tokens = 10\nimages_per_request = 2\nimage_size = \"1024x1024\"\n",
    );
    let Err(Unpriced::Reason(why)) = bill(&s, &model(None, None)) else {
        panic!("priced a model that reads no images");
    };
    assert_eq!(why, "reads no images (workload `w` sends 2 a request)");
    let mut m = model(None, None);
    m.input_modalities.push(Modality::Image);
    let Err(Unpriced::Reason(why)) = bill(&s, &m) else {
        panic!("priced a model without an image rule");
    };
    assert!(why.contains("no image token rule"), "{why}");
}

/// The tokens-test model with cache prices per 1M: read $1, write $12.50 (list), read $2, write
/// $25 above 100k, storage $1 per token-hour, caching prefixes of `min` tokens or more.
fn caching(tokenizer: Option<&str>, min: u64) -> Model {
    let mut m = model(tokenizer, None);
    let p = m.price.as_mut().unwrap();
    p.cached_input = Some(d("1"));
    p.cache = crate::catalogue::cache::CacheTerms {
        cache_write: Some(d("12.5")),
        min_cacheable_tokens: Some(min),
        cache_storage_per_mtok_hour: Some(d("1")),
        ..Default::default()
    };
    p.tiers[0].cached_input = Some(d("2"));
    p.tiers[0].cache_write = Some(d("25"));
    m
}

#[test]
fn a_cached_prefix_is_converted_with_the_models_tokenizer_before_its_minimum_applies() {
    let zh = "input_tokens = 1800\noutput_tokens = 350\nlanguage = \"zh\"\n\
              [workload.cache]\nprefix_tokens = 1500\nhit_rate = 0.8\n";
    // cl100k_base, the basis: the 1,500-token prefix reaches the 1,024 minimum. 1,000 requests:
    // hits 1.5M × 0.8 = 1.2M × $1 = 1.2; misses 0.3M × $12.5 = 3.75; the rest of the input
    // 1,000 × 300 = 0.3M × $10 = 3; output 0.35M × $30 = 10.5. Total 18.45.
    let (_, _, cost) = billed(zh, &caching(Some("cl100k_base"), 1024));
    assert_eq!(cost.normalize(), d("18.45"));
    // Qwen bills the prefix as 1,500 × 595.5 ÷ 1,023.5 = 872.74 → 873 tokens: below 1,024, so
    // the whole input bills at the input price, as without a cache: 16.59 (see above).
    let s = scenario(zh);
    let c = bill(&s, &caching(Some("qwen"), 1024)).unwrap();
    assert_eq!(c.monthly_cost.normalize(), d("16.59"));
    assert_eq!(
        c.workloads[0].cache.map(|b| b.status),
        Some(crate::cost::cache::Status::BelowMinimum {
            prefix_tokens: 873,
            min_cacheable_tokens: 1024
        })
    );
    // With a 512-token minimum Qwen caches its 873: hits 873,000 × 0.8 = 698,400 × $1 = 0.6984;
    // misses 174,600 × $12.5 = 2.1825; the rest (1,047 − 873) × 1,000 = 174,000 × $10 = 1.74;
    // output 204,000 × $30 = 6.12. Total 10.7409.
    let (_, _, cost) = billed(zh, &caching(Some("qwen"), 512));
    assert_eq!(cost.normalize(), d("10.7409"));
}

#[test]
fn with_a_prompt_distribution_each_tier_caches_the_prefix_within_its_own_input() {
    let w = "input_tokens = { buckets = [[50000, 0.5], [150000, 0.5]] }\noutput_tokens = 100\n\
             [workload.cache]\nprefix_tokens = 60000\nhit_rate = 0.5\nstorage_hours_per_month = 10\n";
    // 1,000 requests, half of 50,000 tokens (list price), half of 150,000 (above 100k).
    // List: the prefix of 60,000 is capped at the 50,000 of input: 500 × 50,000 = 25M, hits
    // 12.5M × $1 = 12.5, misses 12.5M × $12.5 = 156.25, no other input; output 50,000 × $30 =
    // 1.5. Storage once: 60,000 tokens × 10 hours = 0.6M token-hours × $1 = 0.6.
    // Above 100k: 500 × 60,000 = 30M, hits 15M × $2 = 30, misses 15M × $25 = 375; the rest
    // 500 × 90,000 = 45M × $20 = 900; output 50,000 × $60 = 3.
    // Total 12.5 + 156.25 + 1.5 + 0.6 + 30 + 375 + 900 + 3 = 1,478.85.
    let s = scenario(w);
    let c = bill(&s, &caching(None, 0)).unwrap();
    assert_eq!(c.monthly_cost.normalize(), d("1478.85"));
    let b = c.workloads[0].cache.unwrap();
    assert_eq!(
        (
            b.cache_write_tokens.normalize(),
            b.cache_storage_token_hours.normalize()
        ),
        (d("27500000"), d("600000"))
    );
}
