// Prints, for each text in the JSON array read from stdin, its Llama 2 token count (no BOS),
// using llama-tokenizer-js (fetched into vendor/llama-2/ by fetch.sh). Called by measure.py.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const { default: llama } = await import(join(here, "vendor", "llama-2", "llama-tokenizer.js"));
const texts = JSON.parse(readFileSync(0, "utf8"));
// encode(prompt, add_bos_token, add_preceding_space): SentencePiece's dummy prefix, no BOS.
console.log(JSON.stringify(texts.map((t) => llama.encode(t, false, true).length)));
