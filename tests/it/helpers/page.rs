//! Reading HTML pages for assertions: parse a body, then the attributes or texts of what
//! a CSS selector matches.

/// Parses an HTML page for CSS-selector assertions.
pub fn html(body: &str) -> scraper::Html {
    scraper::Html::parse_document(body)
}

/// The values of `attribute` on every element matching `selector`.
pub fn attrs(page: &scraper::Html, selector: &str, attribute: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).expect("valid selector");
    page.select(&selector)
        .filter_map(|e| e.value().attr(attribute).map(str::to_string))
        .collect()
}

/// The text of every element matching `selector`, whitespace collapsed.
pub fn texts(page: &scraper::Html, selector: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).expect("valid selector");
    page.select(&selector)
        .map(|e| {
            e.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The fields a browser sends from the form matching `selector`, as (name, value): inputs
/// (checkboxes only when ticked), textareas as typed, each select's chosen option.
pub fn form_as_sent(page: &scraper::Html, selector: &str) -> Vec<(String, String)> {
    let form = scraper::Selector::parse(selector).expect("valid selector");
    let fields = scraper::Selector::parse("input[name], textarea[name], select[name]").unwrap();
    let chosen = scraper::Selector::parse("option[selected]").unwrap();
    let form = page.select(&form).next().expect("the form");
    let mut pairs = Vec::new();
    for field in form.select(&fields) {
        let element = field.value();
        let name = element.attr("name").unwrap_or_default().to_string();
        let value = match element.name() {
            "textarea" => field.text().collect::<String>(),
            "select" => field
                .select(&chosen)
                .next()
                .and_then(|o| o.value().attr("value"))
                .unwrap_or_default()
                .to_string(),
            _ if element.attr("type") == Some("checkbox") && element.attr("checked").is_none() => {
                continue
            }
            _ => element.attr("value").unwrap_or_default().to_string(),
        };
        pairs.push((name, value));
    }
    pairs
}

/// The path a redirect leads to, without its query (the "check your email" redirect
/// carries a sealed, ever-different `sent`).
pub fn location_path(response: &reqwest::Response) -> String {
    let location = response.headers()["location"].to_str().unwrap();
    location.split('?').next().unwrap_or_default().to_string()
}
