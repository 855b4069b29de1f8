//! The demo content a first run shows: one campaign, a published article on the European
//! Parliament's resolution on Cambodia, a petition to MEPs and a "write to your MEPs"
//! action whose small target list is clearly fake (addresses at example.org).

use chrono::TimeDelta;
use diesel::prelude::*;

use super::actions::{self, NewAction, NewTarget, NewTargetList};
use super::articles::{self, NewArticle};
use super::campaigns::{self, NewCampaign};
use super::{new_id, now, DbConnection, DbError};
use crate::domain::organisation::Organisation;

mod translations;

pub const CAMPAIGN_SLUG: &str = "free-cambodias-political-prisoners";
pub const ARTICLE_SLUG: &str = "european-parliament-resolution-on-cambodia";
pub const PETITION_SLUG: &str = "cambodia-political-prisoners-petition";
pub const CONTACT_SLUG: &str = "write-to-your-meps-on-cambodia";
pub const TARGET_LIST_NAME: &str = "Demo MEPs (fictional, example.org addresses)";

const CONSENT_TEXT: &str =
    "Keep me informed about this campaign by email. I can unsubscribe at any time.";

/// (external id, name, country, political group); every address is at example.org.
const DEMO_TARGETS: &[(&str, &str, &str, &str)] = &[
    ("demo-1", "Demo MEP Alice Martin", "FR", "Renew"),
    ("demo-2", "Demo MEP Bruno Laurent", "FR", "EPP"),
    ("demo-3", "Demo MEP Chloé Bernard", "FR", "Greens/EFA"),
    ("demo-4", "Demo MEP Clara Schmidt", "DE", "S&D"),
    ("demo-5", "Demo MEP David Weber", "DE", "EPP"),
    ("demo-6", "Demo MEP Eva Janssens", "BE", "Renew"),
    ("demo-7", "Demo MEP Filip Peeters", "BE", "S&D"),
];

/// Seeds the demo when the database holds no campaign, article or action yet.
/// Returns whether anything was added. Runs in one transaction: all or nothing.
pub fn seed_if_empty(conn: &mut DbConnection) -> Result<bool, DbError> {
    conn.transaction(|conn| {
        // Nodes starting together on an empty database: one seeds, the others then find
        // it seeded (the same lock as migrations, held to the end of this transaction).
        if let DbConnection::Postgresql(pg) = conn {
            use diesel::connection::SimpleConnection as _;
            pg.batch_execute(&format!(
                "SELECT pg_advisory_xact_lock({})",
                super::STARTUP_LOCK
            ))?;
        }
        if !is_empty(conn)? {
            return Ok(false);
        }
        seed(conn)?;
        Ok(true)
    })
}

fn is_empty(conn: &mut DbConnection) -> Result<bool, DbError> {
    use super::schema::{actions, articles};
    let articles: i64 = articles::table.count().get_result(conn)?;
    let actions: i64 = actions::table.count().get_result(conn)?;
    Ok(campaigns::count(conn)? == 0 && articles == 0 && actions == 0)
}

/// A made-up organisation, marked as demo, so pages show what a real one would.
fn demo_organisation() -> Organisation {
    let name = "Cambodia Solidarity Europe (demo)";
    Organisation {
        name: name.into(),
        description: "Demo content: a made-up organisation and campaign.".into(),
        sender_name: name.into(),
        controller_name: format!("{name}, a made-up association"),
        controller_address: "1 Example Street, 75001 Paris, France (demo address)".into(),
        contact_email: "contact@example.org".into(),
        legal_url: "https://example.org/legal-notice".into(),
        ..Organisation::default()
    }
}

fn seed(conn: &mut DbConnection) -> Result<(), DbError> {
    super::organisation::put(conn, &demo_organisation(), None)?;
    let now = now();
    let campaign_id = new_id();
    campaigns::insert(
        conn,
        &NewCampaign {
            id: campaign_id.clone(),
            slug: CAMPAIGN_SLUG,
            title: "Free Cambodia's political prisoners",
            summary: "Hundreds of Cambodians are jailed for speaking out. We ask Europe's \
                      elected representatives to act until every one of them is free.",
            status: "live",
            created_at: now,
            updated_at: now,
        },
    )?;

    let list_id = new_id();
    actions::insert_target_list(
        conn,
        &NewTargetList {
            id: list_id.clone(),
            name: TARGET_LIST_NAME,
            description: "A demonstration list: these people do not exist and their \
                          addresses at example.org deliver nowhere.",
            created_at: now,
            updated_at: now,
        },
    )?;
    let emails: Vec<String> = DEMO_TARGETS
        .iter()
        .map(|(id, _, _, _)| format!("{id}@example.org"))
        .collect();
    let targets: Vec<NewTarget> = DEMO_TARGETS
        .iter()
        .zip(&emails)
        .map(|(&(external_id, name, country, group), email)| NewTarget {
            id: new_id(),
            list_id: &list_id,
            external_id,
            name,
            role: "Member of the European Parliament (demo)",
            country_code: country,
            political_group: group,
            party: "",
            email,
            created_at: now,
            updated_at: now,
        })
        .collect();
    actions::insert_targets(conn, &targets)?;

    let petition_id = new_id();
    actions::insert(
        conn,
        &NewAction {
            id: petition_id.clone(),
            campaign_id: &campaign_id,
            kind: "petition",
            slug: PETITION_SLUG,
            title: "Act on the European Parliament's resolution on Cambodia",
            summary: "Ask MEPs to press for sanctions and for the release of every \
                      political prisoner in Cambodia.",
            status: "open",
            body_md: include_str!("demo/petition.md"),
            addressee: "Members of the European Parliament",
            goal: Some(10_000),
            deadline: Some(now + TimeDelta::days(180)),
            target_list_id: None,
            subject_template: "",
            body_template: "",
            max_targets: 5,
            consent_text: CONSENT_TEXT,
            consent_version: "demo-2026-11",
            created_at: now,
            updated_at: now,
        },
    )?;

    let contact_id = new_id();
    actions::insert(
        conn,
        &NewAction {
            id: contact_id.clone(),
            campaign_id: &campaign_id,
            kind: "contact",
            slug: CONTACT_SLUG,
            title: "Write to your MEPs",
            summary: "Send your own letter to the Members of the European Parliament who \
                      represent you (demo: fictional MEPs at example.org).",
            status: "open",
            body_md: "",
            addressee: "Members of the European Parliament",
            goal: None,
            deadline: None,
            target_list_id: Some(&list_id),
            subject_template: "Please act on the Parliament's resolution on Cambodia",
            body_template: "Dear {target_name},\n\nOn 28 November the European Parliament \
                            adopted a resolution on Cambodia. I ask you to press for targeted \
                            sanctions against those responsible for political repression and \
                            to keep up pressure until every political prisoner is released.\n\n\
                            Yours sincerely,\n{supporter_name}\n{supporter_country}",
            max_targets: 3,
            consent_text: CONSENT_TEXT,
            consent_version: "demo-2026-11",
            created_at: now,
            updated_at: now,
        },
    )?;

    let article_id = new_id();
    articles::insert(
        conn,
        &NewArticle {
            id: article_id.clone(),
            campaign_id: &campaign_id,
            slug: ARTICLE_SLUG,
            title: "European Parliament sets out a roadmap on Cambodia's repression",
            standfirst: "A resolution adopted on 28 November calls for targeted sanctions and \
                         for pressure until all political prisoners are free.",
            body_md: include_str!("demo/article.md"),
            author: "Demo newsroom",
            status: "published",
            published_at: Some(now),
            created_at: now,
            updated_at: now,
        },
    )?;
    articles::attach_action(conn, &article_id, &petition_id, 1)?;
    articles::attach_action(conn, &article_id, &contact_id, 2)?;
    let seeded = translations::Seeded {
        campaign: &campaign_id,
        petition: &petition_id,
        contact: &contact_id,
        article: &article_id,
    };
    translations::seed(conn, &seeded)
}
