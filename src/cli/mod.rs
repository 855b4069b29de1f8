//! The `clarion` command line: the commands and their flags (`commands` does the work).

mod backup;
mod commands;

use clap::{Parser, Subcommand};

use crate::config::Config;
use crate::db;
use crate::export::ExportOptions;
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
  CLARION_TRUSTED_PROXIES   CIDR list whose forwarding header is believed []
  CLARION_PROXY_HEADER      the one header those proxies set: x-forwarded-for or forwarded
                            [x-forwarded-for]
  CLARION_RATE_SIGN, _CONTACT, _LOGIN, _EXPORT, _PUBLIC
                            N/PERIOD (PERIOD in s, m or h) per client address, or off
  CLARION_MIN_FILL_SECS     forms sent sooner after being served are held [2]
  CLARION_HOLD_PER_ADDRESS  signatures per address and petition beyond this are held [20/1h]
  CLARION_SIGN_QUEUE        sign requests waiting to be stored; beyond, 503 at once [4096]
  CLARION_SHUTDOWN_SECS     after SIGTERM, finish what is in hand and exit within this [10]
  CLARION_METRICS_BIND      address serving Prometheus text at /metrics [unset: none]
  CLARION_LOG_FORMAT        text or json [text]
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
    /// Copy the SQLite database to a new file while the server runs (for PostgreSQL,
    /// print the pg_dump command to use instead).
    Backup {
        /// The new file (it must not exist).
        #[arg(long)]
        output: std::path::PathBuf,
    },
    /// Replace the SQLite database with a backup; refused while a server uses it. The
    /// database replaced is kept beside it.
    Restore {
        /// The backup file.
        #[arg(long)]
        input: std::path::PathBuf,
    },
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
    /// Partners that embed petitions on their own sites.
    Partner {
        #[command(subcommand)]
        action: PartnerCommand,
    },
    /// Tokens of the OSDI API, made per partner.
    ApiToken {
        #[command(subcommand)]
        action: ApiTokenCommand,
    },
    /// Partners' webhook endpoints.
    Webhook {
        #[command(subcommand)]
        action: WebhookCommand,
    },
    /// Emails in the outbox.
    Outbox {
        #[command(subcommand)]
        action: OutboxCommand,
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

#[derive(Debug, Subcommand)]
pub enum PartnerCommand {
    /// Register a partner; prints its key and the embed's allowed origins.
    Add {
        /// Its short name in embed links and the CSV (lower case, digits, hyphens).
        #[arg(long)]
        key: String,
        /// Its name as supporters read it.
        #[arg(long)]
        name: String,
        /// A web origin allowed to frame the embed, like https://example.org (repeat).
        #[arg(long = "origin", required = true)]
        origins: Vec<String>,
        /// Its contact email.
        #[arg(long, default_value = "")]
        contact: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum ApiTokenCommand {
    /// Make an OSDI API token for a partner; prints it once, alone on the last line.
    Create {
        /// The partner's key.
        #[arg(long)]
        partner: String,
        /// read:counts, read:signatures (includes read:counts) or write:signatures (repeat).
        #[arg(long = "scope", required = true)]
        scopes: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Add a webhook endpoint for a partner; prints its secret once, alone on the last line.
    Add {
        /// The partner's key.
        #[arg(long)]
        partner: String,
        /// The endpoint, https://… (http and private addresses only with
        /// CLARION_WEBHOOK_ALLOW_PRIVATE=1).
        #[arg(long)]
        url: String,
        /// signature.confirmed, signature.withdrawn, letter.sent or
        /// subscriber.unsubscribed (repeat).
        #[arg(long = "event", required = true)]
        events: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Queue the emails given up on (failed) again, now, and print how many; recorded in
    /// the audit log.
    Retry {
        /// Only emails of this kind: signature_confirmation, message_confirmation, letter
        /// or staff_invite.
        #[arg(long)]
        kind: Option<String>,
        /// Only emails queued on or after this UTC date (YYYY-MM-DD).
        #[arg(long)]
        since: Option<String>,
    },
}

/// Runs the chosen command; the error, if any, is printed by `main` as one line.
pub fn run(cli: Cli) -> Result<(), StartupError> {
    let config = Config::from_env()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config),
        Command::Migrate => {
            drop(db::connect_one(&config.database)?);
            println!(
                "database is up to date ({})",
                config.database.backend_name()
            );
            Ok(())
        }
        Command::Backup { output } => backup::backup(&config, &output),
        Command::Restore { input } => backup::restore(&config, &input),
        Command::SeedDemo => {
            let mut conn = db::connect_one(&config.database)?;
            if db::demo::seed_if_empty(&mut conn)? {
                println!("demo content added");
            } else {
                println!("the database already has content; nothing was added");
            }
            Ok(())
        }
        Command::CreateAdmin { email, role } => commands::create_admin(&config, &email, &role),
        Command::ImportTargets { list, file } => commands::import_targets(&config, &list, &file),
        Command::AccessRule {
            list,
            domain,
            cidr,
            remove,
        } => commands::access_rule(&config, &list, domain, cidr, remove),
        Command::Held {
            action,
            reason,
            release,
            ..
        } => commands::held(&config, &action, reason.as_deref(), release),
        Command::Partner {
            action:
                PartnerCommand::Add {
                    key,
                    name,
                    origins,
                    contact,
                },
        } => commands::add_partner(&config, (&key, &name), &origins, &contact),
        Command::ApiToken {
            action: ApiTokenCommand::Create { partner, scopes },
        } => commands::create_api_token(&config, &partner, &scopes),
        Command::Webhook {
            action:
                WebhookCommand::Add {
                    partner,
                    url,
                    events,
                },
        } => commands::add_webhook(&config, &partner, &url, &events),
        Command::Outbox {
            action: OutboxCommand::Retry { kind, since },
        } => commands::retry_outbox(&config, kind.as_deref(), since.as_deref()),
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
            commands::export_signatures(&config, &petition, &options, output.as_deref())
        }
    }
}

fn serve(config: Config) -> Result<(), StartupError> {
    // One server a SQLite file; and a restore waits for none.
    let _held = backup::hold(&config.database)?;
    let system = actix_web::rt::System::new();
    let (stopping, began) = system.block_on(async move {
        let backend = config.database.backend_name();
        let mut app = Application::build(config)?;
        let stopping = app.stopping();
        let failed = |source| StartupError::Bind {
            address: "server".into(),
            source,
        };
        let began = stopping.on_signals().map_err(failed)?;
        tracing::info!(backend, "listening on http://{}", app.address());
        app.run_until_stopped().await.map_err(failed)?;
        Ok::<_, StartupError>((stopping, began))
    })?;
    // Ending the runtime drops the server's state: the signing writers and the outbox
    // workers see their channels close, and end after the work in their hands.
    drop(system);
    stopping.finish(began.get().copied());
    Ok(())
}
