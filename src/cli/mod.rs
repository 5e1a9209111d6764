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

#[derive(Parser, Debug)]
#[command(name = "dg", version, about = "Run, check and test Zoho Deluge scripts locally")]
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
    /// The services connections can use
    Services {
        #[command(subcommand)]
        action: ServiceAction,
        /// The connections file (for custom services)
        #[arg(long, value_name = "PATH", global = true)]
        connections: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum ConnAction {
    /// Every declared connection: link name, service, status, scopes, expiry
    List,
    /// One connection in detail (never its secrets)
    Show { link: String },
    /// Connect: store the credential the connection's auth type needs, encrypted
    Connect {
        link: String,
        /// KEY=VALUE: an API key parameter, username/password, or token/token_secret
        #[arg(long = "value", value_name = "KEY=VALUE")]
        values: Vec<String>,
        /// An OAuth 2.0 grant code (Zoho's Self Client), exchanged for tokens
        #[arg(long)]
        code: Option<String>,
    },
    /// Revoke the connection at the provider and mark it revoked
    Revoke { link: String },
    /// Revoke, then delete the stored secrets
    Delete { link: String },
}

#[derive(Subcommand, Debug)]
enum SandboxAction {
    /// Serve the sandbox on 127.0.0.1 until killed; prints `url:` and `token:` lines
    Serve {
        /// The port (0: any free port)
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// Delete the sandbox's records: the next use starts from the seed data
    Reset,
}

#[derive(Subcommand, Debug)]
enum ServiceAction {
    /// Every default service
    List,
    /// One service: auth type, endpoints, scopes
    Show { service: String },
    /// The zoho.* integration tasks dg runs: signature, scope, REST call, answer
    Tasks {
        /// Only this product's tasks (crm, books, desk, creator, cliq, projects, ...)
        product: Option<String>,
    },
}

#[derive(clap::Args, Debug)]
pub struct RunArgs {
    /// The .dg file to run
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
    #[arg(long, value_name = "SECONDS")]
    timeout: Option<f64>,
    /// Print each HTTP request and connection used on stderr
    #[arg(long)]
    trace: bool,
    /// Print the parsed script with every expression parenthesised, and do not run it
    #[arg(long = "dump-ast")]
    dump_ast: bool,
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
    Status { journal: PathBuf },
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
fn start_sandbox() -> Result<(String, String), crate::Error> {
    let dir = crate::integrations::store::state_dir().map_err(|e| crate::Error::runtime(e.to_string()))?;
    let sb = crate::sandbox::start(&dir)?;
    Ok((sb.url, sb.token))
}

fn sandbox_command(action: SandboxAction, host: &mut dyn Host, err: &mut String) -> i32 {
    let dir = match crate::integrations::store::state_dir() {
        Ok(d) => d,
        Err(e) => return report(Err(Error::usage(e.to_string())), host, err),
    };
    let result = match action {
        SandboxAction::Serve { port } => crate::sandbox::serve(&dir, port, &mut |line| {
            // printed at once: tools wait for these lines before they connect
            println!("{line}");
            let _ = std::io::stdout().flush();
        })
        .map(|_| String::new()),
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

fn read_source(path: &PathBuf) -> Result<SourceFile, Error> {
    let bytes = std::fs::read(path).map_err(|e| Error::usage(format!("cannot read {}: {e}", path.display())))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::usage(format!(
            "{} is not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(SourceFile::new(path.display().to_string(), text))
}

/// `--arg NAME=VALUE`: JSON when it parses, else text; `@file` reads the value from a file.
fn parse_input(spec: &str) -> Result<(String, Value), Error> {
    let (name, raw) =
        spec.split_once('=').ok_or_else(|| Error::usage(format!("--arg expects NAME=VALUE, got '{spec}'")))?;
    let raw = match raw.strip_prefix('@') {
        Some(file) => std::fs::read_to_string(file).map_err(|e| Error::usage(format!("cannot read {file}: {e}")))?,
        None => raw.to_string(),
    };
    let value = from_json(raw.trim()).unwrap_or_else(|_| Value::from_string(raw));
    Ok((name.trim().to_string(), value))
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
    let mut inputs = Vec::new();
    for spec in &args.args {
        match parse_input(spec) {
            Ok(i) => inputs.push(i),
            Err(e) => return fail(e, err),
        }
    }
    if let Some(t) = args.timeout {
        if !(t > 0.0 && t.is_finite()) {
            return fail(Error::usage("--timeout needs a positive number of seconds"), err);
        }
    }
    let script = match syntax::parse(&src) {
        Ok(s) => s,
        Err(e) => return fail(e, err),
    };
    if args.dump_ast {
        host.info(syntax::print::script(&script).trim_end());
        return 0;
    }
    let limits =
        Limits { statements: args.statement_limit, timeout: args.timeout.map(std::time::Duration::from_secs_f64) };
    let (system, inputs): (Vec<_>, Vec<_>) = inputs.into_iter().partition(|(n, _)| n.starts_with("zoho."));
    let mut net = crate::integrations::net_host::NetHost::new(
        host,
        args.connections.clone(),
        args.trace,
        args.sandbox.then_some(start_sandbox as _),
    )
    .with_deadline(limits.timeout);
    let mut interp = Interp::new(&mut net, src.clone(), limits);
    for (name, v) in system {
        interp.set_system_value(&name["zoho.".len()..], v);
    }
    interp.define(&script);
    interp.exit_after_run();
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
            Some(f) => interp.call_named(&f, &inputs).map(|v| {
                if !f.return_type.eq_ignore_ascii_case("void") {
                    interp.print_value(&v);
                }
            }),
        }
    };
    if result.is_ok() {
        interp.limit_note();
    }
    interp.flush();
    match result {
        Ok(()) => 0,
        Err(e) => fail(e, err),
    }
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
