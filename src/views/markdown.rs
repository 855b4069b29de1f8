//! Markdown written by staff, rendered to HTML and sanitised: scripts, event attributes,
//! `style` attributes, `javascript:` links and raw iframes never reach a page.

use maud::{Markup, PreEscaped};
use pulldown_cmark::{html, Options, Parser};

pub fn render(markdown: &str) -> Markup {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, Parser::new_ext(markdown, options));
    PreEscaped(ammonia::clean(&unsafe_html))
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_cannot_inject_script() {
        let hostile = "Hi <script>alert(1)</script> <img src=x onerror=alert(2)> \
                       [x](javascript:alert(3)) <iframe src=//evil></iframe> \
                       <p style=\"color:red\">styled</p>";
        let html = render(hostile).into_string();
        for bad in ["<script", "onerror", "javascript:", "<iframe", "style="] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
        assert!(html.contains("styled"));
    }

    #[test]
    fn markdown_keeps_headings_lists_and_emphasis() {
        let html = render("## Title\n\n- one\n- **two**").into_string();
        assert!(html.contains("<h2>Title</h2>") && html.contains("<strong>two</strong>"));
    }
}
