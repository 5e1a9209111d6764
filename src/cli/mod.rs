//! The command line (`dg run`, `dg check`): argument parsing and wiring, no language logic.

use crate::error::Error;
use crate::eval::{Interp, Limits};
use crate::host::{Host, StdHost};
use crate::syntax::{self, SourceFile};
use crate::value::{from_json, Value};
use clap::{Parser, Subcommand};
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::rc::Rc;

/// What `dg --help` says after the commands: where dg keeps its state and what it reads from
/// the environment.
const ENVIRONMENT: &str = "\
State directory: $DG_HOME if set, else the platform's data directory + /dg
(~/.local/share/dg on Linux): the token store, its key file and the sandbox's records.

Environment:
  DG_HOME         the state directory (see above)
  DG_CONNECTIONS  the connections file, when --connections is not given (else ./connections.toml,
                  then $XDG_CONFIG_HOME/dg/connections.toml, then the state directory's)
  DG_MASTER_KEY   the token store's key (64 hex digits or base64 of 32 bytes), instead of the
                  state directory's key file
  NO_COLOR        set: errors are never coloured
  TZ              the time zone of zoho.currenttime, now and today";

#[derive(Parser, Debug)]
#[command(name = "dg", version, about = "Run, check and test Zoho Deluge scripts locally", after_help = ENVIRONMENT)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run a Deluge script
    Run(RunArgs),
    /// Check scripts without running them
    Check(CheckArgs),
    /// Run a function once per record of a JSONL file, journaled and rate-limited
    Batch(BatchArgs),
    /// Run statements as they are typed (or read from stdin)
    Repl {
        /// Serve Zoho APIs from the built-in offline sandbox
        #[arg(long)]
        sandbox: bool,
        /// The connections file
        #[arg(long, value_name = "PATH")]
        connections: Option<PathBuf>,
    },
    /// Manage connections: list, show, connect, revoke, delete
    Connections {
        #[command(subcommand)]
        action: ConnAction,
        /// The connections file
        #[arg(long, value_name = "PATH", global = true)]
        connections: Option<PathBuf>,
    },
    /// The offline Zoho sandbox: serve it for other tools, or reset its records
    Sandbox {
        #[command(subcommand)]
        action: SandboxAction,
    },
    /// Format scripts the way Zoho's editor lays them out (in place)
    Fmt(crate::fmt::cli::FmtArgs),
    /// The language server for editors, over stdin/stdout
    Lsp {
        /// Log each message on stderr
        #[arg(long)]
        log: bool,
        /// The connections file
        #[arg(long, value_name = "PATH")]
        connections: Option<PathBuf>,
    },
    /// Run the tests: every NAME.dg with a NAME.out beside it, compared in the golden format
    Test(TestArgs),
    /// The services connections can use
    Services {
        #[command(subcommand)]
        action: ServiceAction,
        /// The connections file (for custom services)
        #[arg(long, value_name = "PATH", global = true)]
        connections: Option<PathBuf>,
    },
    /// Print a shell completion script: `dg completions bash > /etc/bash_completion.d/dg`
    Completions {
        /// The shell to complete in
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print dg's man page (roff): `dg man > dg.1`
    Man,
}

#[derive(Subcommand, Debug)]
enum ConnAction {
    /// Every declared connection: link name, service, status, scopes, expiry
    List,
    /// One connection in detail (never its secrets)
    Show {
        /// The connection's link name, as in the connections file
        link: String,
    },
    /// Connect: store the credential the connection's auth type needs, encrypted
    Connect {
        /// The connection's link name, as in the connections file
        link: String,
        /// KEY=VALUE: an API key parameter, username/password, or token/token_secret
        #[arg(long = "value", value_name = "KEY=VALUE")]
        values: Vec<String>,
        /// An OAuth 2.0 grant code (Zoho's Self Client), exchanged for tokens
        #[arg(long)]
        code: Option<String>,
    },
    /// Revoke the connection at the provider and mark it revoked
    Revoke {
        /// The connection's link name, as in the connections file
        link: String,
    },
    /// Revoke, then delete the stored secrets
    Delete {
        /// The connection's link name, as in the connections file
        link: String,
    },
}

#[derive(Subcommand, Debug)]
enum SandboxAction {
    /// Serve the sandbox on 127.0.0.1 until killed; prints `url:`, `token:`, `client_id:` and `client_secret:` lines
    Serve {
        /// The port (0: any free port)
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// The Zoho edition whose API limits the sandbox enforces
        #[arg(long, value_name = "EDITION", default_value = "professional", value_parser = EDITIONS)]
        edition: String,
    },
    /// Delete the sandbox's records: the next use starts from the seed data
    Reset,
}

#[derive(Subcommand, Debug)]
enum ServiceAction {
    /// Every default service
    List,
    /// One service: auth type, endpoints, scopes
    Show {
        /// The service's name (`dg services list` shows them)
        service: String,
    },
    /// The zoho.* integration tasks dg runs: signature, scope, REST call, answer
    Tasks {
        /// Only this product's tasks (crm, books, desk, creator, cliq, projects, ...)
        product: Option<String>,
    },
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// The .dg file to run (`-`: read the script from stdin)
    file: PathBuf,
    /// Bind an input: NAME=VALUE (JSON values become maps and lists) or NAME=@file.json
    #[arg(long = "arg", value_name = "NAME=VALUE")]
    args: Vec<String>,
    /// The function to call when the file defines functions (default: the first)
    #[arg(long, value_name = "NAME")]
    function: Option<String>,
    /// Serve Zoho APIs from the built-in offline sandbox
    #[arg(long)]
    sandbox: bool,
    /// The connections file
    #[arg(long, value_name = "PATH")]
    connections: Option<PathBuf>,
    /// Stop with an error once more than N statements have run
    #[arg(long = "statement-limit", value_name = "N")]
    statement_limit: Option<u64>,
    /// Stop with an error after this many seconds of wall-clock time
    #[arg(long, value_name = "SECONDS", allow_negative_numbers = true)]
    timeout: Option<f64>,
    /// Print each HTTP request and connection used on stderr
    #[arg(long)]
    trace: bool,
    /// Print the parsed script with every expression parenthesised, and do not run it
    #[arg(long = "dump-ast")]
    dump_ast: bool,
    /// After the run, print on stderr the Zoho API calls and CRM credits it spent, against the edition's limits
    #[arg(long)]
    credits: bool,
    /// The Zoho edition whose API limits the sandbox enforces and --credits reports against
    #[arg(long, value_name = "EDITION", default_value = "professional", value_parser = EDITIONS)]
    edition: String,
    /// Save every HTTP exchange, credentials scrubbed, in FILE (a cassette `dg test` replays)
    #[arg(long, value_name = "FILE.cassette.json", conflicts_with_all = ["sandbox", "replay"])]
    record: Option<PathBuf>,
    /// Answer every HTTP request from the cassette FILE, offline (what `dg test` does beside a test)
    #[arg(long, value_name = "FILE.cassette.json", conflicts_with = "sandbox")]
    replay: Option<PathBuf>,
    /// Write the run's statement count and Zoho calls as JSON to FILE (for `dg test --verbose`)
    #[arg(long, value_name = "FILE", hide = true)]
    stats: Option<PathBuf>,
    /// After the run, print on stderr the script's line coverage: lines run, and those never run
    #[arg(long)]
    coverage: bool,
    /// Write the run's line coverage to FILE in lcov format (lcov.info)
    #[arg(long = "coverage-out", value_name = "FILE")]
    coverage_out: Option<PathBuf>,
}

/// `--edition` values.
const EDITIONS: [&str; 5] = ["free", "standard", "professional", "enterprise", "ultimate"];

/// The edition `--sandbox` starts the sandbox with (set once, before the run).
static SANDBOX_EDITION: std::sync::OnceLock<crate::zoho::limits::Edition> = std::sync::OnceLock::new();

fn edition_of(name: &str) -> crate::zoho::limits::Edition {
    crate::zoho::limits::Edition::parse(name).unwrap_or(crate::zoho::limits::Edition::Professional)
}

#[derive(clap::Args, Debug)]
struct TestArgs {
    /// Files or directories to search for tests (default: the current directory)
    paths: Vec<PathBuf>,
    /// Write what each test prints into its .out file instead of comparing
    #[arg(long)]
    bless: bool,
    /// Only the tests whose name (path without .dg) contains TEXT
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// Also write a JUnit XML report (one testcase per test) to FILE, for CI systems
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
    /// Print the total time, the slowest and the costliest tests (statements, Zoho calls, CRM credits)
    #[arg(long)]
    verbose: bool,
    /// Run the tests live and rewrite their NAME.cassette.json (kept for tests that made requests)
    #[arg(long)]
    record: bool,
    /// Stop a test after this many seconds and report it failed
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    timeout: f64,
    /// Print each script's line coverage: lines run, and those never run
    #[arg(long)]
    coverage: bool,
    /// Write the line coverage of all tests to FILE in lcov format (lcov.info)
    #[arg(long = "coverage-out", value_name = "FILE")]
    coverage_out: Option<PathBuf>,
}

#[derive(clap::Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
struct BatchArgs {
    #[command(subcommand)]
    action: Option<BatchAction>,
    /// The .dg file whose function runs per record
    file: Option<PathBuf>,
    /// The records: a JSONL file (one JSON object a line), or - for stdin
    #[arg(long, value_name = "RECORDS.jsonl")]
    over: Option<String>,
    /// The function to call (default: the first)
    #[arg(long, value_name = "NAME")]
    function: Option<String>,
    /// The parameter each record is bound to, when the function has several
    #[arg(long, value_name = "NAME")]
    param: Option<String>,
    /// Records in flight at once
    #[arg(long, value_name = "N", default_value_t = 4)]
    concurrency: usize,
    /// A cap on all HTTP requests of the batch: N/s or N/min
    #[arg(long, value_name = "N/s|N/min")]
    rate: Option<String>,
    /// Serve Zoho APIs from the built-in offline sandbox
    #[arg(long)]
    sandbox: bool,
    /// The connections file
    #[arg(long, value_name = "PATH")]
    connections: Option<PathBuf>,
    /// Stop a record with an error after this many seconds
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<f64>,
    /// Stop a record with an error once more than N statements have run
    #[arg(long = "statement-limit", value_name = "N")]
    statement_limit: Option<u64>,
    /// The journal (default: RECORDS.jsonl.journal)
    #[arg(long, value_name = "PATH")]
    journal: Option<PathBuf>,
    /// Skip the records the journal has done
    #[arg(long)]
    resume: bool,
    /// Rerun only the records the journal has failed
    #[arg(long = "retry-failed")]
    retry_failed: bool,
    /// Write every record's outcome as JSONL
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Where records run: temporal://HOST:PORT (not built yet)
    #[arg(long, value_name = "URL")]
    engine: Option<String>,
}

#[derive(Subcommand, Debug)]
enum BatchAction {
    /// Summarise a journal: records done, failed, pending
    Status {
        /// The batch's journal (RECORDS.jsonl.journal unless --journal named another)
        journal: PathBuf,
    },
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// The .dg files to check
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Only parse
    #[arg(long)]
    syntax: bool,
    /// The connections file
    #[arg(long, value_name = "PATH")]
    connections: Option<PathBuf>,
    /// Output format
    #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
    format: String,
}

/// Entry point of the binary: returns the exit code.
pub fn main(argv: Vec<OsString>) -> i32 {
    let mut host = StdHost::new();
    let mut err = String::new();
    let code = execute(argv, &mut host, &mut err);
    host.flush();
    if !err.is_empty() {
        let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
        let text = if colour { colourise(&err) } else { err };
        let _ = std::io::stderr().write_all(text.as_bytes());
    }
    code
}

pub(crate) fn colourise(err: &str) -> String {
    err.lines()
        .map(|l| match l.strip_prefix("error:") {
            Some(rest) => format!("\x1b[1;31merror\x1b[0m\x1b[1m:{rest}\x1b[0m\n"),
            None => format!("{l}\n"),
        })
        .collect()
}

/// Run a command line against a host; stderr text goes to `err`. Used by the binary and
/// by the golden tests.
pub fn execute(argv: Vec<OsString>, host: &mut dyn Host, err: &mut String) -> i32 {
    let cli = match Cli::try_parse_from(argv) {
        Ok(cli) => cli,
        Err(e) => {
            let code = e.exit_code();
            if code == 0 {
                // --help and --version print to stdout
                host.info(e.render().to_string().trim_end());
            } else {
                err.push_str(&e.render().to_string());
            }
            return if code == 0 { 0 } else { 2 };
        }
    };
    match cli.command {
        Command::Run(args) => run(&args, host, err),
        Command::Check(args) => check(&args, host, err),
        Command::Batch(args) => batch(args, host, err),
        Command::Repl { sandbox, connections } => crate::repl::run(
            &crate::repl::Options { sandbox: sandbox.then_some(start_sandbox as _), connections },
            host,
        ),
        Command::Connections { action, connections } => connections_command(action, connections, host, err),
        Command::Services { action, connections } => services_command(action, connections, host, err),
        Command::Sandbox { action } => sandbox_command(action, host, err),
        Command::Fmt(args) => crate::fmt::cli::run(&args, host, err),
        Command::Lsp { log, connections } => crate::lsp::serve(log, connections),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut <Cli as clap::CommandFactory>::command(), "dg", &mut out);
            host.info(String::from_utf8_lossy(&out).trim_end());
            0
        }
        Command::Man => {
            let mut out = Vec::new();
            match clap_mangen::Man::new(<Cli as clap::CommandFactory>::command()).render(&mut out) {
                Ok(()) => {
                    host.info(String::from_utf8_lossy(&out).trim_end());
                    0
                }
                Err(e) => report(Err(Error::usage(format!("cannot write the man page: {e}"))), host, err),
            }
        }
        Command::Test(args) => test_command(args, host, err),
    }
}

fn report(result: Result<String, Error>, host: &mut dyn Host, err: &mut String) -> i32 {
    match result {
        Ok(text) => {
            if !text.is_empty() {
                host.info(&text);
            }
            0
        }
        Err(e) => {
            err.push_str(&e.render(None));
            e.exit_code()
        }
    }
}

fn connections_command(action: ConnAction, path: Option<PathBuf>, host: &mut dyn Host, err: &mut String) -> i32 {
    use crate::integrations::commands;
    let reg = match crate::integrations::registry::Registry::open(path.as_deref()) {
        Ok(r) => r,
        Err(e) => return report(Err(e), host, err),
    };
    let mut notes = Vec::new();
    let result = match action {
        ConnAction::List => commands::list(&reg),
        ConnAction::Show { link } => commands::show(&reg, &link),
        ConnAction::Connect { link, values, code } => {
            let mut pairs = Vec::new();
            for v in &values {
                match v.split_once('=') {
                    Some((k, val)) => pairs.push((k.trim().to_string(), val.to_string())),
                    None => {
                        // the text may be the secret itself: it is not repeated
                        return report(
                            Err(Error::usage(
                                "--value expects KEY=VALUE (the value given has no '='; it is not shown here)",
                            )),
                            host,
                            err,
                        );
                    }
                }
            }
            commands::connect(&reg, &link, &pairs, code.as_deref(), &mut |line| {
                eprintln!("{line}");
            })
        }
        ConnAction::Revoke { link } => commands::revoke(&reg, &link),
        ConnAction::Delete { link } => commands::delete(&reg, &link, &mut |line| notes.push(line.to_string())),
    };
    for n in notes {
        host.note(&n);
    }
    report(result, host, err)
}

/// `--sandbox`: start the offline sandbox in this process (on the first Zoho call) and hand
/// its URL and token to the request pipeline.
fn start_sandbox() -> Result<crate::integrations::net_host::SandboxTarget, crate::Error> {
    let dir = crate::integrations::store::state_dir().map_err(|e| crate::Error::runtime(e.to_string()))?;
    let edition = SANDBOX_EDITION.get().copied().unwrap_or(crate::zoho::limits::Edition::Professional);
    let sb = crate::sandbox::start_edition(&dir, edition)?;
    Ok(crate::integrations::net_host::SandboxTarget {
        url: sb.url,
        token: sb.token,
        client_id: sb.client_id,
        client_secret: sb.client_secret,
    })
}

fn test_command(args: TestArgs, host: &mut dyn Host, err: &mut String) -> i32 {
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let opts = crate::testing::Options {
        paths: args.paths,
        bless: args.bless,
        filter: args.filter,
        junit: args.junit,
        verbose: args.verbose,
        colour,
        record: args.record,
        timeout: Some(args.timeout),
        coverage: args.coverage,
        coverage_out: args.coverage_out,
    };
    let (out, e, code) = crate::testing::run(&opts);
    host.info(out.trim_end());
    err.push_str(&e);
    code
}

fn sandbox_command(action: SandboxAction, host: &mut dyn Host, err: &mut String) -> i32 {
    let dir = match crate::integrations::store::state_dir() {
        Ok(d) => d,
        Err(e) => return report(Err(Error::usage(e.to_string())), host, err),
    };
    let result = match action {
        SandboxAction::Serve { port, edition } => {
            crate::sandbox::serve(&dir, port, edition_of(&edition), &mut |line| {
                // printed at once: tools wait for these lines before they connect; a reader that
                // stopped reading (it took the url and token only) must not stop the server
                let mut out = std::io::stdout();
                let _ = writeln!(out, "{line}");
                let _ = out.flush();
            })
            .map(|_| String::new())
        }
        SandboxAction::Reset => crate::sandbox::reset(&dir)
            .map(|_| format!("the sandbox in {} starts over from its seed data", dir.display())),
    };
    report(result, host, err)
}

fn services_command(action: ServiceAction, path: Option<PathBuf>, host: &mut dyn Host, err: &mut String) -> i32 {
    use crate::integrations::commands;
    let result = match action {
        ServiceAction::List => Ok(commands::services_list()),
        ServiceAction::Show { service } => {
            let reg = crate::integrations::registry::Registry::open(path.as_deref()).ok();
            commands::services_show(reg.as_ref(), &service)
        }
        ServiceAction::Tasks { product } => crate::zoho::tasks::reference_markdown(product.as_deref())
            .map(|t| t.trim_end().to_string())
            .ok_or_else(|| {
                let known: Vec<&str> = crate::zoho::tasks::products().iter().map(|p| p.id).collect();
                Error::usage(format!("unknown product '{}' (one of {})", product.unwrap_or_default(), known.join(", ")))
            }),
    };
    report(result, host, err)
}

/// The script at `path`; `-` is stdin (named `<stdin>` in errors).
fn read_source(path: &PathBuf) -> Result<SourceFile, Error> {
    let stdin = path.as_os_str() == "-";
    let bytes = if stdin {
        use std::io::Read;
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b).map(|_| b)
    } else {
        std::fs::read(path)
    };
    let path = if stdin { std::path::Path::new("<stdin>") } else { path.as_path() };
    let bytes = bytes.map_err(|e| Error::usage(format!("cannot read {}: {e}", path.display())))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::usage(format!(
            "{} is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(SourceFile::new(path.display().to_string(), text))
}

/// The largest `--arg NAME=@file` read: 15 MB, Zoho's largest payload.
const MAX_ARG_FILE: u64 = 15 * 1024 * 1024;

/// `--arg NAME=VALUE`: JSON when it starts like a map or list (and must then parse) or when it
/// parses, else text; `@file` reads the value from a file of at most 15 MB.
fn parse_input(spec: &str) -> Result<(String, Value), Error> {
    let (name, raw) =
        spec.split_once('=').ok_or_else(|| Error::usage(format!("--arg expects NAME=VALUE, got '{spec}'")))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::usage(format!("--arg '{spec}' has no name before '=': give NAME=VALUE")));
    }
    let raw = match raw.strip_prefix('@') {
        Some(file) => read_arg_file(name, file)?,
        None => raw.to_string(),
    };
    let trimmed = raw.trim();
    let value = match from_json(trimmed) {
        Ok(v) => v,
        Err(e) if trimmed.starts_with('{') || trimmed.starts_with('[') => {
            return Err(Error::usage(format!(
                "--arg {name}: the value starts like JSON but is not valid JSON: {}",
                e.0
            )))
        }
        Err(_) => Value::from_string(raw),
    };
    Ok((name.to_string(), value))
}

/// The text of `--arg NAME=@file`, read with a limit so `/dev/zero` or a huge file stops cleanly.
fn read_arg_file(name: &str, file: &str) -> Result<String, Error> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Error::usage(format!("--arg {name}: cannot read {file}: {e}"));
    let mut bytes = Vec::new();
    std::fs::File::open(file).map_err(cannot)?.take(MAX_ARG_FILE + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_ARG_FILE {
        return Err(Error::usage(format!(
            "--arg {name}: {file} is larger than 15 MB (Zoho's largest payload); dg reads at most {MAX_ARG_FILE} bytes"
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        Error::usage(format!(
            "--arg {name}: {file} is not UTF-8 text (invalid byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })
}

/// Every parameter of the called function has an `--arg`, and every `--arg` names a parameter.
fn check_params(f: &crate::syntax::ast::Function, inputs: &[(String, Value)]) -> Result<(), Error> {
    let params = || f.params.iter().map(|p| &*p.var.name);
    for (name, _) in inputs {
        if !params().any(|p| p == name) {
            return Err(Error::usage(format!(
                "--arg {name}: {} has no parameter '{name}'{}",
                f.name,
                crate::check::did_you_mean(name, params())
            )));
        }
    }
    for p in params() {
        if !inputs.iter().any(|(n, _)| n == p) {
            return Err(Error::usage(format!(
                "{} needs a value for its parameter '{p}': give --arg {p}=VALUE",
                f.name
            )));
        }
    }
    Ok(())
}

/// The longest `--timeout` accepted: a year, far past any run, and safe to add to the clock.
const MAX_TIMEOUT_SECS: f64 = 365.0 * 24.0 * 3600.0;

/// `--timeout SECONDS` as a duration: positive, finite, at most a year.
fn timeout_duration(t: f64) -> Result<std::time::Duration, Error> {
    if !(t > 0.0 && t <= MAX_TIMEOUT_SECS) {
        return Err(Error::usage(format!(
            "--timeout needs a positive number of seconds, at most {MAX_TIMEOUT_SECS} (a year); got {t}"
        )));
    }
    Ok(std::time::Duration::from_secs_f64(t))
}

fn run(args: &RunArgs, host: &mut dyn Host, err: &mut String) -> i32 {
    let src = match read_source(&args.file) {
        Ok(s) => Rc::new(s),
        Err(e) => {
            err.push_str(&e.render(None));
            return e.exit_code();
        }
    };
    let fail = |e: Error, err: &mut String| {
        err.push_str(&e.render(Some(&src)));
        e.exit_code()
    };
    // a flag's error is about the command line, not the script: it points at no source line
    let flag_fail = |e: Error, err: &mut String| {
        err.push_str(&e.render(None));
        e.exit_code()
    };
    let mut inputs = Vec::new();
    for spec in &args.args {
        match parse_input(spec) {
            Ok(i) => inputs.push(i),
            Err(e) => return flag_fail(e, err),
        }
    }
    let timeout = match args.timeout.map(timeout_duration).transpose() {
        Ok(t) => t,
        Err(e) => return flag_fail(e, err),
    };
    let script = match syntax::parse(&src) {
        Ok(s) => s,
        Err(e) => return fail(e, err),
    };
    if args.dump_ast {
        host.info(syntax::print::script(&script).trim_end());
        return 0;
    }
    let limits = Limits { statements: args.statement_limit, timeout };
    let (system, inputs): (Vec<_>, Vec<_>) = inputs.into_iter().partition(|(n, _)| n.starts_with("zoho."));
    let edition = edition_of(&args.edition);
    let _ = SANDBOX_EDITION.set(edition);
    let mut net = crate::integrations::net_host::NetHost::new(
        host,
        args.connections.clone(),
        args.trace,
        args.sandbox.then_some(start_sandbox as _),
    )
    .with_deadline(limits.timeout);
    if let Some(path) = &args.record {
        net.record_to(path);
    }
    if let Some(path) = &args.replay {
        if let Err(e) = net.replay_from(path) {
            return flag_fail(e, err);
        }
    }
    let mut interp = Interp::new(&mut net, src.clone(), limits);
    for (name, v) in system {
        interp.set_system_value(&name["zoho.".len()..], v);
    }
    interp.define(&script);
    interp.exit_after_run();
    let counting = args.coverage || args.coverage_out.is_some();
    if counting {
        interp.count_lines();
    }
    let result = if script.functions.is_empty() {
        if args.function.is_some() {
            Err(Error::usage("--function needs a file that defines functions"))
        } else {
            interp.run_body(&script.main, &inputs).map(|_| ())
        }
    } else {
        let f = match &args.function {
            Some(name) => interp.function(name),
            None => script.functions.first().map(|f| Rc::new(f.clone())),
        };
        match f {
            None => Err(Error::usage(format!(
                "no function named '{}' in {}",
                args.function.as_deref().unwrap_or(""),
                src.name()
            ))),
            Some(f) => match check_params(&f, &inputs) {
                Err(e) => return flag_fail(e, err),
                Ok(()) => interp.call_named(&f, &inputs).map(|v| {
                    if !f.return_type.eq_ignore_ascii_case("void") {
                        interp.print_value(&v);
                    }
                }),
            },
        }
    };
    if result.is_ok() {
        interp.limit_note();
    }
    interp.flush();
    let statements = interp.budget.count();
    let hits = interp.line_hits().map(<[u64]>::to_vec);
    drop(interp);
    let saved = net.save_cassette();
    if let Some(path) = &args.stats {
        let calls = net.zoho_calls();
        let crm_credits = calls
            .iter()
            .filter(|c| c.path.starts_with("/crm/"))
            .map(|c| crate::zoho::limits::crm_credits(c.method, &c.path, c.records))
            .sum();
        let stats = crate::testing::Stats { statements, zoho_calls: calls.len(), crm_credits };
        crate::testing::write_stats(path, stats);
    }
    let coverage_failed = match hits {
        Some(hits) => coverage(args, &src, &script, &hits, &mut net, err),
        None => false,
    };
    if let Err(e) = saved {
        return flag_fail(e, err);
    }
    if args.credits {
        let calls = net.zoho_calls();
        let spent: Vec<crate::zoho::limits::Spent> = calls
            .iter()
            .map(|c| crate::zoho::limits::Spent { method: c.method, path: &c.path, records: c.records, bytes: c.bytes })
            .collect();
        let text = crate::zoho::limits::report(&spent, edition);
        net.note(text.trim_end());
    }
    match result {
        Ok(()) if coverage_failed => 1,
        Ok(()) => 0,
        Err(e) => fail(e, err),
    }
}

/// `--coverage` prints the run's line coverage on stderr, `--coverage-out FILE` writes it as
/// `lcov.info` (with the script's absolute path); false when the file cannot be written.
fn coverage(
    args: &RunArgs,
    src: &SourceFile,
    script: &syntax::ast::Script,
    hits: &[u64],
    host: &mut dyn Host,
    err: &mut String,
) -> bool {
    use crate::testing::coverage::{FileCoverage, Report};
    let name = src.name();
    let path = if args.file.as_os_str() == "-" {
        name.to_string()
    } else {
        std::path::absolute(&args.file).unwrap_or_else(|_| args.file.clone()).display().to_string()
    };
    let mut report = Report::default();
    report.add(FileCoverage::from_run(&path, src, script, hits));
    if args.coverage {
        host.note(report.text(|_| name.to_string()).trim_end());
    }
    if let Some(out) = &args.coverage_out {
        if let Err(e) = std::fs::write(out, report.lcov()) {
            err.push_str(&format!("error: cannot write {}: {e}\n", out.display()));
            return true;
        }
    }
    false
}

fn batch(args: BatchArgs, host: &mut dyn Host, err: &mut String) -> i32 {
    if let Some(BatchAction::Status { journal }) = args.action {
        return report(crate::batch::status(&journal), host, err);
    }
    let (Some(file), Some(over)) = (args.file, args.over) else {
        return report(
            Err(Error::usage("dg batch needs FILE.dg and --over RECORDS.jsonl (or `dg batch status JOURNAL`)")),
            host,
            err,
        );
    };
    let opts = crate::batch::Options {
        file,
        over,
        function: args.function,
        param: args.param,
        concurrency: args.concurrency,
        rate: args.rate,
        sandbox: args.sandbox.then_some(start_sandbox as _),
        connections: args.connections,
        timeout: args.timeout,
        statement_limit: args.statement_limit,
        journal: args.journal,
        resume: args.resume,
        retry_failed: args.retry_failed,
        out: args.out,
        engine: args.engine,
    };
    crate::batch::run(&opts, &mut |line| host.info(line), err)
}

fn check(args: &CheckArgs, host: &mut dyn Host, err: &mut String) -> i32 {
    let mut code = 0;
    let mut sources = Vec::with_capacity(args.files.len());
    for path in &args.files {
        match read_source(path) {
            Ok(src) => sources.push(src),
            Err(e) => {
                err.push_str(&e.render(None));
                code = e.exit_code();
            }
        }
    }
    let options = crate::check::Options {
        syntax_only: args.syntax,
        connections: args.connections.clone(),
        load: Some(crate::integrations::config::load_for_check),
    };
    let report = crate::check::check(&sources, &options);
    let text = if args.format == "json" { report.json() } else { report.text() };
    if !text.is_empty() {
        host.info(&text);
    }
    if let Some(e) = &report.config_error {
        err.push_str(&e.render(None));
    }
    code.max(report.exit_code())
}

#[cfg(test)]
mod tests {
    /// Every command and argument says what it is in `--help` (and so in the man page).
    #[test]
    fn every_command_and_argument_has_help_text() {
        fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for a in cmd.get_arguments() {
                if a.get_help().is_none() && !matches!(a.get_id().as_str(), "help" | "version") {
                    missing.push(format!("{path} {}", a.get_id()));
                }
            }
            for sub in cmd.get_subcommands() {
                let here = format!("{path} {}", sub.get_name());
                if sub.get_about().is_none() && sub.get_name() != "help" {
                    missing.push(here.clone());
                }
                walk(sub, &here, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&<super::Cli as clap::CommandFactory>::command(), "dg", &mut missing);
        assert!(missing.is_empty(), "without help text: {missing:?}");
    }
}
