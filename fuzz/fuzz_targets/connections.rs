//! Fuzz target: connections.toml text: parsed, validated, services resolved.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| deluge::fuzz::connections_file(data));
