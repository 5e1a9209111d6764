//! Tests of the token store: round trips, file modes, encryption at rest, keys, atomicity, locking.

use super::*;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

const KEY: [u8; 32] = [7; 32];
const OTHER_KEY: [u8; 32] = [9; 32];

fn s(text: &str) -> SecretString {
    SecretString::from(text)
}

fn record(secrets: Secrets) -> Record {
    Record {
        status: Status::Connected,
        secrets,
        expires_at: Some(1_700_003_600),
        api_domain: Some("https://www.zohoapis.eu".into()),
        granted_scopes: vec!["ZohoCRM.modules.ALL".into(), "ZohoBooks.contacts.READ".into()],
        user: Some("ada@example.com".into()),
        refreshes: vec![1_700_000_000, 1_700_000_060],
        updated_at: 1_700_000_000,
    }
}

fn all_kinds() -> Vec<(&'static str, Secrets)> {
    vec![
        ("none", Secrets::None),
        ("weather", Secrets::ApiKey(vec![("appid".into(), s("KEY-apikey-1")), ("sig".into(), s("KEY-apikey-2"))])),
        ("intranet", Secrets::Basic { username: "ada".into(), password: s("PW-basic-secret") }),
        ("legacy", Secrets::OAuth1 { token: s("TOK-oauth1"), token_secret: s("TS-oauth1-secret") }),
        (
            "crm",
            Secrets::OAuth2 {
                access_token: s("1000.ACCESS.oauth2"),
                refresh_token: Some(s("1000.REFRESH.oauth2")),
                token_type: Some("Bearer".into()),
            },
        ),
        ("books", Secrets::OAuth2 { access_token: s("1000.ACCESS.only"), refresh_token: None, token_type: None }),
    ]
}

/// Every secret of a `Secrets`, exposed, for comparisons and for grepping the file.
fn exposed(secrets: &Secrets) -> Vec<String> {
    let e = |x: &SecretString| x.expose_secret().to_string();
    match secrets {
        Secrets::None => vec![],
        Secrets::ApiKey(v) => v.iter().flat_map(|(n, x)| [n.clone(), e(x)]).collect(),
        Secrets::Basic { username, password } => vec![username.clone(), e(password)],
        Secrets::OAuth1 { token, token_secret } => vec![e(token), e(token_secret)],
        Secrets::OAuth2 { access_token, refresh_token, token_type } => {
            let mut v = vec![e(access_token)];
            v.extend(refresh_token.as_ref().map(e));
            v.extend(token_type.clone());
            v
        }
    }
}

fn assert_same(a: &Record, b: &Record) {
    assert_eq!(a.status, b.status);
    assert_eq!(std::mem::discriminant(&a.secrets), std::mem::discriminant(&b.secrets));
    assert_eq!(exposed(&a.secrets), exposed(&b.secrets));
    assert_eq!(a.expires_at, b.expires_at);
    assert_eq!(a.api_domain, b.api_domain);
    assert_eq!(a.granted_scopes, b.granted_scopes);
    assert_eq!(a.user, b.user);
    assert_eq!(a.refreshes, b.refreshes);
    assert_eq!(a.updated_at, b.updated_at);
}

fn store_json(dir: &Path) -> Map<String, Value> {
    let text = fs::read_to_string(dir.join(STORE_FILE)).unwrap();
    match serde_json::from_str(&text).unwrap() {
        Value::Object(m) => m,
        other => panic!("not an object: {other}"),
    }
}

fn write_json(dir: &Path, map: Map<String, Value>) {
    fs::write(dir.join(STORE_FILE), Value::Object(map).to_string()).unwrap();
}

#[test]
fn every_kind_of_secrets_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let store = TokenStore::open_with_key(dir.path(), KEY).unwrap();
    for (link, secrets) in all_kinds() {
        store.put(link, &record(secrets)).unwrap();
    }
    // A second store over the same directory and key reads them all back.
    let again = TokenStore::open_with_key(dir.path(), KEY).unwrap();
    for (link, secrets) in all_kinds() {
        let got = again.get(link).unwrap().expect(link);
        assert_same(&got, &record(secrets));
    }
    let bare =
        Record { status: Status::Revoked, expires_at: None, api_domain: None, user: None, ..record(Secrets::None) };
    let bare = Record { granted_scopes: vec![], refreshes: vec![], ..bare };
    again.put("bare", &bare).unwrap();
    assert_same(&again.get("bare").unwrap().unwrap(), &bare);
    assert!(again.get("missing").unwrap().is_none());
}

#[test]
fn every_status_has_its_name() {
    for (status, name) in [
        (Status::Connected, "connected"),
        (Status::NotConnected, "not_connected"),
        (Status::Revoked, "revoked"),
        (Status::Expired, "expired"),
    ] {
        assert_eq!(status.name(), name);
        assert_eq!(Status::from_name(name), Some(status));
    }
    assert_eq!(Status::from_name("Connected"), None);
}

#[test]
fn put_replaces_remove_forgets_links_are_sorted() {
    let dir = tempfile::tempdir().unwrap();
    let store = TokenStore::open_with_key(dir.path(), KEY).unwrap();
    assert_eq!(store.links().unwrap(), Vec::<String>::new());
    assert!(!store.remove("crm").unwrap(), "nothing to remove in an empty store");
    store.put("zeta", &record(Secrets::None)).unwrap();
    store.put("crm", &record(Secrets::OAuth1 { token: s("a"), token_secret: s("b") })).unwrap();
    store.put("crm", &record(Secrets::Basic { username: "u".into(), password: s("p") })).unwrap();
    assert_eq!(store.links().unwrap(), ["crm", "zeta"]);
    assert!(matches!(store.get("crm").unwrap().unwrap().secrets, Secrets::Basic { .. }));
    assert!(store.remove("crm").unwrap());
    assert!(!store.remove("crm").unwrap());
    assert_eq!(store.links().unwrap(), ["zeta"]);
    assert!(store.get("crm").unwrap().is_none());
}

#[cfg(unix)]
#[test]
fn directory_key_and_store_are_private() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("nested").join("dg");
    let store = TokenStore::open_from(&dir, None).unwrap();
    store.put("crm", &record(Secrets::None)).unwrap();
    assert_eq!(mode(&dir), 0o700);
    assert_eq!(mode(&dir.join(KEY_FILE)), 0o600);
    assert_eq!(mode(&dir.join(STORE_FILE)), 0o600);
    assert_eq!(mode(&dir.join(LOCK_FILE)), 0o600);
}

#[test]
fn the_file_holds_no_plaintext_secret() {
    let dir = tempfile::tempdir().unwrap();
    let store = TokenStore::open_with_key(dir.path(), KEY).unwrap();
    let mut secrets = Vec::new();
    for (link, kind) in all_kinds() {
        secrets.extend(exposed(&kind).into_iter().filter(|x| x.len() > 4 && x != "Bearer"));
        store.put(link, &record(kind)).unwrap();
    }
    assert!(secrets.len() >= 8);
    let bytes = fs::read(dir.path().join(STORE_FILE)).unwrap();
    let text = String::from_utf8_lossy(&bytes);
    for secret in secrets.iter().map(String::as_str).chain(["ada@example.com", "ZohoCRM", "zohoapis"]) {
        assert!(!text.contains(secret), "{secret} is in the store file");
    }
    // Each entry is exactly {nonce, data}, with a 24-byte nonce, all different.
    let map = store_json(dir.path());
    let mut nonces: Vec<&str> = map.values().map(|e| e["nonce"].as_str().unwrap()).collect();
    for entry in map.values() {
        assert_eq!(entry.as_object().unwrap().len(), 2);
        assert_eq!(STANDARD.decode(entry["nonce"].as_str().unwrap()).unwrap().len(), 24);
    }
    nonces.sort();
    nonces.dedup();
    assert_eq!(nonces.len(), map.len());
}

#[test]
fn rewriting_a_record_uses_a_fresh_nonce() {
    let dir = tempfile::tempdir().unwrap();
    let store = TokenStore::open_with_key(dir.path(), KEY).unwrap();
    let rec = record(Secrets::None);
    store.put("crm", &rec).unwrap();
    let first = store_json(dir.path())["crm"].clone();
    store.put("crm", &rec).unwrap();
    assert_ne!(store_json(dir.path())["crm"]["nonce"], first["nonce"]);
}

#[test]
fn a_wrong_key_is_a_clean_error() {
    let dir = tempfile::tempdir().unwrap();
    TokenStore::open_with_key(dir.path(), KEY).unwrap().put("crm", &record(all_kinds().remove(4).1)).unwrap();
    let wrong = TokenStore::open_from(dir.path(), Some("not the key".into())).unwrap();
    let err = wrong.get("crm").unwrap_err().to_string();
    assert!(
        err.starts_with("the token store cannot be decrypted: DG_MASTER_KEY differs from the key that wrote it"),
        "{err}"
    );
    assert!(!err.contains("not the key") && !err.contains("ACCESS"), "{err}");
    // Writing with the wrong key is refused too, so one file never mixes keys ...
    let err = wrong.put("other", &record(Secrets::None)).unwrap_err().to_string();
    assert!(err.contains("cannot be decrypted"), "{err}");
    assert_eq!(store_json(dir.path()).len(), 1);
    // ... but links need no key, and the key file's message names the file.
    assert_eq!(wrong.links().unwrap(), ["crm"]);
    let from_file = TokenStore::open_from(dir.path(), None).unwrap();
    let err = from_file.get("crm").unwrap_err().to_string();
    assert!(err.contains("the key file") && err.contains("differs"), "{err}");
    let given = TokenStore::open_with_key(dir.path(), OTHER_KEY).unwrap();
    assert!(given.get("crm").unwrap_err().to_string().contains("the key differs"));
}

#[test]
fn a_record_moved_to_another_link_does_not_decrypt() {
    let dir = tempfile::tempdir().unwrap();
    let store = TokenStore::open_with_key(dir.path(), KEY).unwrap();
    store.put("books", &record(Secrets::None)).unwrap();
    store.put("crm", &record(all_kinds().remove(4).1)).unwrap();
    let mut map = store_json(dir.path());
    let crm = map["crm"].clone();
    map.insert("stolen".into(), crm);
    write_json(dir.path(), map);
    let err = store.get("stolen").unwrap_err().to_string();
    assert!(err.contains("entry of 'stolen'") && err.contains("copied from another link name"), "{err}");
    assert!(store.get("crm").unwrap().is_some());
    // The broken entry can be replaced by connecting again.
    store.put("stolen", &record(Secrets::None)).unwrap();
    assert!(store.get("stolen").unwrap().is_some());
}

#[test]
fn a_tampered_or_damaged_file_is_a_clean_error() {
    let dir = tempfile::tempdir().unwrap();
    let store = TokenStore::open_with_key(dir.path(), KEY).unwrap();
    store.put("crm", &record(Secrets::None)).unwrap();
    store.put("books", &record(Secrets::None)).unwrap();
    let good = store_json(dir.path());

    // One flipped bit of ciphertext.
    let mut map = good.clone();
    let mut data = STANDARD.decode(map["crm"]["data"].as_str().unwrap()).unwrap();
    data[3] ^= 1;
    map["crm"]["data"] = Value::String(STANDARD.encode(&data));
    write_json(dir.path(), map);
    assert!(store.get("crm").unwrap_err().to_string().contains("altered"));

    // Shapes that never reach the cipher.
    let cases: [(Value, &str); 4] = [
        (json!({ "data": "AAAA" }), "has no \"nonce\""),
        (json!({ "nonce": "***", "data": "AAAA" }), "not base64"),
        (json!({ "nonce": "AAAA", "data": "AAAA" }), "not 24 bytes"),
        (json!("text"), "has no \"nonce\""),
    ];
    for (entry, expected) in cases {
        let mut map = good.clone();
        map.insert("crm".into(), entry);
        write_json(dir.path(), map);
        let err = store.get("crm").unwrap_err().to_string();
        assert!(err.contains("is damaged") && err.contains(expected), "{err}");
    }
    for text in ["", "{", "[1, 2]", "\u{0}\u{1}binary"] {
        fs::write(dir.path().join(STORE_FILE), text).unwrap();
        let err = store.get("crm").unwrap_err().to_string();
        assert!(err.contains("is damaged"), "{err}");
        assert!(store.put("crm", &record(Secrets::None)).is_err());
    }
}

#[test]
fn a_decrypted_entry_of_the_wrong_shape_is_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let store = TokenStore::open_with_key(dir.path(), KEY).unwrap();
    let seal = |plain: &str| {
        let nonce = [1u8; 24];
        let data =
            store.cipher.encrypt(XNonce::from_slice(&nonce), Payload { msg: plain.as_bytes(), aad: b"crm" }).unwrap();
        json!({ "nonce": STANDARD.encode(nonce), "data": STANDARD.encode(data) })
    };
    for (plain, expected) in [
        ("not json", "is not a record"),
        ("{}", "has no \"status\""),
        (r#"{"status":"lost","secrets":{"kind":"none"},"updated_at":1}"#, "unknown status"),
        (r#"{"status":"connected","secrets":{"kind":"magic"},"updated_at":1}"#, "unknown kind"),
        (r#"{"status":"connected","secrets":{"kind":"basic","username":"u"},"updated_at":1}"#, "\"password\""),
        (r#"{"status":"connected","secrets":{"kind":"none"}}"#, "\"updated_at\""),
    ] {
        let mut map = Map::new();
        map.insert("crm".into(), seal(plain));
        write_json(dir.path(), map);
        let err = store.get("crm").unwrap_err().to_string();
        assert!(err.contains("is damaged") && err.contains(expected), "{plain}: {err}");
    }
}

#[test]
fn writes_leave_no_temporary_files() {
    let dir = tempfile::tempdir().unwrap();
    let store = TokenStore::open_from(dir.path(), None).unwrap();
    for i in 0..20 {
        store.put(&format!("link_{}", i % 5), &record(Secrets::None)).unwrap();
    }
    store.remove("link_0").unwrap();
    let mut names: Vec<String> =
        fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, [KEY_FILE, STORE_FILE, LOCK_FILE]);
}

#[test]
fn a_leftover_temporary_file_does_not_disturb_the_store() {
    // A crash between writing the temporary file and the rename leaves the old store in place.
    let dir = tempfile::tempdir().unwrap();
    let store = TokenStore::open_with_key(dir.path(), KEY).unwrap();
    store.put("crm", &record(Secrets::None)).unwrap();
    fs::write(dir.path().join(".tokens.half.tmp"), "{\"crm\": {\"nonce\": ").unwrap();
    assert!(store.get("crm").unwrap().is_some());
    store.put("books", &record(Secrets::None)).unwrap();
    assert_eq!(store.links().unwrap(), ["books", "crm"]);
}

#[test]
fn the_key_file_is_created_once_and_reused() {
    let dir = tempfile::tempdir().unwrap();
    TokenStore::open_from(dir.path(), None).unwrap().put("crm", &record(Secrets::None)).unwrap();
    let text = fs::read_to_string(dir.path().join(KEY_FILE)).unwrap();
    assert_eq!(text.trim().len(), 64);
    // The same key reads it back, whether from the file or from DG_MASTER_KEY set to its text.
    assert!(TokenStore::open_from(dir.path(), None).unwrap().get("crm").unwrap().is_some());
    assert!(TokenStore::open_from(dir.path(), Some(text.clone().into())).unwrap().get("crm").unwrap().is_some());
    // An empty DG_MASTER_KEY counts as unset.
    assert!(TokenStore::open_from(dir.path(), Some("".into())).unwrap().get("crm").unwrap().is_some());
    assert_eq!(fs::read_to_string(dir.path().join(KEY_FILE)).unwrap(), text);

    fs::write(dir.path().join(KEY_FILE), "short").unwrap();
    let err = TokenStore::open_from(dir.path(), None).unwrap_err().to_string();
    assert!(err.contains("is not 64 hexadecimal characters"), "{err}");
}

#[test]
fn first_runs_racing_agree_on_one_key() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let keys: Vec<String> = (0..4)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || {
                let _ = TokenStore::open_from(&path, None).unwrap();
                fs::read_to_string(path.join(KEY_FILE)).unwrap()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    assert!(keys.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn master_key_formats() {
    let hex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    let bytes: [u8; 32] = std::array::from_fn(|i| i as u8);
    assert_eq!(key_from_text(hex), bytes);
    assert_eq!(key_from_text(&format!("  {}\n", hex.to_uppercase())), bytes);
    assert_eq!(key_from_text(&STANDARD.encode(bytes)), bytes);
    assert_eq!(key_from_text(&STANDARD_NO_PAD.encode(bytes)), bytes);
    let awkward = [0xfb_u8; 32]; // encodes with '+' and '/' in standard base64, '-' and '_' URL-safe
    assert_eq!(key_from_text(&URL_SAFE.encode(awkward)), awkward);
    assert_eq!(key_from_text(&URL_SAFE_NO_PAD.encode(awkward)), awkward);
    // Anything else is a passphrase: deterministic, and different from the other forms.
    let pass = key_from_text("correct horse battery staple");
    assert_eq!(pass, key_from_text(" correct horse battery staple\n"));
    assert_ne!(pass, key_from_text("correct horse battery stapler"));
    assert_eq!(pass, hkdf_sha256(b"dg token store v1", b"correct horse battery staple", b"DG_MASTER_KEY"));
    // 63 hex digits, or base64 of 31 bytes, are passphrases too.
    assert_ne!(key_from_text(&hex[1..]), bytes);
    assert_ne!(&key_from_text(&STANDARD.encode(&bytes[..31]))[..31], &bytes[..31]);
    assert_eq!(key_from_text(""), hkdf_sha256(b"dg token store v1", b"", b"DG_MASTER_KEY"));
}

#[test]
fn hkdf_matches_rfc_5869_test_case_1() {
    let ikm = [0x0b_u8; 22];
    let salt: Vec<u8> = (0x00..=0x0c).collect();
    let info: Vec<u8> = (0xf0..=0xf9).collect();
    let okm = hkdf_sha256(&salt, &ikm, &info);
    assert_eq!(to_hex(&okm), "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf");
}

#[test]
fn debug_output_holds_no_secret() {
    for (_, kind) in all_kinds() {
        let rec = record(kind.clone());
        let debug = format!("{rec:?} {kind:?}");
        for secret in exposed(&kind) {
            let is_name = ["appid", "sig", "ada", "Bearer"].contains(&secret.as_str());
            assert!(is_name || !debug.contains(&secret), "{secret} in {debug}");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let debug = format!("{:?}", TokenStore::open_with_key(dir.path(), KEY).unwrap());
    assert!(debug.contains("TokenStore") && !debug.contains("cipher"), "{debug}");
}

#[test]
fn locked_is_reentrant_and_put_inside_it_does_not_wait() {
    let dir = tempfile::tempdir().unwrap();
    let store = TokenStore::open_with_key(dir.path(), KEY).unwrap();
    let n = store
        .locked(|s| {
            s.put("crm", &record(Secrets::None))?;
            s.locked(|s2| s2.remove("crm"))?;
            Ok(7)
        })
        .unwrap();
    assert_eq!(n, 7);
    // The lock is free again afterwards, also after an error inside.
    let err = store.locked(|_| Err::<(), _>(StoreError::new("boom"))).unwrap_err();
    assert_eq!(err.message(), "boom");
    let other = TokenStore::open_with_key(dir.path(), KEY).unwrap();
    other.locked(|_| Ok(())).unwrap();
}

/// Several threads, each with its own store (its own lock file handle), bump one record's
/// refresh list under the lock: the closures never overlap and no update is lost.
#[test]
fn locked_runs_one_closure_at_a_time_across_threads() {
    let dir = tempfile::tempdir().unwrap();
    TokenStore::open_with_key(dir.path(), KEY).unwrap().put("crm", &record(Secrets::None)).unwrap();
    let inside = Arc::new(AtomicBool::new(false));
    let overlaps = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let (path, inside, overlaps) = (dir.path().to_path_buf(), inside.clone(), overlaps.clone());
            std::thread::spawn(move || {
                let store = TokenStore::open_with_key(&path, KEY).unwrap();
                for i in 0..5 {
                    store
                        .locked(|s| {
                            if inside.swap(true, Ordering::SeqCst) {
                                overlaps.fetch_add(1, Ordering::SeqCst);
                            }
                            let mut rec = s.get("crm")?.unwrap();
                            std::thread::sleep(Duration::from_millis(2));
                            rec.refreshes.push(t * 100 + i);
                            s.put("crm", &rec)?;
                            inside.store(false, Ordering::SeqCst);
                            Ok(())
                        })
                        .unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(overlaps.load(Ordering::SeqCst), 0);
    let rec = TokenStore::open_with_key(dir.path(), KEY).unwrap().get("crm").unwrap().unwrap();
    assert_eq!(rec.refreshes.len(), 2 + 4 * 5);
}

const CHILD_ENV: &str = "DG_STORE_TEST_LOCK_CHILD";

/// Not a test by itself: the body of `locked_runs_one_closure_at_a_time_across_processes`'s
/// child processes (does nothing unless that test started it).
#[test]
fn lock_child_process() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else { return };
    let dir = PathBuf::from(dir);
    let store = TokenStore::open_with_key(&dir, KEY).unwrap();
    for _ in 0..3 {
        store
            .locked(|_| {
                let log = dir.join("log");
                let append = |text: &str| {
                    let mut f = OpenOptions::new().append(true).create(true).open(&log).unwrap();
                    f.write_all(text.as_bytes()).unwrap();
                };
                append(&format!("start {}\n", std::process::id()));
                std::thread::sleep(Duration::from_millis(20));
                append(&format!("end {}\n", std::process::id()));
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn locked_runs_one_closure_at_a_time_across_processes() {
    let dir = tempfile::tempdir().unwrap();
    let exe = std::env::current_exe().unwrap();
    let children: Vec<_> = (0..3)
        .map(|_| {
            std::process::Command::new(&exe)
                .args(["--exact", "integrations::store::tests::lock_child_process", "--test-threads=1", "--quiet"])
                .env(CHILD_ENV, dir.path())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let log = fs::read_to_string(dir.path().join("log")).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2 * 3 * 3, "{log}");
    for pair in lines.chunks(2) {
        let (start, end) = (pair[0].strip_prefix("start "), pair[1].strip_prefix("end "));
        assert!(start.is_some() && start == end, "interleaved:\n{log}");
    }
}
