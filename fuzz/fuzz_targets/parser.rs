//! Fuzz target: Deluge source text to a syntax tree (or a syntax error).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| deluge::fuzz::parser(data));
