//! Bar charts drawn on the server as SVG (no chart JavaScript), each with a title, a
//! description and the same numbers as a table for screen readers and print.

use maud::{html, Markup};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 200.0;
const LABEL_BAND: f64 = 36.0;

/// A vertical bar chart of (label, value); `id` makes its title and description unique.
pub fn bars(id: &str, title: &str, description: &str, data: &[(String, i64)]) -> Markup {
    if data.is_empty() {
        // An empty frame would look like a broken chart.
        return html! { p.chart-empty { (title) ": nothing to show yet." } };
    }
    let max = data.iter().map(|(_, v)| *v).max().unwrap_or(0).max(1) as f64;
    // A slot is never wider than a twelfth of the chart, so one day is a bar, not a block.
    let slot = WIDTH / data.len().max(12) as f64;
    let plot = HEIGHT - LABEL_BAND;
    // Label as many bars as there is room for without labels running into each other
    // (a character of the 10-pixel label font is about 6 pixels wide).
    let longest = data
        .iter()
        .map(|(l, _)| l.chars().count())
        .max()
        .unwrap_or(1);
    let every = ((longest as f64 * 6.0 + 8.0) / slot).ceil().max(1.0) as usize;
    html! {
        figure.chart {
            svg viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-labelledby={ (id) "-title " (id) "-desc" } {
                title #{ (id) "-title" } { (title) }
                desc #{ (id) "-desc" } { (description) }
                line x1="0" y1=(plot) x2=(WIDTH) y2=(plot) class="axis" {}
                @for (i, (label, value)) in data.iter().enumerate() {
                    @let h = (*value as f64 / max) * (plot - 16.0);
                    @let x = i as f64 * slot;
                    rect x=(format!("{:.1}", x + slot * 0.15)) y=(format!("{:.1}", plot - h))
                        width=(format!("{:.1}", slot * 0.7)) height=(format!("{:.1}", h)) class="bar" {
                        title { (label) ": " (value) }
                    }
                    @if *value > 0 && data.len() <= 12 {
                        text x=(format!("{:.1}", x + slot / 2.0)) y=(format!("{:.1}", plot - h - 4.0)) text-anchor="middle" class="value" { (value) }
                    }
                    @if i % every == 0 {
                        text x=(format!("{:.1}", x + slot / 2.0)) y=(plot + 16.0) text-anchor="middle" class="label" { (label) }
                    }
                }
            }
            figcaption { (title) }
            table.chart-data {
                caption.visually-hidden { (title) }
                thead { tr { th scope="col" { "" } th scope="col" { "Count" } } }
                tbody { @for (label, value) in data { tr { th scope="row" { (label) } td { (value) } } } }
            }
        }
    }
}
