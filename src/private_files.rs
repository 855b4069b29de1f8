//! The data directory holds the database, its log, the secret key and the outbox's
//! emails (links included): only the user Clarion runs as may read any of it. New files
//! are made 0600 and new directories 0700 (a umask of 077 for the whole process), and at
//! start an existing data directory is made 0700 and the files an earlier run left there
//! 0600.

use std::path::Path;

use crate::config::DatabaseUrl;

/// From now on, files and directories this process creates are its user's alone.
pub fn restrict_new_files() {
    #[cfg(target_os = "linux")]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
}

/// Makes `data_dir` (created if missing) 0700, and the files Clarion keeps in it, or
/// beside a SQLite database kept elsewhere, 0600.
pub fn make_private(data_dir: &Path, database: &DatabaseUrl) -> std::io::Result<()> {
    restrict_new_files();
    std::fs::create_dir_all(data_dir)?;
    set_mode(data_dir, 0o700)?;
    let outbox = data_dir.join("outbox");
    if outbox.is_dir() {
        set_mode(&outbox, 0o700)?;
    }
    let mut files = vec![data_dir.join("secret.key")];
    if let DatabaseUrl::Sqlite(db) = database {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = db.clone().into_os_string();
            name.push(suffix);
            files.push(name.into());
        }
    }
    for file in files.iter().filter(|f| f.is_file()) {
        set_mode(file, 0o600)?;
    }
    Ok(())
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> std::io::Result<()> {
    Ok(())
}
