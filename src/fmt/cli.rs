//! The `dg fmt` command: which files, in place or `--check` or `-` (stdin to stdout).

use crate::error::Error;
use crate::host::Host;
use crate::syntax::SourceFile;
use std::io::Read;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct FmtArgs {
    /// The .dg files to format in place; `-` reads stdin and writes stdout
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Change nothing: list the files that would change and exit 1 if there are any
    #[arg(long)]
    check: bool,
    /// Print the formatted text instead of writing the files
    #[arg(long)]
    print: bool,
}

fn read(path: &PathBuf) -> Result<SourceFile, Error> {
    let bytes = if path.as_os_str() == "-" {
        let mut b = Vec::new();
        std::io::stdin().read_to_end(&mut b).map_err(|e| Error::usage(format!("cannot read stdin: {e}")))?;
        b
    } else {
        std::fs::read(path).map_err(|e| Error::usage(format!("cannot read {}: {e}", path.display())))?
    };
    let name = if path.as_os_str() == "-" { "<stdin>".to_string() } else { path.display().to_string() };
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::usage(format!("{name} is not UTF-8 text (invalid byte at offset {})", e.utf8_error().valid_up_to()))
    })?;
    Ok(SourceFile::new(name, text))
}

/// Format every file; the exit code is the worst one: 2 for a file that cannot be read or
/// does not parse (left untouched), 1 for `--check` finding a file that would change.
pub fn run(args: &FmtArgs, host: &mut dyn Host, err: &mut String) -> i32 {
    let mut code = 0;
    for path in &args.files {
        let src = match read(path) {
            Ok(s) => s,
            Err(e) => {
                err.push_str(&e.render(None));
                code = code.max(e.exit_code());
                continue;
            }
        };
        let out = match super::format_source(&src) {
            Ok(out) => out,
            Err(e) => {
                err.push_str(&e.render(Some(&src)));
                code = code.max(e.exit_code());
                continue;
            }
        };
        let stdin = path.as_os_str() == "-";
        if args.check {
            if out != src.text() {
                host.info(src.name());
                code = code.max(1);
            }
        } else if args.print || stdin {
            host.info(out.trim_end_matches('\n'));
        } else if out != src.text() {
            if let Err(e) = write(path, &out) {
                err.push_str(&e.render(None));
                code = code.max(e.exit_code());
            }
        }
    }
    code
}

/// Write through a temporary file and a rename, so an interrupted write leaves the old text.
fn write(path: &PathBuf, text: &str) -> Result<(), Error> {
    let fail = |e: std::io::Error| Error::usage(format!("cannot write {}: {e}", path.display()));
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(fail)?;
    std::io::Write::write_all(&mut tmp, text.as_bytes()).map_err(fail)?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}
