//! The `dg` binary: hands the command line to `deluge::cli` on a thread with a large stack,
//! so deeply nested (but accepted) scripts cannot overflow it.

fn main() {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let code = std::thread::Builder::new()
        .name("dg".into())
        .stack_size(256 * 1024 * 1024)
        .spawn(move || deluge::cli::main(args))
        .map(|h| h.join().unwrap_or(101))
        .unwrap_or_else(|e| {
            eprintln!("error: cannot start: {e}");
            1
        });
    std::process::exit(code);
}
