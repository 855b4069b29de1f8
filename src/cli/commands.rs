//! What the maintenance commands do: staff users, target lists, block lists, held rows,
//! exports. Each prints one line (or the export) and fails with one clear error.

use crate::config::Config;
use crate::db;
use crate::domain::access_rule::RuleValue;
use crate::domain::email::Email;
use crate::domain::{staff, target_csv};
use crate::export::{signatures, ExportOptions};
use crate::startup::StartupError;

pub fn create_admin(config: &Config, email: &str, role: &str) -> Result<(), StartupError> {
    let email = Email::parse(email)
        .map_err(|_| StartupError::Command(format!("'{email}' is not an email address")))?;
    let password = read_password()?;
    staff::check_password_strength(&password).map_err(StartupError::Command)?;
    let mut conn = db::connect_one(&config.database)?;
    let hash = staff::hash_password(&password);
    if !db::staff::create(&mut conn, email.as_str(), &hash, role)? {
        return Err(StartupError::Command(format!(
            "a staff user with the email {} already exists",
            email.as_str()
        )));
    }
    println!("created {role} {}", email.as_str().to_lowercase());
    Ok(())
}

fn read_password() -> Result<String, StartupError> {
    use std::io::IsTerminal as _;
    if let Ok(password) = std::env::var("CLARION_ADMIN_PASSWORD") {
        return Ok(password);
    }
    let failed =
        |e: std::io::Error| StartupError::Command(format!("cannot read the password: {e}"));
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password: ").map_err(failed)?;
        let again = rpassword::prompt_password("Password again: ").map_err(failed)?;
        if first != again {
            return Err(StartupError::Command("the two passwords differ".into()));
        }
        return Ok(first);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(failed)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub fn access_rule(
    config: &Config,
    list: &str,
    domain: Option<String>,
    cidr: Option<String>,
    remove: bool,
) -> Result<(), StartupError> {
    let rule = match (domain, cidr) {
        (Some(domain), _) => RuleValue::email_domain(&domain),
        (None, Some(cidr)) => RuleValue::cidr(&cidr),
        (None, None) => return Err(StartupError::Command("give --domain or --cidr".into())),
    }
    .map_err(StartupError::Command)?;
    let (kind, value) = (rule.kind(), rule.value());
    let mut conn = db::connect_one(&config.database)?;
    let changed = db::holds::set_rule(&mut conn, list, kind, &value, "", remove)?;
    let verb = if remove { "removed" } else { "added" };
    println!("{verb} {changed} rule(s): {list} {kind} {value}");
    Ok(())
}

pub fn held(
    config: &Config,
    slug: &str,
    reason: Option<&str>,
    release: bool,
) -> Result<(), StartupError> {
    use crate::domain::status::{Decision, HoldReason};
    let reason = match reason.map(|r| HoldReason::parse(r).ok_or(r)).transpose() {
        Ok(reason) => reason,
        Err(_) => {
            return Err(StartupError::Command(format!(
                "--reason must be one of {}",
                HoldReason::TEXTS.join(", ")
            )))
        }
    };
    let decision = if release {
        Decision::Release
    } else {
        Decision::Invalidate
    };
    let mut conn = db::connect_one(&config.database)?;
    let verb = decision.done();
    if let Some(petition) = db::petitions::find_any(&mut conn, slug)? {
        let n = db::holds::decide_signatures(&mut conn, &petition.id, reason, decision)?;
        println!("{verb} {n} held signature(s) of {slug}");
        return Ok(());
    }
    let action = db::actions::find_contact_any(&mut conn, slug)?
        .ok_or_else(|| StartupError::Command(format!("no action has the slug '{slug}'")))?;
    let base_url = config
        .base_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.bind));
    let now = db::now();
    let n = db::messages::decide_held(
        &mut conn,
        &action.id,
        reason,
        decision,
        &crate::email::letters::Letters {
            base_url: &base_url,
            now,
        },
    )?;
    println!("{verb} {n} held letter(s) of {slug}");
    Ok(())
}

pub fn import_targets(
    config: &Config,
    list: &str,
    file: &std::path::Path,
) -> Result<(), StartupError> {
    let list = list.trim();
    if list.is_empty() || list.chars().count() > 200 {
        return Err(StartupError::Command(
            "--list needs a name of 1 to 200 characters".into(),
        ));
    }
    let bytes = std::fs::read(file)
        .map_err(|e| StartupError::Command(format!("cannot read {}: {e}", file.display())))?;
    let rows = target_csv::parse(&bytes).map_err(|errors| {
        StartupError::Command(format!(
            "{} was not imported (nothing changed):\n{errors}",
            file.display()
        ))
    })?;
    let mut conn = db::connect_one(&config.database)?;
    let started = std::time::Instant::now();
    let report = db::targets::import(&mut conn, list, &rows)?;
    println!(
        "imported {} targets into \"{list}\" in {} ms: {} added, {} changed, {} unchanged, {} retired",
        rows.len(),
        started.elapsed().as_millis(),
        report.added,
        report.changed,
        report.unchanged,
        report.retired
    );
    Ok(())
}

pub fn export_signatures(
    config: &Config,
    slug: &str,
    options: &ExportOptions,
    output: Option<&std::path::Path>,
) -> Result<(), StartupError> {
    use std::io::{IsTerminal as _, Write as _};
    let export = options.parse().map_err(StartupError::Command)?;
    let mut conn = db::connect_one(&config.database)?;
    let petition = db::petitions::find_any(&mut conn, slug)?
        .ok_or_else(|| StartupError::Command(format!("no petition has the slug '{slug}'")))?;
    let failed = |e: std::io::Error| StartupError::Command(format!("cannot write the export: {e}"));
    let mut out: Box<dyn std::io::Write> = match output {
        Some(path) => Box::new(std::fs::File::create(path).map_err(failed)?),
        None => Box::new(std::io::stdout().lock()),
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 20, &mut out);
    // A bar only where someone watches: never in a pipe or a log.
    let bar = std::io::stderr().is_terminal().then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos} signatures exported ({per_sec})",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar
    });
    // Two more connections read pages side by side while this one plans them.
    let mut readers = [
        db::connect_another(&config.database)?,
        db::connect_another(&config.database)?,
    ];
    let mut conns = vec![&mut conn];
    conns.extend(readers.iter_mut());
    let rows = signatures::write_all(
        conns,
        &petition.id,
        &export.filter,
        export.bom,
        &mut out,
        |n| {
            if let Some(bar) = &bar {
                bar.set_position(n);
            }
        },
    )
    .map_err(|e| StartupError::Command(e.to_string()))?;
    out.flush().map_err(failed)?;
    if let Some(bar) = bar {
        bar.finish();
    }
    db::audit::record(
        &mut conn,
        &db::audit::Event {
            staff_user_id: None,
            event: "export.signatures",
            subject_type: "petition",
            subject_id: &petition.id,
            detail: &format!("command line; {}", export.description),
            row_count: Some(rows as i64),
        },
    )?;
    Ok(())
}

/// `clarion outbox retry`: failed emails (of a kind, since a date) due again now.
pub fn retry_outbox(
    config: &Config,
    kind: Option<&str>,
    since: Option<&str>,
) -> Result<(), StartupError> {
    const KINDS: [&str; 4] = [
        "signature_confirmation",
        "message_confirmation",
        "letter",
        "staff_invite",
    ];
    if kind.is_some_and(|k| !KINDS.contains(&k)) {
        return Err(StartupError::Command(format!(
            "--kind must be one of {}",
            KINDS.join(", ")
        )));
    }
    let since = since
        .map(|d| {
            chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                .map(|d| d.and_hms_opt(0, 0, 0).unwrap_or_default())
                .map_err(|_| StartupError::Command("--since must be a date like 2026-12-01".into()))
        })
        .transpose()?;
    let mut conn = db::connect_one(&config.database)?;
    let n = db::outbox::retry_failed(&mut conn, kind, since, db::now())?;
    println!("queued {n} failed email(s) again");
    Ok(())
}

/// `clarion partner add`: the same checks as the admin form; a taken key is an error.
pub fn add_partner(
    config: &Config,
    (key, name): (&str, &str),
    origins: &[String],
    contact: &str,
) -> Result<(), StartupError> {
    let input = crate::domain::partner::PartnerInput::parse(
        key,
        name,
        &origins.join("\n"),
        contact,
        config.allow_private,
    )
    .map_err(|errors| {
        let said: Vec<String> = errors.into_iter().map(|(_, e)| e).collect();
        StartupError::Command(said.join("; "))
    })?;
    let mut conn = db::connect_one(&config.database)?;
    match db::partners::add(&mut conn, None, &input)? {
        Some(_) => {
            println!(
                "partner {} added; its embed may be framed by: {}",
                input.key.as_str(),
                input.origins.join(" ")
            );
            Ok(())
        }
        None => Err(StartupError::Command(format!(
            "a partner with the key {} exists already",
            input.key.as_str()
        ))),
    }
}

/// The partner with `key`, or an error naming it.
fn partner(conn: &mut db::DbConnection, key: &str) -> Result<db::partners::Partner, StartupError> {
    db::partners::by_key(conn, key)?
        .ok_or_else(|| StartupError::Command(format!("no partner has the key {key:?}")))
}

/// `clarion api-token create`: the token alone on the last line, shown this once.
pub fn create_api_token(config: &Config, key: &str, scopes: &[String]) -> Result<(), StartupError> {
    let scopes = crate::domain::api_token::parse_scopes(scopes.iter().map(String::as_str))
        .map_err(StartupError::Command)?;
    let mut conn = db::connect_one(&config.database)?;
    let partner = partner(&mut conn, key)?;
    let token = db::api_tokens::create(&mut conn, None, &partner.id, &scopes)?;
    let scopes: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
    println!(
        "API token for {} ({}); it is shown this once:",
        partner.key,
        scopes.join(" ")
    );
    println!("{token}");
    Ok(())
}

/// `clarion webhook add`: the secret alone on the last line, shown this once.
pub fn add_webhook(
    config: &Config,
    key: &str,
    url: &str,
    events: &[String],
) -> Result<(), StartupError> {
    use crate::domain::webhook;
    let url = webhook::parse_url(url, config.allow_private).map_err(StartupError::Command)?;
    let events =
        webhook::parse_events(events.iter().map(String::as_str)).map_err(StartupError::Command)?;
    let site_secret = crate::startup::resolve_secret(config)?;
    let mut conn = db::connect_one(&config.database)?;
    let partner = partner(&mut conn, key)?;
    let secret = crate::webhooks::add_endpoint(
        &mut conn,
        None,
        site_secret.as_bytes(),
        (&partner.id, &url, &events),
    )?;
    println!(
        "webhook for {} added: {} ({}); its signing secret is shown this once:",
        partner.key,
        url,
        events.join(" ")
    );
    println!("{secret}");
    Ok(())
}
