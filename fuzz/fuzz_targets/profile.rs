//! Arbitrary bytes as a vendor profile file, checked against the embedded registry and rates, and
//! as a LiteLLM price map.
//! Nothing may panic.

#![no_main]

use libfuzzer_sys::fuzz_target;
use llmplan::fuzzing::profile_bytes;

fuzz_target!(|data: &[u8]| {
    profile_bytes(data);
});
