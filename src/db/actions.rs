//! Actions (petitions and contact actions) and their target lists.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{actions, article_actions, target_lists, targets};
use super::{DbConnection, DbError};

/// What a call-to-action card needs: no personal data, only cached counters.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = actions)]
pub struct ActionCard {
    pub id: String,
    pub kind: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: String,
    pub addressee: String,
    pub goal: Option<i64>,
    pub deadline: Option<NaiveDateTime>,
    pub consent_text: String,
    pub confirmed_count: i64,
    pub letters_count: i64,
}

impl ActionCard {
    /// Accepting signatures or letters now.
    pub fn is_open(&self, now: NaiveDateTime) -> bool {
        crate::domain::opening::open_at(&self.status, self.deadline, now)
    }
}

#[derive(Debug, Insertable)]
#[diesel(table_name = actions)]
pub struct NewAction<'a> {
    pub id: String,
    pub campaign_id: &'a str,
    pub kind: &'a str,
    pub slug: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub status: &'a str,
    pub body_md: &'a str,
    pub addressee: &'a str,
    pub goal: Option<i64>,
    pub deadline: Option<NaiveDateTime>,
    pub target_list_id: Option<&'a str>,
    pub subject_template: &'a str,
    pub body_template: &'a str,
    pub max_targets: i32,
    pub consent_text: &'a str,
    pub consent_version: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = target_lists)]
pub struct NewTargetList<'a> {
    pub id: String,
    pub name: &'a str,
    pub description: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = targets)]
pub struct NewTarget<'a> {
    pub id: String,
    pub list_id: &'a str,
    pub external_id: &'a str,
    pub name: &'a str,
    pub role: &'a str,
    pub country_code: &'a str,
    pub political_group: &'a str,
    pub party: &'a str,
    pub email: &'a str,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// (id, title, kind) of every action, for staff pickers.
pub fn choices(conn: &mut DbConnection) -> Result<Vec<(String, String, String)>, DbError> {
    Ok(actions::table
        .order(actions::created_at.desc())
        .select((actions::id, actions::title, actions::kind))
        .load(conn)?)
}

/// The public (open or closed, never draft) actions attached to an article, in order.
/// The cards under an article, each in `lang` where staff translated it (and whether).
pub fn cards_for_article(
    conn: &mut DbConnection,
    article_id: &str,
    lang: crate::i18n::Lang,
) -> Result<Vec<(ActionCard, bool)>, DbError> {
    let cards: Vec<ActionCard> = article_actions::table
        .inner_join(actions::table)
        .filter(article_actions::article_id.eq(article_id))
        .filter(actions::status.ne("draft"))
        .filter(actions::campaign_id.eq_any(super::campaigns::shown_ids()))
        .order(article_actions::position.asc())
        .select(ActionCard::as_select())
        .load(conn)?;
    super::translations::localise(conn, cards, lang)
}

pub fn insert(conn: &mut DbConnection, action: &NewAction) -> Result<(), DbError> {
    diesel::insert_into(actions::table)
        .values(action)
        .execute(conn)?;
    Ok(())
}

pub fn insert_target_list(conn: &mut DbConnection, list: &NewTargetList) -> Result<(), DbError> {
    diesel::insert_into(target_lists::table)
        .values(list)
        .execute(conn)?;
    Ok(())
}

/// Row by row: the shared connection type has no portable multi-row insert, and target
/// lists are small (hundreds of rows, one transaction).
pub fn insert_targets(conn: &mut DbConnection, rows: &[NewTarget]) -> Result<(), DbError> {
    for row in rows {
        diesel::insert_into(targets::table)
            .values(row)
            .execute(conn)?;
    }
    Ok(())
}

/// An action as staff edit it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = actions)]
pub struct ActionRecord {
    pub id: String,
    pub kind: String,
    #[diesel(embed)]
    pub changes: ActionChanges,
    /// A petition's current text version (`db/petition_versions.rs`) and when it began.
    pub text_version: i32,
    pub text_changed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// The fields staff set; the same for creating and editing (the kind is set once).
#[derive(Debug, Clone, Default, Queryable, Selectable, AsChangeset, Insertable)]
#[diesel(table_name = actions, treat_none_as_null = true)]
pub struct ActionChanges {
    pub campaign_id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: String,
    pub body_md: String,
    pub addressee: String,
    pub goal: Option<i64>,
    pub deadline: Option<NaiveDateTime>,
    pub confirm_window_days: i32,
    pub target_list_id: Option<String>,
    pub subject_template: String,
    pub body_template: String,
    pub max_targets: i32,
    pub delivery_mode: String,
    pub max_per_hour: i32,
    pub consent_text: String,
    pub consent_version: String,
    /// A petition's page lists its latest signers (those who chose to be named).
    pub public_signers: bool,
    /// What came of it, shown once it is closed (Markdown).
    pub outcome_md: String,
    /// A contact action lists only the EU member states in its country choice.
    pub member_states_only: bool,
}

pub fn find(conn: &mut DbConnection, id: &str) -> Result<Option<ActionRecord>, DbError> {
    Ok(actions::table
        .find(id)
        .select(ActionRecord::as_select())
        .first(conn)
        .optional()?)
}

/// Every action for staff, newest first.
pub fn all(conn: &mut DbConnection) -> Result<Vec<ActionRecord>, DbError> {
    Ok(actions::table
        .order(actions::created_at.desc())
        .select(ActionRecord::as_select())
        .load(conn)?)
}

/// Creates an action of `kind` (`id` None) or updates one; answers its id, or `None`
/// when updating an unknown one.
pub fn save(
    conn: &mut DbConnection,
    id: Option<&str>,
    kind: &str,
    changes: &ActionChanges,
) -> Result<Option<String>, DbError> {
    let now = super::now();
    match id {
        Some(id) => {
            let n = diesel::update(actions::table.find(id))
                .set((changes, actions::updated_at.eq(now)))
                .execute(conn)?;
            // Closing is dated once; reopening clears the date.
            let closed_at = actions::closed_at;
            diesel::update(actions::table.find(id))
                .filter(actions::status.ne("closed"))
                .set(closed_at.eq(None::<NaiveDateTime>))
                .execute(conn)?;
            diesel::update(actions::table.find(id))
                .filter(actions::status.eq("closed"))
                .filter(closed_at.is_null())
                .set(closed_at.eq(now))
                .execute(conn)?;
            Ok((n == 1).then(|| id.to_string()))
        }
        None => {
            let id = super::new_id();
            diesel::insert_into(actions::table)
                .values((
                    actions::id.eq(&id),
                    actions::kind.eq(kind),
                    changes,
                    actions::closed_at.eq((changes.status == "closed").then_some(now)),
                    actions::created_at.eq(now),
                    actions::updated_at.eq(now),
                ))
                .execute(conn)?;
            Ok(Some(id))
        }
    }
}

/// (id, name) of every target list, for staff pickers.
pub fn target_list_choices(conn: &mut DbConnection) -> Result<Vec<(String, String)>, DbError> {
    Ok(target_lists::table
        .order(target_lists::name.asc())
        .select((target_lists::id, target_lists::name))
        .load(conn)?)
}

/// A campaign's open petitions as (slug, title): somewhere to go for a supporter whom a
/// letter-writing action cannot serve.
pub fn open_petitions_of(
    conn: &mut DbConnection,
    campaign_id: &str,
    now: NaiveDateTime,
) -> Result<Vec<(String, String)>, DbError> {
    Ok(actions::table
        .filter(actions::campaign_id.eq(campaign_id))
        .filter(actions::kind.eq("petition"))
        .filter(actions::status.eq("open"))
        .filter(actions::deadline.is_null().or(actions::deadline.gt(now)))
        .order(actions::created_at.asc())
        .select((actions::slug, actions::title))
        .load(conn)?)
}

/// A contact action as its public pages read it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = actions)]
pub struct ContactAction {
    pub id: String,
    pub campaign_id: String,
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub status: String,
    pub body_md: String,
    pub deadline: Option<NaiveDateTime>,
    pub target_list_id: Option<String>,
    pub subject_template: String,
    pub body_template: String,
    pub max_targets: i32,
    pub delivery_mode: String,
    pub consent_text: String,
    pub consent_version: String,
    pub letters_count: i64,
    pub confirm_window_days: i32,
    /// Only the EU member states in the country choice.
    pub member_states_only: bool,
}

impl ContactAction {
    pub fn is_open(&self, now: NaiveDateTime) -> bool {
        crate::domain::opening::open_at(&self.status, self.deadline, now)
    }

    pub fn is_mailto(&self) -> bool {
        self.delivery_mode == "mailto"
    }
}

/// A public (open or closed) contact action by slug.
pub fn find_contact(conn: &mut DbConnection, slug: &str) -> Result<Option<ContactAction>, DbError> {
    Ok(actions::table
        .filter(actions::slug.eq(slug))
        .filter(actions::kind.eq("contact"))
        .filter(actions::status.ne("draft"))
        .filter(actions::campaign_id.eq_any(super::campaigns::shown_ids()))
        .select(ContactAction::as_select())
        .first(conn)
        .optional()?)
}

/// Any contact action by slug, drafts included (for staff).
pub fn find_contact_any(
    conn: &mut DbConnection,
    slug: &str,
) -> Result<Option<ContactAction>, DbError> {
    Ok(actions::table
        .filter(actions::slug.eq(slug))
        .filter(actions::kind.eq("contact"))
        .select(ContactAction::as_select())
        .first(conn)
        .optional()?)
}

/// What saving an action came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionSaved {
    Done(String),
    /// Updating an action that does not exist.
    Unknown,
    /// Another action has the slug.
    SlugTaken,
    /// The petition's text would change after `signed` people signed `version` of it:
    /// nothing saved until staff confirm (`new_version`).
    AskNewVersion {
        signed: i64,
        version: i32,
    },
}

/// `save` by staff member `staff_id`, with its audit event (`action.opened` when it
/// opens). A petition whose text changes after someone signed it gets a new text
/// version, only when `new_version` says staff confirmed it.
pub fn save_by(
    conn: &mut DbConnection,
    staff_id: &str,
    id: Option<&str>,
    kind: &str,
    changes: &ActionChanges,
    new_version: bool,
) -> Result<ActionSaved, DbError> {
    use super::petition_versions as versions;
    super::write_transaction(conn, |conn| {
        let before = id.map(|id| find(conn, id)).transpose()?.flatten();
        let versioned = match &before {
            Some(b) if b.kind == "petition" && versions::text_differs(&b.changes, changes) => {
                match versions::signed(conn, &b.id)? {
                    0 => false,
                    signed if !new_version => {
                        let version = b.text_version;
                        return Ok(ActionSaved::AskNewVersion { signed, version });
                    }
                    _ => true,
                }
            }
            _ => false,
        };
        // A savepoint: a taken slug is an answer, and the transaction goes on after it.
        let saved = super::unless_taken(conn.transaction(|c| save(c, id, kind, changes)))?;
        let id = match saved {
            None => return Ok(ActionSaved::SlugTaken),
            Some(None) => return Ok(ActionSaved::Unknown),
            Some(Some(id)) => id,
        };
        let mut detail = format!("{} {} ({})", kind, changes.title, changes.status);
        if let (true, Some(b)) = (versioned, &before) {
            let version = versions::start_new(conn, b, changes, staff_id, super::now())?;
            detail.push_str(&format!("; text version {version}"));
        }
        let status_before = before.map(|a| a.changes.status);
        let record = super::audit::Saved {
            subject: ("action", &id),
            before: status_before.as_deref(),
            status: &changes.status,
            public: ("open", "action.opened"),
            title: &changes.title,
            detail: &detail,
        };
        super::audit::staff_saved(conn, staff_id, &record)?;
        Ok(ActionSaved::Done(id))
    })
}
