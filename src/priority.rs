//! Scheduling priority of Clarion's own threads. On a small machine the web workers, the
//! outbox and the load itself all want the same cores; during a surge the signing writer
//! is the one thread every sign request waits for, and it spent much of its time
//! runnable but waiting for a core. It asks to go first; background work steps aside.

/// How much a thread's nice value moves: 2 is about a 1.6-fold CPU share. A larger step
/// stored no more signatures and made the slowest sign requests slower (CHANGELOG).
const STEP: i32 = 2;

/// Ahead of the web workers. Needs CAP_SYS_NICE or a nice limit (systemd's `LimitNICE=`);
/// without it the thread keeps its priority and says so once.
pub fn urgent(thread: &str) {
    if let Err(e) = shift(-STEP) {
        tracing::info!(thread, error = %e, "keeps normal priority (allow CAP_SYS_NICE or LimitNICE=-2 to raise it)");
    }
}

/// Behind the web workers; any thread may lower its own priority.
pub fn background(thread: &str) {
    if let Err(e) = shift(STEP) {
        tracing::debug!(thread, error = %e, "keeps normal priority");
    }
}

/// Moves the calling thread's nice value by `by` (Linux: the nice value belongs to the
/// thread, not the process).
#[cfg(target_os = "linux")]
fn shift(by: i32) -> std::io::Result<()> {
    use rustix::process::{getpriority_process, setpriority_process};
    let me = Some(rustix::thread::gettid());
    let now = getpriority_process(me)?;
    setpriority_process(me, now + by)?;
    Ok(())
}

#[cfg(not(target_os = "linux"))]
fn shift(_by: i32) -> std::io::Result<()> {
    Ok(())
}
