//! Error pages, through the same layout as every other page.

use maud::{html, Markup};

use super::layout;
use crate::i18n::{href, t, Msg};

pub fn page(title: Msg, body: &str) -> Markup {
    let content = html! {
        h1 { (t(title)) }
        p { (body) }
        p { a href=(href("/")) { (t(Msg::NavHome)) } }
    };
    layout::page(t(title), content)
}
