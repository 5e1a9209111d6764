//! Secret hygiene across every command: with known secret values (client secret, tokens, API
//! key, password, grant code, master key), run every `dg` command and every example (with
//! `--sandbox --trace`), scripts that use each kind of connection with `--trace` and
//! `detailed: true`, and their failures; then grep stdout, stderr (panic messages included)
//! and every file under the state directory for the secrets.

mod common;

use common::*;
use std::path::Path;
use std::process::{Command, Output};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const MASTER_KEY: &str = "mk-MASTER-7777-a-long-passphrase";

/// `dg` with the state in `env` and a master key from the environment.
fn dg(env: &Env, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dg"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("DG_HOME", env.home())
        .env("DG_CONNECTIONS", env.dir.path().join("connections.toml"))
        .env("DG_MASTER_KEY", MASTER_KEY)
        .env("CRM_SECRET", CLIENT_SECRET)
        .output()
        .expect("run dg")
}

fn ok(o: &Output) -> &Output {
    assert_eq!(o.status.code(), Some(0), "{}{}", out(o), err(o));
    o
}

#[tokio::test(flavor = "multi_thread")]
async fn no_command_prints_or_stores_a_secret() {
    let server = MockServer::start().await;
    let u = server.uri();
    mount_token(
        &server,
        "authorization_code",
        ResponseTemplate::new(200).set_body_json(token_answer(ACCESS, Some(REFRESH), 3600, &u)),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/crm/v8/Leads"))
        .and(header("authorization", format!("Zoho-oauthtoken {ACCESS}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"data": [{"id": "1"}]})))
        .mount(&server)
        .await;
    Mock::given(path("/keyed"))
        .and(header("x-api-key", API_KEY))
        .respond_with(ResponseTemplate::new(200).insert_header("x-request-id", "r-1").set_body_string("keyed ok"))
        .mount(&server)
        .await;
    Mock::given(path("/me")).respond_with(ResponseTemplate::new(200).set_body_string("basic ok")).mount(&server).await;
    Mock::given(path("/oauth/v2/token/revoke"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"status": "success"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/oauth/v2/token"))
        .and(body_string_contains("grant_type=refresh_token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({"error": "invalid_grant"})))
        .mount(&server)
        .await;
    let env = Env::new(&format!(
        r#"[connections.crm]
service = "zohocrm"
scopes = ["ZohoCRM.modules.leads.READ"]
client_id = "1000.CLIENTID"
client_secret = "env:CRM_SECRET"
accounts_url = "{u}"
api_url = "{u}"
[connections.crm2]
service = "zohocrm"
scopes = ["ZohoCRM.modules.ALL"]
client_id = "1000.CLIENTID"
client_secret = "{CLIENT_SECRET}"
accounts_url = "{u}"
api_url = "{u}"
[connections.keyed]
service = "keyed"
[connections.intra]
service = "intranet"
[connections.legacy]
service = "legacy"
[services.keyed]
auth = "api_key"
param_type = "header"
params = ["X-Api-Key"]
[services.intranet]
auth = "basic"
[services.legacy]
auth = "oauth1"
consumer_key = "ck-CONSUMER"
consumer_secret = "{CLIENT_SECRET}"
request_token_url = "{u}/oauth/request_token"
authorize_url = "{u}/oauth/authorize"
access_token_url = "{u}/oauth/access_token"
"#
    ));
    let outputs = std::cell::RefCell::new(Vec::<Output>::new());
    let run = |args: &[&str]| -> Output {
        let o = dg(&env, args);
        outputs.borrow_mut().push(o.clone());
        o
    };
    // connect each kind
    ok(&run(&["connections", "connect", "crm", "--code", CODE]));
    ok(&run(&["connections", "connect", "crm2", "--code", CODE]));
    ok(&run(&["connections", "connect", "keyed", "--value", &format!("X-Api-Key={API_KEY}")]));
    ok(&run(&[
        "connections",
        "connect",
        "intra",
        "--value",
        "username=ann",
        "--value",
        &format!("password={PASSWORD}"),
    ]));
    ok(&run(&[
        "connections",
        "connect",
        "legacy",
        "--value",
        "token=tok-PUBLIC",
        "--value",
        &format!("token_secret={PASSWORD}"),
    ]));
    // a bad --value and an unknown link fail without echoing the value
    assert_eq!(run(&["connections", "connect", "keyed", "--value", API_KEY]).status.code(), Some(2));
    assert_eq!(run(&["connections", "connect", "nope", "--value", &format!("k={API_KEY}")]).status.code(), Some(1));
    // list, show, services
    let list = run(&["connections", "list"]);
    assert!(out(ok(&list)).contains("connected"), "{}", out(&list));
    for link in ["crm", "crm2", "keyed", "intra", "legacy"] {
        ok(&run(&["connections", "show", link]));
    }
    ok(&run(&["services", "list"]));
    for svc in ["zohocrm", "keyed", "intranet", "legacy"] {
        ok(&run(&["services", "show", svc]));
    }
    // scripts using each connection, with --trace and detailed answers
    let script = env.script(
        "use.dg",
        &format!(
            r#"info invokeurl [ url: "{u}/crm/v8/Leads" connection: "crm" detailed: true ];
info invokeurl [ url: "{u}/keyed" connection: "keyed" detailed: true ];
info invokeurl [ url: "{u}/me" connection: "intra" detailed: true ];
info invokeurl [ url: "{u}/me?oauth=1" connection: "legacy" detailed: true ];
info invokeurl [ url: "{u}/me?api_key={API_KEY}&token={ACCESS}" type: GET detailed: true ];
"#
        ),
    );
    let used = run(&["run", &script, "--trace"]);
    assert!(out(ok(&used)).contains("keyed ok") && out(&used).contains("basic ok"), "{}", out(&used));
    assert!(out(&used).contains("\"id\":\"1\""), "the CRM call was authorised: {}", out(&used));
    // failures: a scope refusal, a check, a parse error, a refused refresh
    let refused = env.script(
        "refused.dg",
        &format!("info invokeurl [ url: \"{u}/crm/v8/Deals\" type: POST connection: \"crm\" ];\n"),
    );
    assert_eq!(run(&["run", &refused, "--trace"]).status.code(), Some(1));
    ok(&run(&["check", &script]));
    // a missing scope is an error finding: exit 1, as cli.md says
    assert_eq!(run(&["check", &script, &refused]).status.code(), Some(1));
    let broken = env.script("broken.dg", &format!("x = \"{API_KEY}\" +;\n"));
    let b = run(&["run", &broken]);
    assert_eq!(b.status.code(), Some(2));
    // the parse error quotes the source line, which the script itself holds: not dg's leak
    outputs.borrow_mut().pop();
    // every example, in the sandbox, traced; and checked
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/examples");
    let mut names: Vec<_> = std::fs::read_dir(&examples).unwrap().flatten().map(|e| e.path()).collect();
    names.retain(|p| p.extension().is_some_and(|e| e == "dg"));
    names.sort();
    assert!(names.len() >= 5, "{names:?}");
    for p in &names {
        // the flags of the golden's `// dg: run ...` header (an example's --arg values)
        let header = std::fs::read_to_string(p).unwrap();
        let flags: Vec<&str> = header
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("// dg: run"))
            .map(|f| f.split_whitespace().filter(|f| *f != "--sandbox").collect())
            .unwrap_or_default();
        let p = p.to_str().unwrap();
        ok(&run(&[&["run", p, "--sandbox", "--trace"], flags.as_slice()].concat()));
        ok(&run(&["check", p, "--format", "json"]));
    }
    ok(&run(&["sandbox", "reset"]));
    // revoke and delete, then a run against the revoked connection
    ok(&run(&["connections", "revoke", "crm2"]));
    let revoked =
        env.script("revoked.dg", &format!("info invokeurl [ url: \"{u}/crm/v8/Leads\" connection: \"crm2\" ];\n"));
    let r = run(&["run", &revoked, "--trace"]);
    assert!(err(&r).contains("was revoked"), "{}", err(&r));
    ok(&run(&["connections", "delete", "crm2"]));
    ok(&run(&["connections", "delete", "keyed"]));
    let outputs = outputs.into_inner();
    let all: Vec<&Output> = outputs.iter().collect();
    let mut secrets = SECRETS.to_vec();
    secrets.push(MASTER_KEY);
    assert_none_of(&secrets, &all, &env.home());
    assert!(all.len() > 30, "{} commands ran", all.len());
}
