//! What an operator finds on disk and in the log after supporters have signed: a data
//! directory only Clarion's user can read, and a log without links (a confirmation link
//! confirms a signature; an invitation link sets a staff password).

use std::io::{BufRead as _, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::petitions::{supporter, PETITION};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Signs the demo petition at `base` as a browser would: the page, then its form.
async fn sign(base: &str, email: &str) -> u16 {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let page = client
        .get(format!("{base}/petitions/{PETITION}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let action = format!("/petitions/{PETITION}/sign");
    let selector = format!("form[action=\"{action}\"] input[type=hidden]");
    let page = crate::helpers::html(&page);
    let names = crate::helpers::attrs(&page, &selector, "name");
    let values = crate::helpers::attrs(&page, &selector, "value");
    let mut form: Vec<(String, String)> = names.into_iter().zip(values).collect();
    for (k, v) in supporter(email) {
        form.push((k.into(), v.into()));
    }
    client
        .post(format!("{base}{action}"))
        .form(&form)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
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
    let mut command = Command::new(env!("CARGO_BIN_EXE_clarion"));
    for (name, _) in std::env::vars() {
        if name.starts_with("CLARION_") || name == "DATABASE_URL" {
            command.env_remove(name);
        }
    }
    let mut server = Server(
        command
            .env("CLARION_DATA_DIR", &data)
            .env("CLARION_BIND", "127.0.0.1:0")
            .env("CLARION_MIN_FILL_SECS", "0")
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("clarion starts"),
    );
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let (address_tx, address_rx) = std::sync::mpsc::channel();
    let reader = BufReader::new(server.0.stdout.take().unwrap());
    let seen = lines.clone();
    std::thread::spawn(move || {
        for line in reader.lines().map_while(Result::ok) {
            if let Some(at) = line.find("listening on http://") {
                let rest = &line[at + "listening on ".len()..];
                let _ = address_tx.send(rest.split_whitespace().next().unwrap().to_string());
            }
            seen.lock().unwrap().push(line);
        }
    });
    let base = address_rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the address is logged");

    let status = actix_web::rt::System::new().block_on(sign(&base, "private@example.org"));
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
    let log = lines.lock().unwrap().clone();
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
    let mail = crate::smtp::Mail {
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
