//! Reads the command line, starts logging, runs the command. Start-up failures print one
//! line to stderr and exit with code 1.

use std::process::ExitCode;

use clap::Parser as _;

// glibc's allocator takes a lock whenever one thread frees what another allocated, which
// the export's reader and encoder threads and the web workers do all the time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = clarion::cli::Cli::parse();
    // Before any command writes a file: the database, the key and the emails are private.
    clarion::private_files::restrict_new_files();
    clarion::telemetry::init();
    match clarion::cli::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("clarion: {error}");
            ExitCode::from(1)
        }
    }
}
