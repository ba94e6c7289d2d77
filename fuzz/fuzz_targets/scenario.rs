//! Arbitrary bytes as a scenario file: read, validate, rank and price against the embedded
//! catalogue, render every format and print every diagnostic; and as a LiteLLM price map. Nothing
//! may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use llmplan::fuzzing::scenario_bytes;

fuzz_target!(|data: &[u8]| {
    scenario_bytes(data);
});
