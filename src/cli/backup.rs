//! `clarion backup` and `clarion restore` (docs/DEPLOYMENT.md), and the lock a server
//! holds on its SQLite database so that a restore never replaces it under a running one.
//! PostgreSQL has its own tools: both commands print the one to run.

use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};

use diesel::connection::SimpleConnection as _;
use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::config::{Config, DatabaseUrl};
use crate::db::{self, DbConnection, DbError};
use crate::startup::StartupError;

fn failed(text: impl Into<String>) -> StartupError {
    StartupError::Command(text.into())
}

fn database_error(step: &'static str) -> impl Fn(DbError) -> StartupError {
    move |e| StartupError::Step(step, e.detail())
}

/// The lock file beside a SQLite database: `clarion.db.lock`.
fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

/// Takes the lock of a SQLite database (`None` on PostgreSQL), held while the answer
/// lives: by a server for as long as it runs, by a restore while it swaps the file.
pub fn hold(url: &DatabaseUrl) -> Result<Option<File>, StartupError> {
    let DatabaseUrl::Sqlite(path) = url else {
        return Ok(None);
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| failed(format!("cannot create {}: {e}", dir.display())))?;
    }
    let lock = lock_path(path);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock)
        .map_err(|e| failed(format!("cannot open {}: {e}", lock.display())))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(_) => Err(failed(format!(
            "a clarion server is using {} (it holds {}); stop it first",
            path.display(),
            lock.display()
        ))),
    }
}

/// The PostgreSQL URL with its password hidden, for a command shown on screen (and
/// perhaps mailed by cron): a password in the query drops the query.
fn without_password(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return "postgres://USER:PASSWORD@HOST/DATABASE".into();
    };
    if parsed.password().is_some() {
        let _ = parsed.set_password(Some("PASSWORD"));
    }
    if parsed
        .query_pairs()
        .any(|(k, _)| k.eq_ignore_ascii_case("password"))
    {
        parsed.set_query(None);
    }
    parsed.to_string()
}

/// Makes `file`, and its entry in its directory, durable: neither `VACUUM INTO` nor a
/// copy and a rename are, and a power cut must not leave an empty database behind.
fn sync(file: &Path) -> Result<(), StartupError> {
    let fail = |e: std::io::Error| failed(format!("cannot sync {}: {e}", file.display()));
    File::open(file).and_then(|f| f.sync_all()).map_err(fail)?;
    let dir = file.parent().filter(|d| !d.as_os_str().is_empty());
    File::open(dir.unwrap_or(Path::new(".")))
        .and_then(|d| d.sync_all())
        .map_err(fail)
}

/// `clarion backup --output FILE`: on SQLite a consistent copy taken while a server may
/// run and sign (`VACUUM INTO` reads one snapshot), then checked.
pub fn backup(config: &Config, output: &Path) -> Result<(), StartupError> {
    let path = match &config.database {
        DatabaseUrl::Postgres(url) => {
            return Err(failed(format!(
                "this is a PostgreSQL database: back it up with pg_dump, for example\n  \
                 pg_dump --format=custom --file={} '{}'",
                output.display(),
                without_password(url)
            )))
        }
        DatabaseUrl::Sqlite(path) => path,
    };
    if !path.exists() {
        return Err(failed(format!(
            "there is no database at {}",
            path.display()
        )));
    }
    if output.exists() {
        return Err(failed(format!(
            "{} exists already; name a new file",
            output.display()
        )));
    }
    let target = output
        .to_str()
        .ok_or_else(|| failed("the output path is not valid UTF-8"))?;
    let mut conn =
        db::connect_another(&config.database).map_err(database_error("opening the database"))?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(target)
        .execute(&mut conn)
        .map_err(DbError::from)
        .map_err(database_error("copying the database"))?;
    drop(conn);
    sync(output)?;
    let signatures = check(output)?;
    println!(
        "backup written to {} ({signatures} signatures)",
        output.display()
    );
    Ok(())
}

/// Opens a copy, checks it whole (`PRAGMA integrity_check`), and counts its signatures.
fn check(copy: &Path) -> Result<i64, StartupError> {
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = Text)]
        integrity_check: String,
    }
    let url = DatabaseUrl::Sqlite(copy.to_path_buf());
    let mut conn = db::connect_another(&url).map_err(database_error("opening the copy"))?;
    let lines: Vec<Line> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .map_err(DbError::from)
        .map_err(database_error("checking the copy"))?;
    if lines.len() != 1 || lines[0].integrity_check != "ok" {
        return Err(failed(format!(
            "{} is damaged: {}",
            copy.display(),
            lines
                .first()
                .map_or("no answer", |l| l.integrity_check.as_str())
        )));
    }
    let DbConnection::Sqlite(c) = &mut conn else {
        unreachable!("a SQLite URL opens SQLite")
    };
    db::schema::signatures::table
        .count()
        .get_result(c)
        .map_err(|e| failed(format!("{} is not a Clarion database: {e}", copy.display())))
}

/// `clarion restore --input FILE`: replaces the SQLite database with a backup, only while
/// no server holds it. The database replaced is kept beside it, renamed.
pub fn restore(config: &Config, input: &Path) -> Result<(), StartupError> {
    let path = match &config.database {
        DatabaseUrl::Postgres(url) => {
            return Err(failed(format!(
                "this is a PostgreSQL database: restore it with pg_restore, for example\n  \
                 pg_restore --clean --if-exists --dbname='{}' {}",
                without_password(url),
                input.display()
            )))
        }
        DatabaseUrl::Sqlite(path) => path.clone(),
    };
    if !input.is_file() {
        return Err(failed(format!("there is no file at {}", input.display())));
    }
    let _held = hold(&config.database)?;
    let mut staged = path.as_os_str().to_owned();
    staged.push(".restoring");
    let staged = PathBuf::from(staged);
    let _ = std::fs::remove_file(&staged);
    std::fs::copy(input, &staged)
        .map_err(|e| failed(format!("cannot copy {}: {e}", input.display())))?;
    let signatures = match check(&staged) {
        Ok(n) => n,
        Err(e) => {
            let _ = std::fs::remove_file(&staged);
            return Err(e);
        }
    };
    sync(&staged)?;
    let kept = keep_replaced(&config.database, &path)?;
    // The old log went aside with the old file: the restored one never meets it.
    std::fs::rename(&staged, &path)
        .map_err(|e| failed(format!("cannot move the copy into place: {e}")))?;
    sync(&path)?;
    println!(
        "restored {} into {} ({signatures} signatures)",
        input.display(),
        path.display()
    );
    if let Some(kept) = kept {
        println!("the database it replaced is kept at {}", kept.display());
    }
    Ok(())
}

/// Moves the current database aside (`clarion.db.before-restore-…`), its log folded
/// in first; any log or index file left beside it goes aside too, so that none meets
/// the restored file.
fn keep_replaced(url: &DatabaseUrl, path: &Path) -> Result<Option<PathBuf>, StartupError> {
    let with = |suffix: &str| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        PathBuf::from(name)
    };
    if path.exists() {
        let mut conn = db::connect_another(url).map_err(database_error("opening the database"))?;
        conn.batch_execute("PRAGMA wal_checkpoint(TRUNCATE)")
            .map_err(DbError::from)
            .map_err(database_error("folding in the database's log"))?;
    }
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%.6f");
    let aside = |suffix: &str| with(&format!(".before-restore-{stamp}{suffix}"));
    if aside("").exists() {
        return Err(failed(format!("{} exists already", aside("").display())));
    }
    let mut kept = None;
    for suffix in ["", "-wal", "-shm"] {
        let from = with(suffix);
        if from.exists() {
            std::fs::rename(&from, aside(suffix))
                .map_err(|e| failed(format!("cannot move {} aside: {e}", from.display())))?;
            if suffix.is_empty() {
                kept = Some(aside(""));
            }
        }
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shown_command_hides_the_password() {
        let shown = without_password("postgres://clarion:s3cret@db.example/clarion");
        assert!(!shown.contains("s3cret"), "{shown}");
        assert!(shown.contains("db.example/clarion"), "{shown}");
        assert_eq!(
            without_password("postgres://postgres@127.0.0.1/test"),
            "postgres://postgres@127.0.0.1/test"
        );
        let query = without_password("postgres://db.example/c?user=c&password=s3cret");
        assert!(!query.contains("s3cret"), "{query}");
        assert!(!without_password("not a url s3cret").contains("s3cret"));
        assert_eq!(
            lock_path(Path::new("/d/clarion.db")),
            Path::new("/d/clarion.db.lock")
        );
    }
}
