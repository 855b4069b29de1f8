//! Staff pages for articles: the list and the form with a Markdown preview and the
//! actions attached to the article, in order.

use maud::{html, Markup};

use super::fields::{self, Errors};
use super::layout;
use crate::db::articles::ArticleRecord;
use crate::domain::staff::CurrentStaff;
use crate::views::markdown;

#[derive(Debug, Clone, Default)]
pub struct ArticleValues {
    pub campaign_id: String,
    pub title: String,
    pub slug: String,
    pub standfirst: String,
    pub body_md: String,
    pub author: String,
    pub status: String,
    /// As typed in the `datetime-local` field (UTC), e.g. 2026-11-28T09:00.
    pub published_at: String,
    /// (action id, action title, kind, position as typed; empty = not attached)
    pub actions: Vec<(String, String, String, String)>,
}

pub fn list(staff: &CurrentStaff, articles: &[ArticleRecord]) -> Markup {
    layout::page(
        "Articles",
        staff,
        html! {
            h1 { "Articles" }
            p { a.button href="/admin/articles/new" { "New article" } }
            table.data {
                caption.visually-hidden { "Articles" }
                thead { tr { th scope="col" { "Title" } th scope="col" { "Status" } th scope="col" { "Publish date (UTC)" } th scope="col" { "Public page" } } }
                tbody {
                    @for a in articles {
                        tr {
                            th scope="row" { a href={ "/admin/articles/" (a.id) } { (a.title) } }
                            td { (a.status) }
                            td { (a.published_at.map(|d| d.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()) }
                            td { a href={ "/articles/" (a.slug) } { "/articles/" (a.slug) } }
                        }
                    }
                }
            }
        },
    )
}

pub struct ArticleForm<'a> {
    pub id: Option<&'a str>,
    pub values: &'a ArticleValues,
    pub errors: &'a Errors,
    pub campaigns: &'a [(String, String)],
    pub preview: bool,
    /// An existing article's picture form (`views/admin/pictures.rs`).
    pub picture: Option<Markup>,
}

pub fn form(staff: &CurrentStaff, form: &ArticleForm) -> Markup {
    let (v, errors) = (form.values, form.errors);
    let heading = if form.id.is_some() {
        "Edit article"
    } else {
        "New article"
    };
    let title = if errors.is_empty() {
        heading.to_string()
    } else {
        format!("Error: {heading}")
    };
    let action = form.id.map_or("/admin/articles".to_string(), |id| {
        format!("/admin/articles/{id}")
    });
    let statuses = fields::options(&[
        ("draft", "Draft (not shown)"),
        ("published", "Published (shown from its publish date)"),
    ]);
    layout::page(
        &title,
        staff,
        html! {
            p { a href="/admin/articles" { "Back to articles" } }
            (fields::error_summary(errors))
            h1 { (heading) }
            @if let Some(id) = form.id { (fields::translation_links("article", id)) }
            @if form.preview {
                section.preview aria-labelledby="preview-heading" {
                    h2 #preview-heading { "Preview (not saved)" }
                    article.article {
                        h1 { (v.title) }
                        @if !v.standfirst.is_empty() { p.standfirst { (v.standfirst) } }
                        div.prose { (markdown::render(&v.body_md)) }
                    }
                }
            }
            form method="post" action=(action) {
                (fields::csrf(&staff.csrf))
                (fields::select("campaign_id", "Campaign", form.campaigns, &v.campaign_id, errors))
                (fields::text("title", "Title", &v.title, None, errors))
                (fields::text("slug", "Slug", &v.slug, Some("Leave empty to make one from the title."), errors))
                (fields::textarea("standfirst", "Standfirst", &v.standfirst, 2, Some("One or two sentences under the title."), errors))
                (fields::textarea("body_md", "Body", &v.body_md, 18, Some("Markdown: ## headings, **bold**, - lists, [links](https://…). Scripts and styles are removed."), errors))
                (fields::text("author", "Author", &v.author, None, errors))
                (fields::select("status", "Status", &statuses, &v.status, errors))
                (fields::kind("published_at", "Publish date and time (UTC)", &v.published_at, "datetime-local", Some("Empty: now, when published. A future date shows the article from then."), errors))
                fieldset {
                    legend { "Calls to action, in order" }
                    p.hint { "Give a position (1, 2, …) to each action to show under the article; leave empty to leave it out." }
                    @if let Some(message) = fields::error_of(errors, "actions") { p.error-message #actions { "Error: " (message) } }
                    @for (id, title, kind, position) in &v.actions {
                        div.field.inline {
                            label for={ "position-" (id) } { (title) " (" (kind) ")" }
                            input #{ "position-" (id) } type="number" min="1" max="99" name={ "position-" (id) } value=(position);
                        }
                    }
                }
                div.buttons {
                    button.button.secondary type="submit" name="intent" value="preview" { "Preview" }
                    " "
                    button.button type="submit" name="intent" value="save" { "Save article" }
                }
            }
            @if let Some(picture) = &form.picture { (picture) }
        },
    )
}
