//! Crash safety under `kill -9`: the token store is replaced atomically (a process killed in
//! the middle of a write leaves the old store or the new one, never a broken one), and the
//! sandbox loses no write it acknowledged, even with writes in flight when it dies.
//!
//! No assertion depends on timing: kills that must land are made certain by events (the test
//! holds the store's lock, or sees the store's temporary file appear), not by a clock.

mod common;

use common::*;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Deterministic pseudo-random numbers (xorshift), so a failure can be replayed.
struct Rng(u64);
impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n.max(1)
    }
}

#[test]
fn token_store_survives_kill_9_in_the_middle_of_writes() {
    let mut conns =
        String::from("[services.keyed]\nauth = \"api_key\"\nparam_type = \"header\"\nparams = [\"X-Key\"]\n");
    for i in 0..3 {
        conns.push_str(&format!("[connections.k{i}]\nservice = \"keyed\"\n"));
    }
    let env = Env::new(&conns);
    let connect = |link: &str, n: u64| {
        std::process::Command::new(env!("CARGO_BIN_EXE_dg"))
            .args(["connections", "connect", link, "--value", &format!("X-Key={API_KEY}-{n}")])
            .env("DG_HOME", env.home())
            .env("DG_CONNECTIONS", env.dir.path().join("connections.toml"))
            .env_remove("DG_MASTER_KEY")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    // how long one whole connect takes here, to spread the random kills along it (where they
    // land is not asserted: only the kills made certain below are counted)
    let started = Instant::now();
    assert!(connect("k0", 0).wait().unwrap().success());
    let whole = started.elapsed().as_micros() as u64;
    let lock_path = env.home().join("tokens.lock");
    let mut rng = Rng(0x2545F4914F6CDD1D);
    let mut connected = [true, false, false];
    let (mut certain, mut in_write, mut killed, mut finished) = (0, 0, 0, 0);
    for n in 1..=60 {
        let link = (n % 3) as usize;
        let mut child;
        match n % 3 {
            // the test holds the store's lock: the connect cannot finish, the kill is certain
            0 => {
                let lock = std::fs::OpenOptions::new().create(true).append(true).open(&lock_path).unwrap();
                lock.lock().unwrap();
                child = connect(&format!("k{link}"), n);
                let _ = child.kill();
                assert!(!child.wait().unwrap().success(), "connect {n} finished without the store's lock");
                lock.unlock().unwrap();
                certain += 1;
            }
            // killed once the store's temporary file appears: in the middle of the write
            // (or after it, if the write was too quick to see: then it finished)
            1 => {
                // (a killed write leaves its temporary file behind: only a new one counts)
                let before = temp_files(&env.home());
                let new_temp = || temp_files(&env.home()).iter().any(|f| !before.contains(f));
                child = connect(&format!("k{link}"), n);
                while child.try_wait().unwrap().is_none() && !new_temp() {
                    std::thread::yield_now();
                }
                if new_temp() {
                    in_write += 1;
                }
                let _ = child.kill();
            }
            // killed at a random moment along a whole connect
            _ => {
                child = connect(&format!("k{link}"), n);
                std::thread::sleep(Duration::from_micros(rng.below(whole + whole / 5)));
                let _ = child.kill(); // SIGKILL
            }
        }
        let status = child.wait().unwrap();
        if status.success() {
            finished += 1;
            connected[link] = true;
        } else {
            killed += 1;
        }
        // the store still opens, and every acknowledged connect is still there
        let list = env.dg(&["connections", "list"]);
        assert_eq!(list.status.code(), Some(0), "after kill {n}: {}", err(&list));
        for (i, was) in connected.iter().enumerate() {
            let show = env.dg(&["connections", "show", &format!("k{i}")]);
            assert_eq!(show.status.code(), Some(0), "{}", err(&show));
            if *was {
                assert!(out(&show).contains("status:      connected"), "k{i} lost after kill {n}: {}", out(&show));
            }
        }
    }
    eprintln!(
        "token store: 60 connects, {killed} killed before they finished ({certain} certain, {in_write} during the write), {finished} finished"
    );
    assert!(killed >= certain && certain == 20);
    let secrets: Vec<String> = (0..=60).map(|n| format!("{API_KEY}-{n}")).collect();
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_none_of(&secrets, &[], &env.home());
}

/// The store's temporary files (`.tokens.*.tmp`) in `dir`.
fn temp_files(dir: &std::path::Path) -> Vec<std::ffi::OsString> {
    std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.file_name()).filter(|n| n.to_string_lossy().starts_with(".tokens.")).collect())
        .unwrap_or_default()
}

#[test]
fn sandbox_loses_no_acknowledged_write_to_kill_9_with_writes_in_flight() {
    let home = tempfile::tempdir().unwrap();
    let (mut child, url, token) = start_sandbox(home.path());
    let auth = format!("Zoho-oauthtoken {token}");
    let acked = Arc::new(Mutex::new(Vec::<String>::new()));
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let http = reqwest::Client::new();
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let (http, url, auth, acked) = (http.clone(), url.clone(), auth.clone(), acked.clone());
            rt.spawn(async move {
                // until the server dies under them
                for i in 0.. {
                    let body = serde_json::json!({"data": [{"Last_Name": format!("W{w}-{i}")}]});
                    let sent = http
                        .post(format!("{url}/crm/v8/Leads"))
                        .header("Authorization", &auth)
                        .header("Content-Type", "application/json")
                        .body(body.to_string())
                        .timeout(Duration::from_secs(5))
                        .send()
                        .await;
                    let Ok(resp) = sent else { break };
                    let Ok(text) = resp.text().await else { break };
                    let v: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
                    match v["data"][0]["details"]["id"].as_str() {
                        Some(id) => acked.lock().unwrap().push(id.to_string()),
                        None => break,
                    }
                }
            })
        })
        .collect();
    // let the writers get going (100 acknowledged writes: an event, however slow the machine),
    // then kill the server under them while they still write
    while acked.lock().unwrap().len() < 100 && !writers.iter().all(|w| w.is_finished()) {
        std::thread::sleep(Duration::from_millis(20));
    }
    let seen = acked.lock().unwrap().len();
    while acked.lock().unwrap().len() < seen + 20 && !writers.iter().all(|w| w.is_finished()) {
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL, with requests in flight
    child.wait().unwrap();
    for w in writers {
        rt.block_on(w).unwrap();
    }
    let ids = acked.lock().unwrap().clone();
    assert!(ids.len() >= 100, "only {} writes were acknowledged", ids.len());
    let (mut child, url, token) = start_sandbox(home.path());
    let auth = format!("Zoho-oauthtoken {token}");
    let mut missing = Vec::new();
    for id in &ids {
        let v: serde_json::Value = rt.block_on(async {
            let r = http.get(format!("{url}/crm/v8/Leads/{id}")).header("Authorization", &auth).send().await.unwrap();
            serde_json::from_str(&r.text().await.unwrap()).unwrap_or_default()
        });
        if v["data"][0]["id"].as_str() != Some(id.as_str()) {
            missing.push(id.clone());
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    eprintln!(
        "sandbox: {} acknowledged writes from 4 writers, killed in flight; {} missing after restart",
        ids.len(),
        missing.len()
    );
    assert!(missing.is_empty(), "lost acknowledged writes: {missing:?}");
}
