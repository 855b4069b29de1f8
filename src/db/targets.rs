//! Target lists: imported all or nothing; targets are updated by their external id and
//! retired (kept, with their delivery history) when a new import no longer has them.

use diesel::prelude::*;

use super::schema::{target_lists, targets};
use super::{new_id, now, DbConnection, DbError};
use crate::domain::target_csv::TargetRow;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub retired: usize,
}

/// A target as stored, to compare with an imported row.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = targets)]
struct Stored {
    id: String,
    external_id: String,
    name: String,
    role: String,
    country_code: String,
    political_group: String,
    party: String,
    email: String,
    constituency: String,
    profile_url: String,
    active: bool,
}

fn differs(stored: &Stored, row: &TargetRow) -> bool {
    let s = stored;
    (
        &s.name,
        &s.role,
        &s.country_code,
        &s.political_group,
        &s.party,
        &s.email,
        &s.constituency,
        &s.profile_url,
    ) != (
        &row.name,
        &row.role,
        &row.country_code,
        &row.political_group,
        &row.party,
        &row.email,
        &row.constituency,
        &row.profile_url,
    ) || !s.active
}

/// `import` by staff member `staff_id`, with its audit event.
pub fn import_by(
    conn: &mut DbConnection,
    staff_id: &str,
    list: &str,
    rows: &[TargetRow],
) -> Result<ImportReport, DbError> {
    let report = import(conn, list, rows)?;
    let detail = format!(
        "{list}: {} added, {} changed, {} retired",
        report.added, report.changed, report.retired
    );
    let subject = ("target_list", list);
    super::audit::staff_change(conn, staff_id, "target_list.imported", subject, &detail)?;
    Ok(report)
}

/// Imports `rows` into the list called `name` (created if new), in one transaction.
pub fn import(
    conn: &mut DbConnection,
    name: &str,
    rows: &[TargetRow],
) -> Result<ImportReport, DbError> {
    super::write_transaction(conn, |conn| {
        let at = now();
        let existing: Option<String> = target_lists::table
            .filter(target_lists::name.eq(name))
            .select(target_lists::id)
            .first(conn)
            .optional()?;
        let list_id = match existing {
            Some(id) => id,
            None => {
                let id = new_id();
                diesel::insert_into(target_lists::table)
                    .values((
                        target_lists::id.eq(&id),
                        target_lists::name.eq(name),
                        target_lists::created_at.eq(at),
                        target_lists::updated_at.eq(at),
                    ))
                    .execute(conn)?;
                id
            }
        };
        let stored: Vec<Stored> = targets::table
            .filter(targets::list_id.eq(&list_id))
            .select(Stored::as_select())
            .load(conn)?;
        let by_external: std::collections::HashMap<&str, &Stored> =
            stored.iter().map(|s| (s.external_id.as_str(), s)).collect();
        let mut report = ImportReport::default();
        for row in rows {
            let values = (
                targets::name.eq(&row.name),
                targets::role.eq(&row.role),
                targets::country_code.eq(&row.country_code),
                targets::political_group.eq(&row.political_group),
                targets::party.eq(&row.party),
                targets::email.eq(&row.email),
                targets::constituency.eq(&row.constituency),
                targets::profile_url.eq(&row.profile_url),
                targets::active.eq(true),
                targets::updated_at.eq(at),
            );
            match by_external.get(row.external_id.as_str()) {
                Some(s) if !differs(s, row) => report.unchanged += 1,
                Some(s) => {
                    diesel::update(targets::table.find(&s.id))
                        .set(values)
                        .execute(conn)?;
                    report.changed += 1;
                }
                None => {
                    diesel::insert_into(targets::table)
                        .values((
                            targets::id.eq(new_id()),
                            targets::list_id.eq(&list_id),
                            targets::external_id.eq(&row.external_id),
                            targets::created_at.eq(at),
                            values,
                        ))
                        .execute(conn)?;
                    report.added += 1;
                }
            }
        }
        let present: std::collections::HashSet<&str> =
            rows.iter().map(|r| r.external_id.as_str()).collect();
        for s in stored
            .iter()
            .filter(|s| s.active && !present.contains(s.external_id.as_str()))
        {
            diesel::update(targets::table.find(&s.id))
                .set((targets::active.eq(false), targets::updated_at.eq(at)))
                .execute(conn)?;
            report.retired += 1;
        }
        if report.added + report.changed + report.retired > 0 {
            diesel::update(target_lists::table.find(&list_id))
                .set(target_lists::updated_at.eq(at))
                .execute(conn)?;
        }
        Ok(report)
    })
}

/// Each list with its active targets counted: (id, name, description, active targets).
pub fn lists(conn: &mut DbConnection) -> Result<Vec<(String, String, String, i64)>, DbError> {
    let lists: Vec<(String, String, String)> = target_lists::table
        .order(target_lists::name.asc())
        .select((
            target_lists::id,
            target_lists::name,
            target_lists::description,
        ))
        .load(conn)?;
    let counts: Vec<(String, i64)> = targets::table
        .filter(targets::active.eq(true))
        .group_by(targets::list_id)
        .select((targets::list_id, diesel::dsl::count_star()))
        .load(conn)?;
    Ok(lists
        .into_iter()
        .map(|(id, name, description)| {
            let n = counts.iter().find(|(l, _)| *l == id).map_or(0, |(_, n)| *n);
            (id, name, description, n)
        })
        .collect())
}

/// Active targets per country code of a list.
pub fn per_country(
    conn: &mut DbConnection,
    list_name: &str,
) -> Result<Vec<(String, i64)>, DbError> {
    Ok(targets::table
        .inner_join(target_lists::table)
        .filter(target_lists::name.eq(list_name))
        .filter(targets::active.eq(true))
        .group_by(targets::country_code)
        .select((targets::country_code, diesel::dsl::count_star()))
        .order(targets::country_code.asc())
        .load(conn)?)
}
