//! Fuzz target: JSON text to Deluge values (toMap) and back.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| deluge::fuzz::json(data));
