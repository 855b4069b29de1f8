//! Which translations exist: for every campaign, article and action, how many of its
//! written fields each language has, and whether the original changed since.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{actions, articles, campaigns, translations};
use super::{DbConnection, DbError};
use crate::i18n::Lang;

/// How far one language's translation of one item has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LanguageStatus {
    pub lang: Lang,
    /// Fields translated, of `of` fields the original fills.
    pub translated: usize,
    pub of: usize,
    /// The original was saved after the translation's latest field.
    pub original_changed: bool,
}

/// One thing staff wrote and its French and Khmer translations.
#[derive(Debug, Clone)]
pub struct ItemStatus {
    /// `campaign`, `article` or `action`.
    pub kind: &'static str,
    pub id: String,
    pub title: String,
    pub languages: Vec<LanguageStatus>,
}

/// What the original fills: its translatable fields that are not empty.
struct Original {
    kind: &'static str,
    id: String,
    title: String,
    updated_at: NaiveDateTime,
    fields: Vec<&'static str>,
}

impl Original {
    fn new(
        kind: &'static str,
        (id, title, updated_at): (String, String, NaiveDateTime),
        fields: &[(&'static str, &str)],
    ) -> Self {
        let fields = fields
            .iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(name, _)| *name)
            .collect();
        Original {
            kind,
            id,
            title,
            updated_at,
            fields,
        }
    }
}

type CampaignRow = (String, String, String, NaiveDateTime);
type ArticleRow = (String, String, String, String, NaiveDateTime);
type ActionRow = (String, String, String, String, String, String);
type ActionTemplates = (String, String, NaiveDateTime);

fn originals(conn: &mut DbConnection) -> Result<Vec<Original>, DbError> {
    let mut all = Vec::new();
    let rows: Vec<CampaignRow> = campaigns::table
        .order(campaigns::created_at.desc())
        .select((
            campaigns::id,
            campaigns::title,
            campaigns::summary,
            campaigns::updated_at,
        ))
        .load(conn)?;
    for (id, title, summary, at) in rows {
        let fields = [("title", title.as_str()), ("summary", &summary)];
        all.push(Original::new("campaign", (id, title.clone(), at), &fields));
    }
    let rows: Vec<ArticleRow> = articles::table
        .order(articles::created_at.desc())
        .select((
            articles::id,
            articles::title,
            articles::standfirst,
            articles::body_md,
            articles::updated_at,
        ))
        .load(conn)?;
    for (id, title, standfirst, body, at) in rows {
        let fields = [
            ("title", title.as_str()),
            ("standfirst", &standfirst),
            ("body_md", &body),
        ];
        all.push(Original::new("article", (id, title.clone(), at), &fields));
    }
    all.extend(action_originals(conn)?);
    Ok(all)
}

fn action_originals(conn: &mut DbConnection) -> Result<Vec<Original>, DbError> {
    let rows: Vec<(ActionRow, ActionTemplates)> = actions::table
        .order(actions::created_at.desc())
        .select((
            (
                actions::id,
                actions::kind,
                actions::title,
                actions::summary,
                actions::addressee,
                actions::body_md,
            ),
            (
                actions::subject_template,
                actions::body_template,
                actions::updated_at,
            ),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|((id, kind, title, summary, addressee, body), templates)| {
            let (subject, letter, at) = templates;
            let mut fields = vec![("title", title.as_str()), ("summary", &summary)];
            if kind == "petition" {
                fields.extend([("addressee", addressee.as_str()), ("body_md", &body)]);
            } else {
                fields.extend([
                    ("body_md", body.as_str()),
                    ("subject_template", &subject),
                    ("body_template", &letter),
                ]);
            }
            Original::new("action", (id, title.clone(), at), &fields)
        })
        .collect())
}

/// Every campaign, article and action (each newest first), with each translation's state.
pub fn all(conn: &mut DbConnection) -> Result<Vec<ItemStatus>, DbError> {
    let originals = originals(conn)?;
    let rows: Vec<(String, String, String, String, NaiveDateTime)> = translations::table
        .filter(translations::text.ne(""))
        .select((
            translations::subject_type,
            translations::subject_id,
            translations::language,
            translations::field,
            translations::updated_at,
        ))
        .load(conn)?;
    // (kind, id, language) → the fields translated and the latest change.
    let mut done: HashMap<(String, String, String), (Vec<String>, NaiveDateTime)> = HashMap::new();
    for (kind, id, lang, field, at) in rows {
        let entry = done.entry((kind, id, lang)).or_insert((Vec::new(), at));
        entry.0.push(field);
        entry.1 = entry.1.max(at);
    }
    Ok(originals
        .into_iter()
        .map(|original| {
            let languages = [Lang::Fr, Lang::Km]
                .into_iter()
                .map(|lang| {
                    let key = (
                        original.kind.to_string(),
                        original.id.clone(),
                        lang.code().to_string(),
                    );
                    let (fields, at) = done
                        .get(&key)
                        .map_or((&[][..], None), |(f, at)| (&f[..], Some(*at)));
                    LanguageStatus {
                        lang,
                        translated: original
                            .fields
                            .iter()
                            .filter(|f| fields.iter().any(|t| t == *f))
                            .count(),
                        of: original.fields.len(),
                        original_changed: at.is_some_and(|at| at < original.updated_at),
                    }
                })
                .collect();
            ItemStatus {
                kind: original.kind,
                id: original.id,
                title: original.title,
                languages,
            }
        })
        .collect())
}
