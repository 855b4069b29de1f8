//! The staff login form.

use maud::{html, Markup};

use super::layout;

pub struct LoginView<'a> {
    pub email: &'a str,
    pub token: &'a str,
    pub error: Option<&'a str>,
}

pub fn page(view: &LoginView) -> Markup {
    let title = if view.error.is_some() {
        "Error: Log in"
    } else {
        "Log in"
    };
    layout::bare(
        title,
        html! {
            h1 { "Log in" }
            @if let Some(error) = view.error {
                div.error-summary role="alert" tabindex="-1" {
                    h2 { "There is a problem" }
                    p { (error) }
                }
            }
            form method="post" action="/admin/login" {
                input type="hidden" name="token" value=(view.token);
                div.field {
                    label for="email" { "Email address" }
                    input #email type="email" name="email" value=(view.email) autocomplete="username" required;
                }
                div.field {
                    label for="password" { "Password" }
                    input #password type="password" name="password" autocomplete="current-password" required;
                }
                button.button type="submit" { "Log in" }
            }
        },
    )
}
