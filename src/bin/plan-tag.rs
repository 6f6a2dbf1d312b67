//! plan-tag: segments plans and labels their tasks. Parses flags
//! (`plantag::cli`) and calls the library; all logic lives in `plantag`.

/// mimalloc: tagging and training make many small, short-lived allocations
/// per task, which it serves with less work than the system allocator
/// (README.md, "Speed and memory").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;
use plantag::cli::{exit, tag, Cli};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    ExitCode::from(tag::run(cli))
}
