//! What an operator finds on disk and in the log after supporters have signed: a data
//! directory only Clarion's user can read, and a log without links (a confirmation link
//! confirms a signature; an invitation link sets a staff password).

use std::time::{Duration, Instant};

use crate::helpers::binary::{client, hidden_fields, sign, Running};

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn a_fresh_data_directory_is_private_and_the_log_names_emails_without_their_links() {
    let parent = tempfile::tempdir().unwrap();
    let data = parent.path().join("data");
    // An existing, world-readable directory is made private at start.
    std::fs::create_dir(&data).unwrap();
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let server = Running::start(&[
        ("CLARION_DATA_DIR", data.as_os_str()),
        ("CLARION_MIN_FILL_SECS", "0".as_ref()),
    ]);
    let base = server.base.clone();

    let status = actix_web::rt::System::new().block_on(async {
        let client = client(Duration::from_secs(20));
        let hidden = hidden_fields(&client, &base).await;
        sign(&client, &base, &hidden, "private@example.org").await.0
    });
    assert_eq!(status, 303);
    let outbox = data.join("outbox");
    let started = Instant::now();
    let eml = loop {
        let found = std::fs::read_dir(&outbox)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "eml"));
        if let Some(found) = found {
            break found;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "no email written"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    // The log line about that email comes just after the file.
    std::thread::sleep(Duration::from_millis(300));
    let log = server.log();
    let about_email: Vec<&String> = log.iter().filter(|l| l.contains("outbox folder")).collect();
    assert_eq!(about_email.len(), 1, "{log:#?}");
    let file_name = eml.file_name().unwrap().to_string_lossy().to_string();
    assert!(about_email[0].contains(&file_name), "{}", about_email[0]);
    assert!(
        about_email[0].contains("kind=signature_confirmation"),
        "{}",
        about_email[0]
    );
    assert!(
        log.iter().all(|l| !l.contains("/signatures/confirm/")),
        "a link reached the log: {log:#?}"
    );
    // The file itself holds the link: that folder is the operator's mailbox.
    let mail = crate::helpers::smtp::Mail {
        to: vec![],
        data: std::fs::read(&eml).unwrap(),
    };
    assert!(mail.link().contains("/signatures/confirm/"));

    assert_eq!(mode(&data), 0o700, "the data directory");
    assert_eq!(mode(&outbox), 0o700, "the outbox folder");
    for file in [
        "clarion.db",
        "clarion.db-wal",
        "clarion.db-shm",
        "secret.key",
    ] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    assert_eq!(mode(&eml), 0o600, "the email file");
}
