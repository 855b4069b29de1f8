//! `clarion backup` and `clarion restore` (issue 29): a copy taken while the server signs
//! holds every signature acknowledged before it began, checks whole, refuses to replace
//! a database a server uses, and restores to a working server. The README's cron line is
//! run as cron runs it.

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use diesel::sql_types::Text;

use crate::helpers::binary::{client, hidden_fields, Running};
use crate::helpers::load::{as_os, start_load, stored_emails, vars_with, Load};
use crate::helpers::TestApp;

/// Runs the binary with the test's settings and `args`; (success, stdout, stderr).
fn clarion(settings: &[(String, String)], args: &[&str]) -> (bool, String, String) {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clarion"));
    for (name, _) in std::env::vars() {
        if name.starts_with("CLARION_") {
            command.env_remove(name);
        }
    }
    let output = command
        .envs(settings.iter().map(|(k, v)| (k, v)))
        .args(args)
        .output()
        .expect("the clarion binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into(),
        String::from_utf8_lossy(&output.stderr).into(),
    )
}

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

#[actix_web::test]
async fn a_backup_during_a_sign_load_holds_every_acknowledged_signature_and_restores() {
    let (settings, db) = TestApp::builder().into_parts();
    let settings: Vec<(String, String)> = settings.into_iter().collect();
    let copy = db.dir.path().join("copy.db");
    let copy_arg = copy.to_str().unwrap();
    if db.url.starts_with("postgres") {
        let (ok, _, said) = clarion(&settings, &["backup", "--output", copy_arg]);
        assert!(!ok, "no copy is claimed on PostgreSQL");
        assert!(said.contains("pg_dump --format=custom"), "{said}");
        let (ok, _, said) = clarion(&settings, &["restore", "--input", copy_arg]);
        assert!(!ok && said.contains("pg_restore"), "{said}");
        return;
    }
    let mut server = Running::start(&as_os(&vars_with(&settings, &[])));
    let web = client(Duration::from_secs(10));
    let hidden = hidden_fields(&web, &server.base).await;
    let load = Arc::new(Load::default());
    let signers = start_load(&server.base, &hidden, 8, "backup", &load);
    actix_web::rt::time::sleep(Duration::from_millis(1000)).await;

    let began = Instant::now();
    let (args, set) = (copy_arg.to_string(), settings.clone());
    let backup =
        actix_web::rt::task::spawn_blocking(move || clarion(&set, &["backup", "--output", &args]));
    let (ok, said, err) = backup.await.unwrap();
    assert!(ok, "backup: {said} {err}");
    assert!(said.starts_with("backup written to"), "{said}");
    let (again, _, err) = clarion(&settings, &["backup", "--output", copy_arg]);
    assert!(
        !again && err.contains("exists already"),
        "never over a file: {err}"
    );
    // While it runs, the server's database is not replaced.
    let (ok, _, err) = clarion(&settings, &["restore", "--input", copy_arg]);
    assert!(!ok && err.contains("a clarion server is using"), "{err}");
    load.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for signer in signers {
        signer.await.unwrap();
    }

    let before: Vec<String> = load
        .acked
        .lock()
        .unwrap()
        .iter()
        .filter(|(at, _)| *at < began)
        .map(|(_, email)| email.clone())
        .collect();
    assert!(
        before.len() > 20,
        "signed before the backup: {}",
        before.len()
    );
    let url = format!("sqlite://{}", copy.display());
    let mut conn = SqliteConnection::establish(copy_arg).unwrap();
    let checked: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut conn)
        .unwrap();
    assert_eq!(checked.len(), 1);
    assert_eq!(checked[0].integrity_check, "ok");
    drop(conn);
    let in_copy = stored_emails(&url);
    let missing: Vec<&String> = before.iter().filter(|e| !in_copy.contains(*e)).collect();
    assert!(
        missing.is_empty(),
        "acknowledged before, not in the copy: {missing:?}"
    );

    server.terminate();
    assert!(server.wait_exit(Duration::from_secs(15)).is_some());
    let (ok, said, err) = clarion(&settings, &["restore", "--input", copy_arg]);
    assert!(ok, "restore: {said} {err}");
    assert!(
        said.contains(&format!("({} signatures)", in_copy.len())),
        "{said}"
    );
    assert!(
        said.contains("the database it replaced is kept at"),
        "{said}"
    );
    let restored = Running::start(&as_os(&vars_with(&settings, &[])));
    let ready = web.get(format!("{}/readyz", restored.base)).send().await;
    assert_eq!(ready.unwrap().status().as_u16(), 200);
    assert_eq!(
        stored_emails(&db.url),
        in_copy,
        "the restored server holds the copy"
    );
}

/// The README's cron line, with its paths pointed at a temporary directory and `\%` read
/// as cron reads it, makes a dated copy.
#[test]
fn the_readmes_cron_line_makes_a_dated_backup() {
    let readme = include_str!("../../README.md");
    let line = readme
        .lines()
        .map(str::trim_start)
        .find(|l| l.contains("clarion backup --output") && l.starts_with(char::is_numeric))
        .expect("the README has a cron line for backups");
    // minute hour day month weekday user command…
    let command = line
        .splitn(7, ' ')
        .nth(6)
        .expect("a command after the user");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let backups = dir.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let database = clarion::config::DatabaseUrl::Sqlite(data.join("clarion.db"));
    drop(clarion::db::connect_one(&database).unwrap());
    let command = command
        .replace("\\%", "%")
        .replace("/usr/local/bin/clarion", env!("CARGO_BIN_EXE_clarion"))
        .replace("/var/lib/clarion", data.to_str().unwrap())
        .replace("/var/backups/clarion", backups.to_str().unwrap());
    let mut shell = Command::new("sh");
    for (name, _) in std::env::vars() {
        if name.starts_with("CLARION_") {
            shell.env_remove(name);
        }
    }
    let output = shell.args(["-c", &command]).output().unwrap();
    assert!(output.status.success(), "{command}: {output:?}");
    let today = chrono::Local::now().format("%F").to_string();
    let made = backups.join(format!("clarion-{today}.db"));
    assert!(made.is_file(), "{} made by {command}", made.display());
}
