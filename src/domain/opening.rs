//! When an action takes signatures or letters, and when that ended: one rule for the
//! pages, the forms and retention.

use chrono::NaiveDateTime;

/// Open for signing or writing at `now`: not closed by staff, its deadline not passed.
pub fn open_at(status: &str, deadline: Option<NaiveDateTime>, now: NaiveDateTime) -> bool {
    status == "open" && deadline.is_none_or(|d| now < d)
}

/// When signing ended, as of `now`: staff closing it, or its deadline passing (`None`
/// while open).
pub fn closed_on(
    status: &str,
    deadline: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Option<NaiveDateTime> {
    if open_at(status, deadline, now) {
        return None;
    }
    closed_at.or(deadline.filter(|d| *d <= now))
}
