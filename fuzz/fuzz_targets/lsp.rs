//! Fuzz target: `dg lsp`'s document-change path: edits cut from the input, every request after each.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| deluge::fuzz::lsp(data));
