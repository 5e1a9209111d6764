//! The `dg` binary end to end: exit codes, stdout/stderr separation, and bad input that
//! must end in a clean error (never a panic, hang or stack overflow).

use std::io::Write;
use std::process::{Command, Output};

fn dg(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dg")).args(args).output().expect("run dg")
}

fn temp_script(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("dg-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::File::create(&path).unwrap().write_all(bytes).unwrap();
    path
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A clean failure: the expected code, `error: ` first, no panic text.
fn assert_clean_error(out: &Output, code: i32) -> String {
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "stderr: {err}");
    assert!(err.starts_with("error: "), "stderr: {err}");
    assert!(!err.contains("panicked"), "stderr: {err}");
    err
}

#[test]
fn runs_a_script_and_prints_only_its_output() {
    let p = temp_script("ok.dg", b"info 1 + 1;\ninfo \"x\";\n");
    let out = dg(&["run", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "2\nx\n");
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn options_may_come_before_the_file() {
    let p = temp_script("opts.dg", b"info n;\n");
    let out = dg(&["run", "--arg", "n=5", p.to_str().unwrap()]);
    assert_eq!(text(&out.stdout), "5\n");
}

#[test]
fn random_bytes_give_a_clean_error() {
    // deterministic pseudo-random bytes (xorshift), including invalid UTF-8
    let mut x: u64 = 0x9E3779B97F4A7C15;
    let bytes: Vec<u8> = (0..4096)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect();
    let p = temp_script("random.dg", &bytes);
    let err = assert_clean_error(&dg(&["run", p.to_str().unwrap()]), 2);
    assert!(err.contains("not UTF-8"), "{err}");
    // printable garbage parses as far as it can, then fails cleanly
    let printable: Vec<u8> = bytes.iter().map(|b| b' ' + b % 95).collect();
    let p = temp_script("garbage.dg", &printable);
    let out = dg(&["run", p.to_str().unwrap()]);
    assert!(matches!(out.status.code(), Some(1) | Some(2)), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"));
}

#[test]
fn unterminated_string_names_file_line_and_column() {
    let p = temp_script("unterminated.dg", b"x = 1;\ny = \"abc;\n");
    let err = assert_clean_error(&dg(&["run", p.to_str().unwrap()]), 2);
    assert!(err.contains("unterminated.dg:2:5"), "{err}");
}

#[test]
fn ten_thousand_deep_nesting_is_refused_cleanly() {
    let src = format!("x = {}1{};\n", "(".repeat(10_000), ")".repeat(10_000));
    let p = temp_script("deep.dg", src.as_bytes());
    let err = assert_clean_error(&dg(&["run", p.to_str().unwrap()]), 2);
    assert!(err.contains("nesting too deep"), "{err}");
    for (open, close) in [("[", "]"), ("{", "}")] {
        let src = format!("x = {}1{};\n", open.repeat(10_000), close.repeat(10_000));
        let p = temp_script("deep2.dg", src.as_bytes());
        assert_clean_error(&dg(&["run", p.to_str().unwrap()]), 2);
    }
    let src = format!("x = {}1;\n", "-".repeat(10_000));
    let p = temp_script("deep3.dg", src.as_bytes());
    assert_clean_error(&dg(&["run", p.to_str().unwrap()]), 2);
    let src = format!("x = {}true;\n", "! ".repeat(10_000));
    let p = temp_script("deep4.dg", src.as_bytes());
    let out = dg(&["run", p.to_str().unwrap()]);
    assert!(!text(&out.stderr).contains("panicked"));
    let src = format!("x = 1{};\n", " + 1".repeat(100_000));
    let p = temp_script("long.dg", src.as_bytes());
    assert_clean_error(&dg(&["run", p.to_str().unwrap()]), 2);
}

#[test]
fn missing_file_is_a_usage_error() {
    let err = assert_clean_error(&dg(&["run", "/nonexistent/x.dg"]), 2);
    assert!(err.contains("cannot read /nonexistent/x.dg"), "{err}");
}

#[test]
fn unknown_command_and_flag_exit_2() {
    assert_eq!(dg(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(dg(&["run", "--nope", "x.dg"]).status.code(), Some(2));
}

#[test]
fn help_and_version() {
    let out = dg(&["--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("run"));
    let out = dg(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).starts_with("dg "));
    assert_eq!(dg(&["run", "--help"]).status.code(), Some(0));
}

#[test]
fn runtime_error_exits_1_after_earlier_output() {
    let p = temp_script("rt.dg", b"info \"before\";\nx = {1}.get(4);\n");
    let out = dg(&["run", p.to_str().unwrap()]);
    let err = assert_clean_error(&out, 1);
    assert_eq!(text(&out.stdout), "before\n");
    assert!(err.contains("rt.dg:2:5"), "{err}");
    assert!(err.contains("Given index 4 is greater than the list size"), "{err}");
}

#[test]
fn timeout_stops_a_long_run() {
    // 10^9 additions: far more than any build can do in the 0.2 s allowed
    let src = "d = {0,1,2,3,4,5,6,7,8,9};\nn = 0;\nfor each a in d { for each b in d { for each c in d { for each e in d { for each f in d { for each g in d { for each h in d { for each i in d { for each j in d { n = n + 1; } } } } } } } } }\n";
    let p = temp_script("slow.dg", src.as_bytes());
    let start = std::time::Instant::now();
    let err = assert_clean_error(&dg(&["run", "--timeout", "0.2", p.to_str().unwrap()]), 1);
    assert!(err.contains("Execution time limit exceeded"), "{err}");
    assert!(start.elapsed().as_secs_f64() < 5.0);
}

#[test]
fn no_colour_when_not_a_terminal() {
    let p = temp_script("colour.dg", b"x = ;\n");
    let err = text(&dg(&["run", p.to_str().unwrap()]).stderr);
    assert!(!err.contains('\x1b'), "{err}");
}

#[test]
fn arg_from_file() {
    let json = temp_script("contact.json", br#"{"name": "Ann", "tags": ["a", "b"]}"#);
    let p = temp_script("argfile.dg", b"info contact.get(\"name\");\ninfo contact.get(\"tags\").size();\n");
    let spec = format!("contact=@{}", json.display());
    let out = dg(&["run", p.to_str().unwrap(), "--arg", &spec]);
    assert_eq!(text(&out.stdout), "Ann\n2\n", "{}", text(&out.stderr));
}

#[test]
fn arg_files_stop_at_15_mb() {
    let p = temp_script("argcap.dg", b"info x.length();\n");
    // an endless file is read only up to the limit, then refused
    let out = dg(&["run", p.to_str().unwrap(), "--arg", "x=@/dev/zero"]);
    let err = assert_clean_error(&out, 2);
    assert!(err.contains("--arg x: /dev/zero is larger than 15 MB"), "{err}");
    let big = temp_script("big.txt", &vec![b'a'; 15 * 1024 * 1024 + 1]);
    let out = dg(&["run", p.to_str().unwrap(), "--arg", &format!("x=@{}", big.display())]);
    assert!(assert_clean_error(&out, 2).contains("larger than 15 MB"));
    let fits = temp_script("fits.txt", &vec![b'a'; 15 * 1024 * 1024]);
    let out = dg(&["run", p.to_str().unwrap(), "--arg", &format!("x=@{}", fits.display())]);
    assert_eq!(text(&out.stdout), "15728640\n", "{}", text(&out.stderr));
}

#[test]
fn completions_man_page_and_help_name_the_environment() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = dg(&["completions", shell]);
        assert_eq!(out.status.code(), Some(0), "{shell}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains("dg"), "{shell}");
    }
    assert_clean_error(&dg(&["completions", "tcsh"]), 2);
    let man = text(&dg(&["man"]).stdout);
    assert!(man.contains(".TH dg 1"), "{man}");
    let help = text(&dg(&["--help"]).stdout);
    for var in ["State directory", "DG_HOME", "DG_CONNECTIONS", "DG_MASTER_KEY", "NO_COLOR", "TZ"] {
        assert!(help.contains(var), "--help does not name {var}: {help}");
    }
}

#[test]
fn run_dash_reads_the_script_from_stdin() {
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_dg"))
        .args(["run", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"info 1 + 1;\ninfo x.length(;\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(text(&out.stdout), "");
    assert!(assert_clean_error(&out, 2).contains("<stdin>:2:"), "{}", text(&out.stderr));
    let mut child = Command::new(env!("CARGO_BIN_EXE_dg"))
        .args(["run", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"info 1 + 1;\n").unwrap();
    assert_eq!(text(&child.wait_with_output().unwrap().stdout), "2\n");
}

#[test]
fn user_documents_link_only_inside_the_repository() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    files.extend(std::fs::read_dir(root.join("docs")).unwrap().flatten().map(|e| e.path()));
    for f in files.iter().filter(|f| f.extension().is_some_and(|e| e == "md")) {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(!text.contains("](../"), "{} links outside the repository", f.display());
    }
    assert!(root.join("docs/cli.md").exists() && root.join("docs/connections.md").exists());
}

#[test]
fn shared_benchmarks_print_their_checksums() {
    let bench = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench");
    if !bench.exists() {
        eprintln!("../shared/bench not present: skipped");
        return;
    }
    for (name, sum) in [
        ("loop_arith", "667996726"),
        ("map_build", "15000350001"),
        ("list_ops", "8080489999"),
        ("string_build", "3103070"),
        ("json_roundtrip", "201845587"),
    ] {
        let out = dg(&["run", bench.join(format!("{name}.dg")).to_str().unwrap()]);
        assert_eq!(text(&out.stdout).trim(), sum, "{name}: {}", text(&out.stderr));
    }
}

#[test]
fn values_nested_a_million_deep_and_deep_json_end_cleanly() {
    // a list wrapped in a list a million times at run time: printed with a depth cap, freed
    // without recursion
    let src = "k = \"0123456789\".toList(\"\");\nv = List();\n\
               for each a in k { for each b in k { for each c in k { for each d in k { for each e in k { for each f in k { v = List({v}); } } } } } }\n\
               info v.toString().length() > 0;\nv = 0;\ninfo \"freed\";\n";
    let p = temp_script("deepvalue.dg", src.as_bytes());
    let out = dg(&["run", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "true\nfreed\n");
    // JSON nested 100,000 deep is invalid JSON, catchable
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let src =
        format!("t = \"{deep}\";\ntry {{ m = t.toJSONList(); }} catch (e) {{ info e.message; }}\nm = t.toMap();\n");
    let p = temp_script("deepjson.dg", src.as_bytes());
    let out = dg(&["run", p.to_str().unwrap()]);
    let err = assert_clean_error(&out, 1);
    assert!(text(&out.stdout).contains("recursion limit exceeded"), "{}", text(&out.stdout));
    assert!(err.contains("Invalid JSON text for toMap"), "{err}");
}

#[test]
fn info_output_stops_at_zohos_500_kb_with_its_note() {
    let p = temp_script(
        "bigout.dg",
        b"s = \"0123456789\".repeat(1000);\nfor each i in \"0123456789012345678901234567890123456789012345678901234567890\".toList(\"\") { info s; }\ninfo \"after\";\n",
    );
    let out = dg(&["run", p.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let note = "The info message has been truncated because its size exceeded 500 KB.\n";
    assert!(stdout.ends_with(note), "{}", &stdout[stdout.len() - 200..]);
    assert_eq!(stdout.len(), 500 * 1024 + note.len());
    assert!(!stdout.contains("after"));
}
