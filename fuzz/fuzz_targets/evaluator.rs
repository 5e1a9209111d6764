//! Fuzz target: Deluge source text parsed and run under Zoho's statement limit, with no network.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| deluge::fuzz::evaluator(data));
