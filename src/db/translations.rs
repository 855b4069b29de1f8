//! Translations of what staff write (articles, campaigns, actions), field by field and
//! per language. Pages in French or Khmer use a translated field where there is one and
//! the original elsewhere; the original stays the one staff edit on the usual forms.

use std::collections::HashMap;

use diesel::prelude::*;

use super::schema::translations;
use super::{DbConnection, DbError};
use crate::i18n::Lang;

/// What can be translated, and which of its fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    Article,
    Campaign,
    Petition,
    Contact,
}

impl Subject {
    /// The stored `subject_type` (both kinds of action are `action`).
    pub const fn kind(self) -> &'static str {
        match self {
            Subject::Article => "article",
            Subject::Campaign => "campaign",
            Subject::Petition | Subject::Contact => "action",
        }
    }

    /// The fields a translation may give, in the order the form shows them.
    pub const fn fields(self) -> &'static [&'static str] {
        match self {
            Subject::Article => &["title", "standfirst", "body_md"],
            Subject::Campaign => &["title", "summary"],
            Subject::Petition => &["title", "summary", "addressee", "body_md"],
            Subject::Contact => &[
                "title",
                "summary",
                "body_md",
                "subject_template",
                "body_template",
            ],
        }
    }
}

/// The translated fields of one subject in `lang` (none for English, the original).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Translated(HashMap<String, String>);

impl Translated {
    /// The translation of `field`, if there is one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .get(field)
            .map(String::as_str)
            .filter(|t| !t.trim().is_empty())
    }

    /// Replaces `original` by the translation of `field`, when there is one.
    pub fn apply(&self, field: &str, original: &mut String) {
        if let Some(text) = self.get(field) {
            *original = text.to_string();
        }
    }

    /// Whether anything is translated (the page then speaks its own language).
    pub fn any(&self) -> bool {
        self.0.values().any(|t| !t.trim().is_empty())
    }
}

/// Something staff write that pages show in the reader's language.
pub trait Translatable {
    /// The stored `subject_type`.
    const KIND: &'static str;
    fn id(&self) -> &str;
    /// Replaces each field that `translated` gives.
    fn translate(&mut self, translated: &Translated);
}

/// `items` in `lang` where staff translated them, each with whether anything was: one
/// query for the whole list.
pub fn localise<T: Translatable>(
    conn: &mut DbConnection,
    items: Vec<T>,
    lang: Lang,
) -> Result<Vec<(T, bool)>, DbError> {
    if lang == Lang::En || items.is_empty() {
        return Ok(items.into_iter().map(|item| (item, false)).collect());
    }
    let ids: Vec<&str> = items.iter().map(T::id).collect();
    let rows: Vec<(String, String, String)> = translations::table
        .filter(translations::subject_type.eq(T::KIND))
        .filter(translations::subject_id.eq_any(&ids))
        .filter(translations::language.eq(lang.code()))
        .select((
            translations::subject_id,
            translations::field,
            translations::text,
        ))
        .load(conn)?;
    let mut by_id: HashMap<String, Translated> = HashMap::new();
    for (id, field, text) in rows {
        by_id.entry(id).or_default().0.insert(field, text);
    }
    Ok(items
        .into_iter()
        .map(|mut item| match by_id.get(item.id()) {
            Some(translated) => {
                item.translate(translated);
                (item, translated.any())
            }
            None => (item, false),
        })
        .collect())
}

/// One item in `lang` (see [`localise`]).
pub fn localise_one<T: Translatable>(
    conn: &mut DbConnection,
    item: T,
    lang: Lang,
) -> Result<(T, bool), DbError> {
    let mut shown = localise(conn, vec![item], lang)?;
    Ok(shown.remove(0))
}

pub fn of(
    conn: &mut DbConnection,
    kind: &str,
    id: &str,
    lang: Lang,
) -> Result<Translated, DbError> {
    if lang == Lang::En {
        return Ok(Translated::default());
    }
    let rows: Vec<(String, String)> = translations::table
        .filter(translations::subject_type.eq(kind))
        .filter(translations::subject_id.eq(id))
        .filter(translations::language.eq(lang.code()))
        .select((translations::field, translations::text))
        .load(conn)?;
    Ok(Translated(rows.into_iter().collect()))
}

/// Whether the translation of `id` in `lang` came with the demo (no staff member wrote it).
pub fn from_demo(
    conn: &mut DbConnection,
    kind: &str,
    id: &str,
    lang: Lang,
) -> Result<bool, DbError> {
    let demo: i64 = translations::table
        .filter(translations::subject_type.eq(kind))
        .filter(translations::subject_id.eq(id))
        .filter(translations::language.eq(lang.code()))
        .filter(translations::staff_user_id.is_null())
        .count()
        .get_result(conn)?;
    Ok(demo > 0)
}

/// The languages `id` has a translation in (for the staff pages' status line).
pub fn languages_of(conn: &mut DbConnection, kind: &str, id: &str) -> Result<Vec<String>, DbError> {
    Ok(translations::table
        .filter(translations::subject_type.eq(kind))
        .filter(translations::subject_id.eq(id))
        .filter(translations::text.ne(""))
        .select(translations::language)
        .distinct()
        .order(translations::language.asc())
        .load(conn)?)
}

/// Sets the translation of `id` in `lang` to `fields` (an empty text removes the field's
/// translation) by staff member `staff_id` (`None`: the demo), audited when by staff.
pub fn save_by(
    conn: &mut DbConnection,
    staff_id: Option<&str>,
    (kind, id): (&str, &str),
    lang: Lang,
    fields: &[(&str, &str)],
) -> Result<(), DbError> {
    super::write_transaction(conn, |conn| {
        let now = super::now();
        for (field, text) in fields {
            let row = translations::table
                .filter(translations::subject_type.eq(kind))
                .filter(translations::subject_id.eq(id))
                .filter(translations::language.eq(lang.code()))
                .filter(translations::field.eq(*field));
            diesel::delete(row).execute(conn)?;
            if text.trim().is_empty() {
                continue;
            }
            diesel::insert_into(translations::table)
                .values((
                    translations::subject_type.eq(kind),
                    translations::subject_id.eq(id),
                    translations::language.eq(lang.code()),
                    translations::field.eq(*field),
                    translations::text.eq(*text),
                    translations::updated_at.eq(now),
                    translations::staff_user_id.eq(staff_id),
                ))
                .execute(conn)?;
        }
        if let Some(staff_id) = staff_id {
            let detail = format!("{} translation", lang.code());
            super::audit::staff_change(conn, staff_id, "translation.changed", (kind, id), &detail)?;
        }
        Ok(())
    })
}

/// Implements [`Translatable`] for a row type whose listed fields are translated under
/// the same names.
macro_rules! translatable {
    ($type:ty, $kind:literal, [$($field:ident),+]) => {
        impl Translatable for $type {
            const KIND: &'static str = $kind;
            fn id(&self) -> &str {
                &self.id
            }
            fn translate(&mut self, translated: &Translated) {
                $(translated.apply(stringify!($field), &mut self.$field);)+
            }
        }
    };
}

translatable!(
    super::articles::Article,
    "article",
    [title, standfirst, body_md]
);
translatable!(super::campaigns::Campaign, "campaign", [title, summary]);
translatable!(
    super::actions::ActionCard,
    "action",
    [title, summary, addressee]
);
translatable!(
    super::petitions::Petition,
    "action",
    [title, summary, addressee, body_md]
);
translatable!(
    super::actions::ContactAction,
    "action",
    [title, summary, body_md, subject_template, body_template]
);
