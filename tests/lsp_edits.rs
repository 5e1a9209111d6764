//! The language server's document-change path on random edits: real scripts cut into pieces
//! and pasted at random positions (multi-byte text included), every request after each edit.
//! Nothing may panic. The same function is the `lsp` fuzz target (fuzz/fuzz_targets/lsp.rs).

use std::path::Path;

/// A small deterministic generator, so a failure replays.
fn bytes(seed: u64, len: usize) -> Vec<u8> {
    const PIECES: &[&str] = &[
        "x",
        " = ",
        "\"té😀xt\"",
        ".",
        "length()",
        "(",
        ")",
        "{",
        "}",
        "[",
        "]",
        ";",
        "\n",
        "if",
        "for each ",
        " in ",
        "zoho.crm.",
        "getRecordById(",
        ",",
        "invokeurl",
        "url :",
        "connection:\"",
        "//c\n",
        "/*",
        "*/",
        "'",
        "\\",
        "1.5",
        "-",
        "+",
        "==",
        "try",
        "catch (e)",
        "void f(map m)",
        "return ",
        "\t",
        "é",
    ];
    let mut s = seed.wrapping_mul(2862933555777941757).wrapping_add(3037000493);
    let mut out = Vec::new();
    while out.len() < len {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        out.extend_from_slice(PIECES[(s >> 33) as usize % PIECES.len()].as_bytes());
    }
    out
}

#[test]
fn random_edits_never_panic() {
    // LSP_EDIT_SEEDS=N runs more of them
    let seeds: u64 = std::env::var("LSP_EDIT_SEEDS").ok().and_then(|v| v.parse().ok()).unwrap_or(150);
    for seed in 0..seeds {
        deluge::lsp_fuzz_edits(&bytes(seed, 40 + (seed as usize % 7) * 60));
    }
}

#[test]
fn edits_cut_from_real_scripts_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    files.sort();
    for f in files.iter().step_by(6) {
        let data = std::fs::read(f).unwrap();
        deluge::lsp_fuzz_edits(&data[..data.len().min(3000)]);
    }
}
