//! `dg batch` end to end: a rate-limited loopback server (each record let through once, 429s
//! retried), kill -9 then --resume, malformed lines, the status command and bad parameters.
//! No test waits on a clock: they wait for the process or for rows in the journal.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn dg(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dg"))
        .args(args)
        .current_dir(dir)
        .env("DG_HOME", dir.join("home"))
        .env_remove("DG_CONNECTIONS")
        .output()
        .expect("run dg")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Answers 429 past `limit` requests per window of `window`; counts the requests it let
/// through per record id (the `id` query parameter).
struct Limited {
    limit: usize,
    window: Duration,
    state: Mutex<(Instant, usize)>,
    passed: Arc<Mutex<HashMap<String, usize>>>,
    refused: Arc<Mutex<usize>>,
}

impl Respond for Limited {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let mut st = self.state.lock().unwrap();
        if st.0.elapsed() >= self.window {
            *st = (Instant::now(), 0);
        }
        st.1 += 1;
        if st.1 > self.limit {
            *self.refused.lock().unwrap() += 1;
            return ResponseTemplate::new(429).set_body_string("{\"code\":\"TOO_MANY_REQUESTS\"}");
        }
        let id = req.url.query_pairs().find(|(k, _)| k == "id").map(|(_, v)| v.into_owned()).unwrap_or_default();
        *self.passed.lock().unwrap().entry(id.clone()).or_default() += 1;
        ResponseTemplate::new(200).set_body_string(format!("{{\"id\":\"{id}\"}}"))
    }
}

struct Server {
    _rt: tokio::runtime::Runtime,
    uri: String,
    passed: Arc<Mutex<HashMap<String, usize>>>,
    refused: Arc<Mutex<usize>>,
}

fn server(limit: usize, window: Duration) -> Server {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let passed = Arc::new(Mutex::new(HashMap::new()));
    let refused = Arc::new(Mutex::new(0));
    let responder = Limited {
        limit,
        window,
        state: Mutex::new((Instant::now(), 0)),
        passed: passed.clone(),
        refused: refused.clone(),
    };
    let uri = rt.block_on(async {
        let s = MockServer::start().await;
        Mock::given(wiremock::matchers::method("GET")).respond_with(responder).mount(&s).await;
        let uri = s.uri();
        std::mem::forget(s); // lives as long as the runtime
        uri
    });
    Server { _rt: rt, uri, passed, refused }
}

const SCRIPT: &str = r#"string fetch(map rec)
{
	r = invokeurl
	[
		url: rec.get("url") + "/item?id=" + rec.get("id")
		type: GET
	];
	if(r.get("id") != rec.get("id"))
	{
		info "unexpected answer " + r;
		x = 1 / 0;
	}
	info "got " + r.get("id");
	return r.get("id");
}
"#;

fn setup(dir: &Path, uri: &str, n: usize) {
    std::fs::write(dir.join("f.dg"), SCRIPT).unwrap();
    let lines: String = (1..=n).map(|i| format!("{{\"id\":\"r{i}\",\"url\":\"{uri}\"}}\n")).collect();
    std::fs::write(dir.join("r.jsonl"), lines).unwrap();
}

fn journal_counts(path: &Path) -> (i64, i64) {
    let Ok(db) = rusqlite::Connection::open(path) else { return (0, 0) };
    let _ = db.busy_timeout(Duration::from_secs(10));
    let count = |status: &str| {
        db.query_row("SELECT COUNT(*) FROM records WHERE status = ?1", [status], |r| r.get(0)).unwrap_or(0)
    };
    (count("done"), count("failed"))
}

#[test]
fn every_record_is_let_through_exactly_once_under_the_rate() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(10, Duration::from_secs(1));
    setup(dir.path(), &s.uri, 30);
    let o = dg(
        dir.path(),
        &["batch", "f.dg", "--over", "r.jsonl", "--rate", "10/s", "--concurrency", "8", "--out", "o.jsonl"],
    );
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
    let summary = text(&o.stdout);
    assert!(summary.starts_with("30 done, 0 failed, "), "{summary}");
    let passed = s.passed.lock().unwrap();
    for i in 1..=30 {
        assert_eq!(passed.get(&format!("r{i}")), Some(&1), "record r{i}: {passed:?}");
    }
    // every 429 the server gave was retried, and counted in the summary
    let refused = *s.refused.lock().unwrap();
    assert!(summary.contains(&format!("{refused} retried (429)")), "{summary} vs {refused}");
    let out = std::fs::read_to_string(dir.path().join("o.jsonl")).unwrap();
    assert_eq!(out.lines().count(), 30);
    assert!(out.lines().next().unwrap().contains(r#""result":"r1","info":"got r1""#), "{out}");
}

/// Refuses the first request of each record id with a 429, then lets the next one through.
struct FirstRefused {
    seen: Mutex<HashMap<String, usize>>,
}

impl Respond for FirstRefused {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let id = req.url.query_pairs().find(|(k, _)| k == "id").map(|(_, v)| v.into_owned()).unwrap_or_default();
        let mut seen = self.seen.lock().unwrap();
        let n = seen.entry(id.clone()).or_default();
        *n += 1;
        if *n == 1 {
            return ResponseTemplate::new(429);
        }
        ResponseTemplate::new(200).set_body_string(format!("{{\"id\":\"{id}\"}}"))
    }
}

#[test]
fn a_429_that_arrives_anyway_is_retried_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let s = rt.block_on(async {
        let s = MockServer::start().await;
        Mock::given(wiremock::matchers::method("GET"))
            .respond_with(FirstRefused { seen: Mutex::new(HashMap::new()) })
            .mount(&s)
            .await;
        s
    });
    setup(dir.path(), &s.uri(), 5);
    let o = dg(dir.path(), &["batch", "f.dg", "--over", "r.jsonl", "--concurrency", "2"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
    assert_eq!(text(&o.stdout).trim(), "5 done, 0 failed, 5 retried (429)");
    drop(s);
}

#[test]
fn kill_9_then_resume_loses_no_finished_record() {
    let dir = tempfile::tempdir().unwrap();
    let s = server(1000, Duration::from_secs(1));
    setup(dir.path(), &s.uri, 60);
    let journal = dir.path().join("r.jsonl.journal");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dg"))
        .args(["batch", "f.dg", "--over", "r.jsonl", "--rate", "20/s", "--concurrency", "4"])
        .current_dir(dir.path())
        .env("DG_HOME", dir.path().join("home"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // wait for ten done rows (or for the batch to end on its own), then kill -9
    loop {
        if journal_counts(&journal).0 >= 10 || child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::yield_now();
    }
    let _ = child.kill(); // SIGKILL
    let _ = child.wait();
    let (done_before, _) = journal_counts(&journal);
    assert!(done_before >= 10);
    let o = dg(dir.path(), &["batch", "f.dg", "--over", "r.jsonl", "--resume", "--concurrency", "4"]);
    assert_eq!(o.status.code(), Some(0), "{}{}", text(&o.stdout), text(&o.stderr));
    assert_eq!(journal_counts(&journal), (60, 0));
    let passed = s.passed.lock().unwrap();
    let twice = passed.values().filter(|n| **n > 1).count();
    assert!((1..=60).all(|i| passed.contains_key(&format!("r{i}"))), "{passed:?}");
    assert!(passed.values().all(|n| *n <= 2), "{passed:?}");
    assert!(twice <= 4, "{twice} records ran twice: {passed:?}");
    let st = dg(dir.path(), &["batch", "status", "r.jsonl.journal"]);
    assert!(text(&st.stdout).contains("records: 60 (60 done, 0 failed, 0 pending)"), "{}", text(&st.stdout));
}

const LOCAL: &str = "string greet(map rec)\n{\n\tinfo \"hi \" + rec.get(\"name\");\n\tif(rec.get(\"name\") == \"boom\")\n\t{\n\t\tx = 1 / 0;\n\t}\n\treturn rec.get(\"name\");\n}\n";

#[test]
fn malformed_lines_are_set_aside_with_their_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("g.dg"), LOCAL).unwrap();
    std::fs::write(
        dir.path().join("r.jsonl"),
        "{\"name\":\"a\"}\nnot json\n\n[1,2]\n{\"name\":\"boom\"}\n{\"name\":\"b\"}\n",
    )
    .unwrap();
    let o = dg(dir.path(), &["batch", "g.dg", "--over", "r.jsonl", "--concurrency", "2"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(text(&o.stdout).trim(), "2 done, 3 failed, 0 retried (429)");
    let e = text(&o.stderr);
    assert!(e.contains("error: r.jsonl line 2: not JSON: expected ident at line 1 column 2"), "{e}");
    assert!(e.contains("error: r.jsonl line 4: not a JSON object"), "{e}");
    assert!(e.contains("error: r.jsonl line 5: Division by zero (g.dg:6:7)"), "{e}");
    assert!(e.contains("batch: 5/5 records (2 done, 3 failed)"), "{e}");

    let st = dg(dir.path(), &["batch", "status", "r.jsonl.journal"]);
    assert_eq!(st.status.code(), Some(0));
    let st = text(&st.stdout);
    assert!(
        st.contains("function: greet\nrecords: 5 (2 done, 3 failed, 0 pending)\nfailed:\n  line 2: not JSON"),
        "{st}"
    );
    assert!(st.contains("  line 5: Division by zero (g.dg:6:7)"), "{st}");

    // a second run without --resume is refused; --retry-failed reruns only the failed ones
    let again = dg(dir.path(), &["batch", "g.dg", "--over", "r.jsonl"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("already holds 5 records"), "{}", text(&again.stderr));
    let retry = dg(dir.path(), &["batch", "g.dg", "--over", "r.jsonl", "--retry-failed"]);
    assert!(
        text(&retry.stdout).starts_with("0 done, 3 failed, 0 retried (429); 2 records skipped"),
        "{}",
        text(&retry.stdout)
    );

    // the journal belongs to its input
    std::fs::write(dir.path().join("r.jsonl"), "{\"name\":\"c\"}\n").unwrap();
    let other = dg(dir.path(), &["batch", "g.dg", "--over", "r.jsonl", "--resume"]);
    assert_eq!(other.status.code(), Some(2));
    assert!(text(&other.stderr).contains("was written for another input"), "{}", text(&other.stderr));
}

#[test]
fn wrong_parameter_lists_and_engines_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.jsonl"), "{}\n").unwrap();
    let cases = [
        ("void f() { }", &[][..], "f() takes no parameter"),
        ("void f(string s) { }", &[][..], "parameter 's' is a string, but each record is a map"),
        (
            "void f(map a, map b) { }",
            &[][..],
            "takes several parameters: name the one each record is bound to with --param NAME",
        ),
        ("void f(map a, map b) { }", &["--param", "c"][..], "--param c: f(map a, map b) has no parameter of that name"),
        ("info 1;", &[][..], "defines no function"),
        ("void f(map a) { }", &["--engine", "temporal://localhost:7233"][..], "the Temporal engine is not built yet"),
    ];
    for (script, extra, want) in cases {
        std::fs::write(dir.path().join("f.dg"), script).unwrap();
        let mut args = vec!["batch", "f.dg", "--over", "r.jsonl", "--journal", "none.journal"];
        args.extend_from_slice(extra);
        let o = dg(dir.path(), &args);
        assert_eq!(o.status.code(), Some(2), "{script}");
        assert!(
            text(&o.stderr).starts_with("error: ") && text(&o.stderr).contains(want),
            "{script}: {}",
            text(&o.stderr)
        );
    }
    let o = dg(dir.path(), &["batch", "status", "missing.journal"]);
    assert!(text(&o.stderr).contains("error: no journal at missing.journal"), "{}", text(&o.stderr));
}

#[test]
fn records_can_come_from_stdin() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("g.dg"), LOCAL).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dg"))
        .args(["batch", "g.dg", "--over", "-", "--sandbox"])
        .current_dir(dir.path())
        .env("DG_HOME", dir.path().join("home"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"{\"name\":\"x\"}\n{\"name\":\"y\"}\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout).trim(), "2 done, 0 failed, 0 retried (429)");
}
