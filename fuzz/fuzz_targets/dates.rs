//! Fuzz target: date texts and Java date patterns: parse, format, shift.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| deluge::fuzz::dates(data));
