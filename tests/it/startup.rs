//! The `clarion` binary as an operator runs it: start-up, failures, subcommands.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{require_postgres, TestDb};

/// The binary with a clean slate: no inherited CLARION_* or DATABASE_URL settings.
fn clarion(data_dir: &std::path::Path, vars: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_clarion"));
    for (name, _) in std::env::vars() {
        if name.starts_with("CLARION_") || name == "DATABASE_URL" {
            command.env_remove(name);
        }
    }
    command
        .env("CLARION_DATA_DIR", data_dir)
        .env("CLARION_BIND", "127.0.0.1:0");
    command.envs(vars.iter().copied());
    command
}

fn run(data_dir: &std::path::Path, vars: &[(&str, &str)], args: &[&str]) -> Output {
    clarion(data_dir, vars)
        .args(args)
        .output()
        .expect("clarion runs")
}

/// Start-up refused: exit code 1 and exactly one line on stderr, nothing served.
fn assert_refused(output: &Output, expected: &str) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr).to_string();
    assert_eq!(output.status.code(), Some(1), "stderr: {stderr}");
    let lines: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "one clear line, got: {stderr}");
    assert!(
        lines[0].contains(expected),
        "{:?} should mention {expected:?}",
        lines[0]
    );
    assert!(!String::from_utf8_lossy(&output.stdout).contains("listening"));
    stderr
}

fn files_in(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| Some(e.ok()?.file_name().to_string_lossy().to_string()))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn an_unknown_database_scheme_stops_startup_with_one_line_and_exit_code_1() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        dir.path(),
        &[("CLARION_DATABASE_URL", "mysql://root:hunter2@localhost/x")],
        &[],
    );
    let stderr = assert_refused(&output, "unsupported database URL scheme 'mysql'");
    assert!(
        !stderr.contains("hunter2"),
        "the password must never be printed"
    );
    assert!(
        files_in(dir.path()).is_empty(),
        "nothing may be created: {:?}",
        files_in(dir.path())
    );
}

#[test]
fn an_unreachable_postgres_server_stops_startup_and_never_falls_back_to_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let key = "ab".repeat(32);
    let output = run(
        dir.path(),
        &[
            (
                "CLARION_DATABASE_URL",
                "postgres://postgres@127.0.0.1:1/clarion",
            ),
            ("CLARION_SECRET_KEY", &key),
        ],
        &["serve"],
    );
    assert_refused(&output, "cannot open the database");
    assert!(
        files_in(dir.path()).is_empty(),
        "no SQLite file: {:?}",
        files_in(dir.path())
    );
}

#[test]
fn a_postgres_database_that_refuses_the_connection_stops_startup() {
    let Some(admin) =
        require_postgres("a_postgres_database_that_refuses_the_connection_stops_startup")
    else {
        return;
    };
    let mut url = reqwest::Url::parse(&admin).unwrap();
    url.set_path("clarion_no_such_database");
    let dir = tempfile::tempdir().unwrap();
    let key = "cd".repeat(32);
    let output = run(
        dir.path(),
        &[
            ("CLARION_DATABASE_URL", url.as_str()),
            ("CLARION_SECRET_KEY", &key),
        ],
        &[],
    );
    assert_refused(&output, "clarion_no_such_database");
}

#[test]
fn postgres_without_a_secret_key_refuses_to_start() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(
        dir.path(),
        &[("CLARION_DATABASE_URL", "postgres://postgres@127.0.0.1/x")],
        &[],
    );
    assert_refused(&output, "CLARION_SECRET_KEY is required with PostgreSQL");
}

#[test]
fn a_malformed_setting_names_its_variable() {
    let dir = tempfile::tempdir().unwrap();
    let output = run(dir.path(), &[("CLARION_RATE_SIGN", "lots")], &[]);
    assert_refused(&output, "CLARION_RATE_SIGN");
}

/// Kills the server when the test ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn serve_on_port_0_logs_its_address_answers_healthz_and_never_prints_the_secret() {
    let db = TestDb::new();
    let key = clarion::config::SecretKey::generate().to_hex();
    let started = Instant::now();
    let mut server = Server(
        clarion(
            db.dir.path(),
            &[
                ("CLARION_DATABASE_URL", &db.url),
                ("CLARION_SECRET_KEY", &key),
            ],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("clarion starts"),
    );
    let stdout = BufReader::new(server.0.stdout.take().unwrap());
    let mut seen = Vec::new();
    let mut address = None;
    for line in stdout.lines() {
        let line = line.unwrap();
        if let Some(at) = line.find("listening on http://") {
            let rest = &line[at + "listening on ".len()..];
            address = Some(rest.split_whitespace().next().unwrap().to_string());
        }
        seen.push(line);
        if address.is_some() || started.elapsed() > Duration::from_secs(30) {
            break;
        }
    }
    let address = address.unwrap_or_else(|| panic!("no address logged: {seen:?}"));
    assert!(
        !address.ends_with(":0"),
        "port 0 must be replaced by the real port"
    );
    let body = blocking_get(&format!("{address}/healthz"));
    assert_eq!(body, (200, "ok".to_string()));
    let home = blocking_get(&format!("{address}/"));
    assert!(home.1.contains("Free Cambodia"), "the demo is served");
    assert!(
        seen.iter().all(|l| !l.contains(&key)),
        "the secret key was logged"
    );
}

/// GET from a plain test (no async runtime of its own): (status, body).
fn blocking_get(url: &str) -> (u16, String) {
    actix_web::rt::System::new().block_on(async {
        let response = reqwest::get(url).await.expect("server answers");
        (response.status().as_u16(), response.text().await.unwrap())
    })
}

#[test]
fn migrate_creates_the_sqlite_database_and_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let output = run(dir.path(), &[], &["migrate"]);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).contains("up to date"));
    }
    assert!(dir.path().join("clarion.db").exists());
}

#[test]
fn seed_demo_fills_an_empty_database_once() {
    let db = TestDb::new();
    let vars = [("CLARION_DATABASE_URL", db.url.as_str())];
    let first = run(db.dir.path(), &vars, &["seed-demo"]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(String::from_utf8_lossy(&first.stdout).contains("demo content added"));
    let second = run(db.dir.path(), &vars, &["seed-demo"]);
    assert!(second.status.success());
    assert!(String::from_utf8_lossy(&second.stdout).contains("nothing was added"));
}

#[test]
fn the_generated_secret_is_kept_private_in_the_data_directory_and_reused() {
    let dir = tempfile::tempdir().unwrap();
    let settings = |name: &str| match name {
        "CLARION_DATA_DIR" => Some(dir.path().display().to_string()),
        _ => None,
    };
    let config = clarion::config::Config::from_lookup(settings).unwrap();
    let first = clarion::startup::resolve_secret(&config).unwrap();
    let second = clarion::startup::resolve_secret(&config).unwrap();
    assert_eq!(first.as_bytes(), second.as_bytes());
    assert_eq!(first.as_bytes().len(), 32);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(dir.path().join("secret.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "only the owner may read the secret");
    }
}

#[test]
fn help_documents_every_command_and_setting() {
    let dir = tempfile::tempdir().unwrap();
    let help = String::from_utf8(run(dir.path(), &[], &["--help"]).stdout).unwrap();
    for word in [
        "serve",
        "migrate",
        "seed-demo",
        "CLARION_DATABASE_URL",
        "CLARION_SECRET_KEY",
        "CLARION_DEMO",
        "CLARION_PROXY_HEADER",
    ] {
        assert!(help.contains(word), "--help lacks {word}");
    }
}

#[test]
fn create_admin_takes_the_password_from_the_environment_or_one_line_of_stdin() {
    use std::io::Write as _;
    let db = TestDb::new();
    let vars = [("CLARION_DATABASE_URL", db.url.as_str())];
    let output = clarion(db.dir.path(), &vars)
        .env("CLARION_ADMIN_PASSWORD", "a long enough password")
        .args(["create-admin", "--email", "Chief@Example.org"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("created admin chief@example.org"));

    let mut child = clarion(db.dir.path(), &vars)
        .args([
            "create-admin",
            "--email",
            "helper@example.org",
            "--role",
            "campaigner",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"another long password\n")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    let url = clarion::config::DatabaseUrl::parse(&db.url).unwrap();
    let pool = clarion::db::connect_and_migrate(&url).unwrap();
    let mut conn = pool.get().unwrap();
    let helper = clarion::db::staff::find_by_email(&mut conn, "helper@example.org")
        .unwrap()
        .unwrap();
    assert_eq!(helper.role, "campaigner");
    let hash = helper.password_hash.unwrap();
    assert!(hash.starts_with("$argon2id$"));
    assert!(clarion::domain::staff::verify_password(
        "another long password",
        &hash
    ));

    // The same email twice, a short or common password, a bad address: refused with one line.
    for (args, password, expected) in [
        (
            ["create-admin", "--email", "chief@example.org"],
            "a long enough password",
            "already exists",
        ),
        (
            ["create-admin", "--email", "new@example.org"],
            "short",
            "at least 12 characters",
        ),
        (
            ["create-admin", "--email", "new@example.org"],
            "Password1234!",
            "too common",
        ),
        (
            ["create-admin", "--email", "not-an-email"],
            "a long enough password",
            "not an email address",
        ),
    ] {
        let output = clarion(db.dir.path(), &vars)
            .env("CLARION_ADMIN_PASSWORD", password)
            .args(args)
            .output()
            .unwrap();
        assert_refused(&output, expected);
    }
}
