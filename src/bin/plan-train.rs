//! plan-train: validates the training data and trains the model. Parses
//! flags (`plantag::cli::train`) and calls the library.

/// mimalloc: tagging and training make many small, short-lived allocations
/// per task, which it serves with less work than the system allocator
/// (README.md, "Speed and memory").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::process::ExitCode;

use clap::Parser;
use plantag::cli::{exit, train};

fn main() -> ExitCode {
    match train::run(train::Cli::parse()) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("plan-train: {e}");
            ExitCode::from(exit::SOME_FAILED)
        }
    }
}
