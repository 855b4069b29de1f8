//! Faults the tests make themselves: a full disk under SQLite (a small tmpfs the test
//! mounts), a PostgreSQL database that stops taking connections. Signing answers 503
//! with `Retry-After` (never 500), `/healthz` says so, the log names the cause a few
//! times rather than per request, and everything works again by itself once the fault
//! is gone.

use std::io::Write as _;
use std::process::Command;
use std::time::{Duration, Instant};

use diesel::RunQueryDsl as _;

use crate::helpers::binary::{client, hidden_fields, sign, Running};
use crate::helpers::{require_postgres, say, TestApp, TestDb, PETITION};

/// A tmpfs of `megabytes` mounted for one test, unmounted after it.
struct SmallDisk {
    dir: tempfile::TempDir,
}

impl SmallDisk {
    /// `None` when this machine will not mount one (not root); CI runs as root.
    fn mount(megabytes: u32) -> Option<Self> {
        let dir = tempfile::tempdir().unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir.path())
            .status()
            .is_ok_and(|s| s.success());
        mounted.then_some(Self { dir })
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount")
            .arg("-l")
            .arg(self.dir.path())
            .status();
    }
}

/// Fills the file system holding `path` until it refuses another byte.
fn fill(path: &std::path::Path) {
    let mut file = std::fs::File::create(path).unwrap();
    let chunk = vec![7u8; 64 * 1024];
    while file.write_all(&chunk).is_ok() {}
    let one = [7u8; 512];
    while file.write_all(&one).is_ok() {}
    let _ = file.sync_all();
}

/// Once the fault is gone, signing answers 303 and `/healthz` 200 within ten seconds each.
async fn recovers(client: &reqwest::Client, base: &str, hidden: &[(String, String)], email: &str) {
    let started = Instant::now();
    loop {
        let (status, _) = sign(client, base, hidden, email).await;
        if status == 303 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "no recovery: {status}"
        );
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
    let started = Instant::now();
    while health(client, base).await.0 != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "healthz stays 503"
        );
        actix_web::rt::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn health(client: &reqwest::Client, base: &str) -> (u16, String) {
    let response = client.get(format!("{base}/healthz")).send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[test]
fn on_a_full_disk_signing_answers_503_the_log_says_why_once_and_it_recovers_by_itself() {
    let Some(disk) = SmallDisk::mount(24) else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("CI=true but a tmpfs cannot be mounted here (the full-disk test needs root)");
        }
        say("SKIPPED faults::on_a_full_disk…: mounting a tmpfs needs root");
        return;
    };
    let data = disk.dir.path().join("data");
    let server = Running::start(&[
        ("CLARION_DATA_DIR", data.as_os_str()),
        ("CLARION_MIN_FILL_SECS", "0".as_ref()),
        ("CLARION_HOLD_PER_ADDRESS", "off".as_ref()),
        ("CLARION_RATE_SIGN", "off".as_ref()),
        ("CLARION_RATE_PUBLIC", "off".as_ref()),
    ]);
    let base = server.base.clone();

    actix_web::rt::System::new().block_on(async {
        let client = client(Duration::from_secs(20));
        let hidden = hidden_fields(&client, &base).await;
        assert_eq!(
            sign(&client, &base, &hidden, "before@example.org").await.0,
            303
        );
        let filler = disk.dir.path().join("filler");
        fill(&filler);
        // Sign until the full disk shows; every answer is a 303 or a 503 with Retry-After.
        let (mut refused, mut unhealthy) = (0, 0);
        for n in 0..400 {
            let (status, retry) =
                sign(&client, &base, &hidden, &format!("full{n}@example.org")).await;
            match status {
                303 => {}
                503 => {
                    assert!(retry.is_some_and(|r| r.parse::<u64>().is_ok_and(|s| s >= 1)));
                    refused += 1;
                    // Some writes still fit (a log that starts over reuses its space):
                    // health follows the last write, so look while one just failed.
                    if health(&client, &base).await == (503, "disk full".to_string()) {
                        unhealthy += 1;
                    }
                    if refused == 20 {
                        break;
                    }
                }
                other => panic!("signing on a full disk answered {other}"),
            }
        }
        assert_eq!(refused, 20, "the full disk never showed");
        assert!(unhealthy > 0, "/healthz never said \"disk full\"");

        std::fs::remove_file(&filler).unwrap();
        recovers(&client, &base, &hidden, "after@example.org").await;
        // Writes that keep working for a while are announced in the log.
        actix_web::rt::time::sleep(Duration::from_millis(2_100)).await;
        assert_eq!(
            sign(&client, &base, &hidden, "later@example.org").await.0,
            303
        );
        actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    });
    let log = server.log();
    drop(server);

    let errors: Vec<&String> = log.iter().filter(|l| l.contains("ERROR")).collect();
    say(&format!(
        "full disk: {} ERROR and {} WARN log lines in all",
        errors.len(),
        log.iter().filter(|l| l.contains("WARN")).count()
    ));
    assert!(
        !errors.is_empty() && errors.len() <= 5,
        "the cause, a handful of times: {errors:#?}"
    );
    assert!(
        errors.iter().any(|l| l.contains("disk full")),
        "{errors:#?}"
    );
    assert!(log.iter().any(|l| l.contains("writes work again")));
    let mut db: diesel::SqliteConnection =
        diesel::Connection::establish(data.join("clarion.db").to_str().unwrap())
            .expect("the database opens");
    #[derive(diesel::QueryableByName)]
    struct Check {
        #[diesel(sql_type = diesel::sql_types::Text)]
        integrity_check: String,
    }
    let checks: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut db)
        .unwrap();
    assert_eq!(checks[0].integrity_check, "ok");
}

#[actix_web::test]
async fn while_postgresql_refuses_connections_signing_answers_503_fast_and_recovers_by_itself() {
    let Some(admin_url) = require_postgres("faults::while_postgresql_refuses_connections") else {
        return;
    };
    let app = TestApp::builder()
        .with_db(TestDb::postgres(&admin_url))
        .spawn()
        .await;
    // Well under the old 10-second wait for a connection, per request.
    let client = client(Duration::from_secs(6));
    let hidden = hidden_fields(&client, &app.address).await;
    assert_eq!(
        sign(&client, &app.address, &hidden, "first@example.org")
            .await
            .0,
        303
    );
    let name = app.db.url.rsplit('/').next().unwrap().to_string();
    let mut admin: diesel::PgConnection =
        diesel::Connection::establish(&admin_url).expect("the admin connection");
    let outage = |on: bool| format!("ALTER DATABASE {name} ALLOW_CONNECTIONS {}", !on);
    diesel::sql_query(outage(true)).execute(&mut admin).unwrap();
    diesel::sql_query(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    ))
    .execute(&mut admin)
    .unwrap();

    let mut statuses = Vec::new();
    for n in 0..5 {
        let (status, retry) = sign(
            &client,
            &app.address,
            &hidden,
            &format!("down{n}@example.org"),
        )
        .await;
        statuses.push(status);
        if status == 503 {
            assert!(retry.is_some());
        }
    }
    assert!(statuses.iter().all(|s| *s == 503), "{statuses:?}");
    let json = client
        .get(app.url(&format!("/api/v1/petitions/{PETITION}")))
        .send()
        .await
        .unwrap()
        .status();
    assert!(
        json == 503 || json == 200,
        "the count answers (a copy or 503): {json}"
    );
    assert_eq!(health(&client, &app.address).await.0, 503);

    diesel::sql_query(outage(false))
        .execute(&mut admin)
        .unwrap();
    recovers(&client, &app.address, &hidden, "back@example.org").await;
}
