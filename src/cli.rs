//! The `clarion` command line: `serve` (the default), `migrate`, `seed-demo`.

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::db;
use crate::domain::email::Email;
use crate::domain::{staff, target_csv};
use crate::export::{signatures, ExportOptions};
use crate::startup::{Application, StartupError};

const ENVIRONMENT_HELP: &str = "\
Configuration comes from environment variables, each optional:
  CLARION_DATA_DIR          where the SQLite file, secret and .eml outbox live [./data]
  CLARION_DATABASE_URL      sqlite://PATH or postgres://USER@HOST/DB [sqlite://{data_dir}/clarion.db]
  CLARION_BIND              listen address; port 0 picks a free port [127.0.0.1:8080]
  CLARION_BASE_URL          absolute base of links in emails [http://{bind}]
  CLARION_SMTP_URL          smtp://host:port, smtp://user:pass@host:587?tls=required, smtps://…
                            [unset: write .eml files under {data_dir}/outbox/]
  CLARION_MAIL_FROM         sender of every email [Clarion <no-reply@localhost>]
  CLARION_SECRET_KEY        32+ bytes, hex or base64 [SQLite: generated into the data directory;
                            required with PostgreSQL]
  CLARION_DEMO              0: start with no demo content [1]
  CLARION_TRUSTED_PROXIES   CIDR list whose X-Forwarded-For / Forwarded headers are believed []
  CLARION_RATE_SIGN, _CONTACT, _LOGIN, _EXPORT, _PUBLIC
                            N/PERIOD (PERIOD in s, m or h) per client address, or off
  CLARION_MIN_FILL_SECS     forms sent sooner after being served are held [2]
  CLARION_HOLD_PER_ADDRESS  signatures per address and petition beyond this are held [20/1h]
  CLARION_ADMIN_PASSWORD    create-admin: the new user's password (else prompt or stdin)";

#[derive(Debug, Parser)]
#[command(name = "clarion", version, about = "Clarion: campaigns, petitions and letters to officials", after_help = ENVIRONMENT_HELP)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate, seed the demo into an empty database (unless CLARION_DEMO=0), and serve.
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Add the demo content to an empty database and exit.
    SeedDemo,
    /// Create a staff user. The password comes from CLARION_ADMIN_PASSWORD, else a prompt
    /// on a terminal, else one line of standard input.
    CreateAdmin {
        /// The staff member's email address (their login).
        #[arg(long)]
        email: String,
        /// admin (everything) or campaigner (no staff, erasure, block lists or audit log).
        #[arg(long, default_value = "admin", value_parser = ["admin", "campaigner"])]
        role: String,
    },
    /// Import or update a target list from CSV, all or nothing. Columns: Clarion's
    /// external_id,name,role,country_code,political_group,party,email,constituency or the
    /// MEP list's ep_id,first_name,last_name,country_code,country,political_group,
    /// national_party,email,profile_url (told apart by the header).
    ImportTargets {
        /// The list's name (created if new; its targets are updated by external id).
        #[arg(long)]
        list: String,
        /// The CSV file.
        file: std::path::PathBuf,
    },
    /// Add or remove an email domain or address range on the block or allow list used
    /// when supporters sign or write.
    AccessRule {
        /// block or allow.
        #[arg(long, value_parser = ["block", "allow"])]
        list: String,
        /// An email domain, like spam.example (subdomains match too).
        #[arg(long, conflicts_with = "cidr", required_unless_present = "cidr")]
        domain: Option<String>,
        /// An address range, like 192.0.2.0/24 or 2001:db8::/32.
        #[arg(long)]
        cidr: Option<String>,
        /// Remove the rule instead of adding it.
        #[arg(long)]
        remove: bool,
    },
    /// Release or invalidate the held signatures (petitions) or letters (contact actions)
    /// of an action, all or those of one rule, and print how many changed.
    Held {
        /// The action's slug.
        #[arg(long)]
        action: String,
        /// Only rows held by this rule: too_fast, honeypot, per_address or blocked.
        #[arg(long)]
        reason: Option<String>,
        /// Count them (or let them await confirmation), and send released letters.
        #[arg(
            long,
            conflicts_with = "invalidate",
            required_unless_present = "invalidate"
        )]
        release: bool,
        /// Keep them out for good.
        #[arg(long)]
        invalidate: bool,
    },
    /// Stream a petition's signatures as CSV: the same columns, filters, statuses and bytes
    /// as GET /admin/petitions/{slug}/signatures.csv. A progress bar shows on a terminal.
    ExportSignatures {
        /// The petition's slug.
        #[arg(long)]
        petition: String,
        /// confirmed (default), pending, held, invalidated or all.
        #[arg(long)]
        status: Option<String>,
        /// Only this country (ISO 3166-1 alpha-2).
        #[arg(long)]
        country: Option<String>,
        /// Signed on or after this UTC date (YYYY-MM-DD).
        #[arg(long)]
        from: Option<String>,
        /// Signed on or before this UTC date (YYYY-MM-DD).
        #[arg(long)]
        to: Option<String>,
        /// Only supporters who agreed to updates.
        #[arg(long)]
        consent: bool,
        /// Start with a UTF-8 byte-order mark (for Excel).
        #[arg(long)]
        bom: bool,
        /// Write here instead of standard output.
        #[arg(long)]
        output: Option<std::path::PathBuf>,
    },
}

/// Runs the chosen command; the error, if any, is printed by `main` as one line.
pub fn run(cli: Cli) -> Result<(), StartupError> {
    let config = Config::from_env()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config),
        Command::Migrate => {
            let pool = db::connect_and_migrate(&config.database)?;
            drop(pool);
            println!(
                "database is up to date ({})",
                config.database.backend_name()
            );
            Ok(())
        }
        Command::SeedDemo => {
            let pool = db::connect_and_migrate(&config.database)?;
            let mut conn = pool.get().map_err(db::DbError::from)?;
            if db::demo::seed_if_empty(&mut conn)? {
                println!("demo content added");
            } else {
                println!("the database already has content; nothing was added");
            }
            Ok(())
        }
        Command::CreateAdmin { email, role } => create_admin(&config, &email, &role),
        Command::ImportTargets { list, file } => import_targets(&config, &list, &file),
        Command::AccessRule {
            list,
            domain,
            cidr,
            remove,
        } => access_rule(&config, &list, domain, cidr, remove),
        Command::Held {
            action,
            reason,
            release,
            ..
        } => held(&config, &action, reason.as_deref(), release),
        Command::ExportSignatures {
            petition,
            status,
            country,
            from,
            to,
            consent,
            bom,
            output,
        } => {
            let options = ExportOptions {
                status,
                country,
                from,
                to,
                consent: consent.then(|| "1".into()),
                bom: bom.then(|| "1".into()),
            };
            export_signatures(&config, &petition, &options, output.as_deref())
        }
    }
}

fn export_signatures(
    config: &Config,
    slug: &str,
    options: &ExportOptions,
    output: Option<&std::path::Path>,
) -> Result<(), StartupError> {
    use std::io::{IsTerminal as _, Write as _};
    let export = options.parse().map_err(StartupError::Command)?;
    let pool = db::connect_and_migrate(&config.database)?;
    let mut conn = pool.get().map_err(db::DbError::from)?;
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
    let rows = signatures::write_all(
        &mut conn,
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

fn access_rule(
    config: &Config,
    list: &str,
    domain: Option<String>,
    cidr: Option<String>,
    remove: bool,
) -> Result<(), StartupError> {
    let (kind, value) = match (domain, cidr) {
        (Some(domain), _) => {
            let domain = domain.trim().trim_start_matches('@').to_lowercase();
            if domain.is_empty() || domain.contains(['@', ' ', '/']) {
                return Err(StartupError::Command(format!(
                    "'{domain}' is not an email domain"
                )));
            }
            ("email_domain", domain)
        }
        (None, Some(cidr)) => {
            let net = cidr
                .trim()
                .parse::<ipnet::IpNet>()
                .or_else(|_| {
                    cidr.trim()
                        .parse::<std::net::IpAddr>()
                        .map(ipnet::IpNet::from)
                })
                .map_err(|_| StartupError::Command(format!("'{cidr}' is not an address range")))?;
            ("cidr", net.trunc().to_string())
        }
        (None, None) => return Err(StartupError::Command("give --domain or --cidr".into())),
    };
    let pool = db::connect_and_migrate(&config.database)?;
    let mut conn = pool.get().map_err(db::DbError::from)?;
    let changed = db::holds::set_rule(&mut conn, list, kind, &value, remove)?;
    let verb = if remove { "removed" } else { "added" };
    println!("{verb} {changed} rule(s): {list} {kind} {value}");
    Ok(())
}

fn held(
    config: &Config,
    slug: &str,
    reason: Option<&str>,
    release: bool,
) -> Result<(), StartupError> {
    const REASONS: [&str; 4] = ["too_fast", "honeypot", "per_address", "blocked"];
    if reason.is_some_and(|r| !REASONS.contains(&r)) {
        return Err(StartupError::Command(format!(
            "--reason must be one of {}",
            REASONS.join(", ")
        )));
    }
    let pool = db::connect_and_migrate(&config.database)?;
    let mut conn = pool.get().map_err(db::DbError::from)?;
    let verb = if release { "released" } else { "invalidated" };
    if let Some(petition) = db::petitions::find_any(&mut conn, slug)? {
        let n = db::holds::decide_signatures(&mut conn, &petition.id, reason, release)?;
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
        release,
        &|title, message, target| {
            crate::web::contact::letter_email(&base_url, title, message, target, now)
        },
    )?;
    println!("{verb} {n} held letter(s) of {slug}");
    Ok(())
}

fn import_targets(config: &Config, list: &str, file: &std::path::Path) -> Result<(), StartupError> {
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
    let pool = db::connect_and_migrate(&config.database)?;
    let mut conn = pool.get().map_err(db::DbError::from)?;
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

fn create_admin(config: &Config, email: &str, role: &str) -> Result<(), StartupError> {
    let email = Email::parse(email)
        .map_err(|_| StartupError::Command(format!("'{email}' is not an email address")))?;
    let password = read_password()?;
    staff::check_password_strength(&password).map_err(StartupError::Command)?;
    let pool = db::connect_and_migrate(&config.database)?;
    let mut conn = pool.get().map_err(db::DbError::from)?;
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

fn serve(config: Config) -> Result<(), StartupError> {
    actix_web::rt::System::new().block_on(async move {
        let backend = config.database.backend_name();
        let app = Application::build(config)?;
        tracing::info!(backend, "listening on http://{}", app.address());
        app.run_until_stopped()
            .await
            .map_err(|source| StartupError::Bind {
                address: "server".into(),
                source,
            })
    })
}
