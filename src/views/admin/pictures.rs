//! An article's picture on its edit page: the picture as served, and a form of its own
//! (a file and its alt text) beside the article's form, so that the article form stays
//! a plain form and a picture never travels with a preview.

use maud::{html, Markup};

use super::fields::{self, Errors};
use crate::db::article_pictures::PictureInfo;
use crate::domain::staff::CurrentStaff;

/// What the picture form shows again after a refusal.
#[derive(Debug, Default)]
pub struct PictureForm<'a> {
    pub errors: Errors,
    /// The alt text as typed, when it was refused.
    pub alt: Option<&'a str>,
}

pub fn section(
    staff: &CurrentStaff,
    article_id: &str,
    shown: Option<&PictureInfo>,
    form: &PictureForm,
) -> Markup {
    let base = format!("/admin/articles/{article_id}/picture");
    let alt = form
        .alt
        .or(shown.map(|p| p.alt.as_str()))
        .unwrap_or_default();
    let e = &form.errors;
    let file_hint = match shown {
        Some(_) => "PNG, JPEG or WebP, up to 12 MB. Leave empty to keep the picture and change only its description.",
        None => "PNG, JPEG or WebP, up to 12 MB. Wider than 1,200 pixels, it is scaled down for phones; where and when a photo was taken is removed.",
    };
    html! {
        section #picture aria-labelledby="picture-heading" {
            h2 #picture-heading { "Picture" }
            (fields::error_summary(e))
            @if let Some(picture) = shown {
                figure.picture {
                    img src={ (base) "?v=" (picture.version()) } alt=(picture.alt) width=(picture.width) height=(picture.height);
                    figcaption { "As served: " (picture.width) " × " (picture.height) " pixels. Shown under the title and when the article is shared." }
                }
            } @else {
                p { "No picture yet. Shared links then show the organisation's logo." }
            }
            form method="post" action=(base) enctype="multipart/form-data" {
                (fields::csrf(&staff.csrf))
                div.field.field-error[fields::error_of(e, "picture").is_some()] {
                    label for="picture" { "Picture file" }
                    p.hint { (file_hint) }
                    @if let Some(message) = fields::error_of(e, "picture") { p.error-message #picture-error { "Error: " (message) } }
                    input #picture type="file" name="picture" accept="image/png,image/jpeg,image/webp";
                }
                (fields::textarea("picture_alt", "Description (alt text)", alt, 2, Some("Required. Say what the picture shows, for people who cannot see it."), e))
                button.button type="submit" { "Save picture" }
            }
            @if shown.is_some() {
                form method="post" action={ (base) "/remove" } {
                    (fields::csrf(&staff.csrf))
                    button.button.secondary type="submit" { "Remove the picture" }
                }
            }
        }
    }
}
