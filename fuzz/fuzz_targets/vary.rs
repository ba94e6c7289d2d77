//! Arbitrary bytes as `--vary` expressions: the first byte picks one of three shipped scenarios,
//! each further line is one `PATH=VALUES`. The grid is built, checked at its corners and, when
//! small, swept in every format with its crossovers and chart. The bytes are also read as a
//! LiteLLM price map. Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use llmplan::fuzzing::vary_bytes;

fuzz_target!(|data: &[u8]| {
    vary_bytes(data);
});
