//! A petition's staff page (numbers, charts, exports) and its printable delivery report.

use maud::{html, Markup};

use super::{charts, layout};
use crate::db::exports::Signatory;
use crate::db::handovers::Handover;
use crate::db::petition_versions::Version;
use crate::db::petitions::Petition;
use crate::domain::country::{self, EU_MEMBER_STATES};
use crate::domain::staff::CurrentStaff;
use crate::domain::status::SignatureStatus;
use crate::export::counts::Counts;
use crate::views::markdown;

/// Counted signatures by the language of the page signed on, every language named.
fn by_language(counts: &Counts) -> Markup {
    html! {
        table.data.report-table.languages {
            caption { "Signatures by language of the page signed on" }
            thead { tr { th scope="col" { "Language" } th scope="col" { "Signatures" } } }
            tbody {
                @for lang in crate::i18n::Lang::ALL {
                    tr {
                        th scope="row" lang=(lang.code()) { (lang.own_name()) }
                        td { (counts.by_language.get(lang.code()).copied().unwrap_or(0)) }
                    }
                }
            }
        }
    }
}

fn day_bars(counts: &Counts) -> Vec<(String, i64)> {
    counts.by_day.iter().map(|(d, n)| (d.clone(), *n)).collect()
}

fn country_bars(counts: &Counts) -> Vec<(String, i64)> {
    let mut rows: Vec<(String, i64)> = counts
        .by_country
        .iter()
        .map(|(c, n)| (country::name_of(c).to_string(), *n))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows.truncate(10);
    rows
}

/// `partners`: the keys of every partner, for the embed's tags under `base_url`.
pub fn page(
    staff: &CurrentStaff,
    petition: &Petition,
    counts: &Counts,
    (partners, base_url): (&[String], &str),
) -> Markup {
    let base = format!("/admin/petitions/{}", petition.slug);
    let held: i64 = counts.held.values().sum();
    let statuses = [
        (SignatureStatus::Confirmed.as_str(), "Confirmed"),
        (SignatureStatus::Pending.as_str(), "Pending"),
        (SignatureStatus::Held.as_str(), "Held"),
        (SignatureStatus::Invalidated.as_str(), "Invalidated"),
        (
            SignatureStatus::Withdrawn.as_str(),
            "Withdrawn by their signers",
        ),
        ("all", "Every status but withdrawn"),
    ];
    layout::page(
        &petition.title,
        staff,
        html! {
            p { a href="/admin/actions" { "Back to actions" } }
            h1 { (petition.title) }
            div.table-scroll role="region" aria-label="Signatures" tabindex="0" {
                table.data {
                    caption { "Signatures" }
                    thead { tr { th scope="col" { "Counted" } th scope="col" { "Pending" } th scope="col" { "Held" } th scope="col" { "Invalidated" } th scope="col" { "Withdrawn" } } }
                    tbody { tr { td { (counts.counted) } td { (counts.pending) } td { (held) } td { (counts.invalidated) } td { (counts.withdrawn) } } }
                }
            }
            @if !counts.held.is_empty() {
                p { "Held by rule: "
                    @for (reason, n) in &counts.held {
                        a href={ (base) "/signatures?status=held&reason=" (reason) } { (reason.replace('_', " ")) ": " (n) } "; "
                    }
                }
            }
            (by_language(counts))
            (by_partner(counts))
            p { a.button href={ (base) "/signatures" } { "Search and moderate signatures" } }
            h2 { "Confirmed signatures by day" }
            (charts::bars("by-day", "Confirmed signatures by day (UTC)", "One bar per day with signatures, oldest first.", &day_bars(counts)))
            h2 { "Top countries" }
            (charts::bars("by-country", "Confirmed signatures by country, top ten", "One bar per country, most first.", &country_bars(counts)))
            h2 { "Export signatures" }
            form.export method="get" action={ (base) "/signatures.csv" } {
                div.field { label for="status" { "Status" } select #status name="status" { @for (v, l) in statuses { option value=(v) { (l) } } } }
                div.field { label for="country" { "Country code" } p.hint { "Optional, like FR." } input #country type="text" name="country" maxlength="2"; }
                div.field { label for="from" { "Signed from (UTC, inclusive)" } input #from type="date" name="from"; }
                div.field { label for="to" { "Signed until (UTC, inclusive)" } input #to type="date" name="to"; }
                div.field.checkbox { input #consent type="checkbox" name="consent" value="1"; label for="consent" { "Only supporters who agreed to updates" } }
                div.field.checkbox { input #bom type="checkbox" name="bom" value="0"; label for="bom" { "Without the byte-order mark Excel needs (for other tools, and for checking the report's digest)" } }
                button.button type="submit" { "Download CSV" }
            }
            ul {
                li { a href={ (base) "/counts.csv?by=country" } { "Counts by country (CSV)" } }
                li { a href={ (base) "/counts.csv?by=day" } { "Counts by day (CSV)" } }
                li { a href={ (base) "/counts.json" } { "Counts (JSON)" } }
                li { a href={ (base) "/report" } { "Printable delivery report" } }
                li { a href={ (base) "/report?signatories=1" } { "Printable delivery report with a signatory list (first name, initial, country; only signers who chose to be named)" } }
            }
            (embed_snippets(petition, partners, base_url))
        },
    )
}

pub struct ReportView<'a> {
    pub petition: &'a Petition,
    pub counts: &'a Counts,
    pub period: (String, String),
    pub digest: &'a str,
    /// First name, initial and country of each signer, when the list was asked for.
    pub signatories: Option<&'a [Signatory]>,
    pub signatory_limit: usize,
    /// Every version of the text, when it changed after people signed (else empty).
    pub versions: &'a [Version],
    /// When it was handed over, oldest first, and the withdrawals (by country) since the
    /// last.
    pub handovers: &'a [Handover],
    pub withdrawn: &'a [(String, i64)],
    pub today: chrono::NaiveDate,
}

/// The delivery report: what was asked, of whom, by how many, from where, and the
/// digest of the signature list handed over with it.
pub fn report(staff: &CurrentStaff, view: &ReportView) -> Markup {
    let (p, counts) = (view.petition, view.counts);
    let others: Vec<(&String, &i64)> = counts
        .by_country
        .iter()
        .filter(|(code, _)| !EU_MEMBER_STATES.iter().any(|(c, _, _)| c == code))
        .collect();
    let eu_total: i64 = EU_MEMBER_STATES
        .iter()
        .map(|(c, _, _)| counts.by_country.get(*c).copied().unwrap_or(0))
        .sum();
    let org = crate::organisation::current();
    layout::printable(
        &format!("Delivery report: {}", p.title),
        staff,
        html! {
            article.report {
                p.kicker { "Petition delivery report" }
                h1 { (p.title) }
                @if !p.addressee.is_empty() { p.addressee { "To: " (p.addressee) } }
                p.from {
                    "From: " (org.display_name())
                    @if !org.controller_address.is_empty() { ", " (org.controller_address) }
                }
                dl.facts {
                    dt { "Signatures (confirmed by email)" } dd { strong { (counts.counted) } }
                    dt { "Period" } dd { (view.period.0) " to " (view.period.1) }
                }
                h2 { "Petition text" }
                @if let Some(current) = view.versions.last() {
                    p { "Version " (current.version) ", in force since " (day(current.began)) ". Earlier versions follow the signature list." }
                }
                div.prose { (markdown::render(&p.body_md)) }
                (versions_table(view.versions))
                h2 { "Signatures by EU member state" }
                table.data.report-table {
                    caption.visually-hidden { "Signatures by EU member state, with seats in the European Parliament" }
                    thead { tr { th scope="col" { "Member state" } th scope="col" { "Seats" } th scope="col" { "Signatures" } } }
                    tbody {
                        @for (code, name, seats) in EU_MEMBER_STATES {
                            tr { th scope="row" { (name) } td { (seats) } td { (counts.by_country.get(code).copied().unwrap_or(0)) } }
                        }
                    }
                    tfoot { tr { th scope="row" { "EU total" } td { "720" } td { (eu_total) } } }
                }
                h2 { "Signatures from other countries" }
                @if others.is_empty() { p { "None." } } @else {
                    table.data.report-table {
                        caption.visually-hidden { "Signatures from countries outside the EU" }
                        thead { tr { th scope="col" { "Country" } th scope="col" { "Signatures" } } }
                        tbody { @for (code, n) in &others { tr { th scope="row" { (country::name_of(code)) } td { (n) } } } }
                    }
                }
                h2 { "Signatures by language" }
                (by_language(counts))
                (by_partner(counts))
                h2 { "Signatures by day" }
                (charts::bars("report-days", "Confirmed signatures by day (UTC)", "One bar per day with signatures.", &day_bars(counts)))
                h2 { "Verifying the signature list" }
                p { "The list of confirmed signatures is handed over as a CSV file (downloaded without the byte-order mark, or written by the command line). Its SHA-256 digest is:" }
                p { code.digest { (view.digest) } }
                p.hint { "Compute it with: sha256sum " (p.slug) "-signatures-*.csv" }
                @if let Some(list) = view.signatories {
                    h2 { "Signatories" }
                    p { "Each confirmed signer who chose to be named, in signing order: first name, the initial of the last name, and country. The others are counted above but not named." }
                    @if list.len() > view.signatory_limit {
                        p { "The list shows the first " (view.signatory_limit) " signers; the CSV file holds them all." }
                    }
                    ol.signatories {
                        @for s in list.iter().take(view.signatory_limit) {
                            li {
                                (s.first_name) " " (s.initial) " (" (country::name_of(&s.country_code)) ")"
                                @if !view.versions.is_empty() { ", version " (s.text_version) }
                            }
                        }
                    }
                }
                (earlier_versions(view.versions))
                (handovers(staff, view))
            }
        },
    )
}

fn day(at: chrono::NaiveDateTime) -> String {
    at.format("%-d %B %Y").to_string()
}

/// How many counted signatures each version of the text received.
fn versions_table(versions: &[Version]) -> Markup {
    html! {
        @if !versions.is_empty() {
            table.data.report-table.versions {
                caption { "Signatures by version of the text" }
                thead { tr { th scope="col" { "Version" } th scope="col" { "In force" } th scope="col" { "Signatures" } } }
                tbody {
                    @for v in versions {
                        tr {
                            th scope="row" { (v.version) }
                            td { (day(v.began)) " to " (v.ended.map_or_else(|| "today".to_string(), day)) }
                            td { (v.confirmed) }
                        }
                    }
                }
            }
        }
    }
}

/// The texts people signed before the current one, as they read them.
fn earlier_versions(versions: &[Version]) -> Markup {
    let earlier = &versions[..versions.len().saturating_sub(1)];
    html! {
        @for v in earlier {
            section.earlier-version {
                h2 { "Version " (v.version) " of the text (" (day(v.began)) " to " (v.ended.map_or_else(String::new, day)) ")" }
                p { strong { (v.title) } }
                @if !v.addressee.is_empty() { p { "To: " (v.addressee) } }
                div.prose { (markdown::render(&v.body_md)) }
            }
        }
    }
}

/// The handovers, the withdrawals since the last, and (on screen only) the form that
/// records a new one with this report's digest.
fn handovers(staff: &CurrentStaff, view: &ReportView) -> Markup {
    let withdrawn: i64 = view.withdrawn.iter().map(|(_, n)| n).sum();
    html! {
        h2 #handovers { "Handed over" }
        @if view.handovers.is_empty() {
            p { "Not marked as handed over yet." }
        } @else {
            table.data.report-table.handovers {
                thead { tr { th scope="col" { "Day" } th scope="col" { "Digest of the list handed over" } } }
                tbody {
                    @for h in view.handovers {
                        tr {
                            td { (h.handed_on.format("%-d %B %Y")) }
                            td { code.digest { (h.digest) } @if h.digest == view.digest { " (the list as it is now)" } }
                        }
                    }
                }
            }
            @if let Some(last) = view.handovers.last() {
                p.withdrawn-since {
                    "Withdrawn by their signers since the handover of " (last.handed_on.format("%-d %B %Y")) ": " strong { (withdrawn) }
                    @if withdrawn > 0 { " (" @for (i, (code, n)) in view.withdrawn.iter().enumerate() { @if i > 0 { ", " } (country::name_of(code)) " " (n) } ")" }
                }
            }
        }
        form.screen-only method="post" action={ "/admin/petitions/" (view.petition.slug) "/report/handed-over" } {
            (super::fields::csrf(&staff.csrf))
            input type="hidden" name="digest" value=(view.digest);
            label for="handed_on" { "Day handed over" }
            input #handed_on type="date" name="handed_on" value=(view.today.format("%Y-%m-%d")) max=(view.today.format("%Y-%m-%d")) required;
            button.button type="submit" { "Mark handed over with this list" }
        }
    }
}

/// Confirmed signatures through each partner, when any came through one.
fn by_partner(counts: &Counts) -> Markup {
    let direct = counts.counted - counts.by_partner.values().sum::<i64>();
    html! {
        @if !counts.by_partner.is_empty() {
            table.data.report-table.by-partner {
                caption { "Confirmed signatures by partner" }
                thead { tr { th scope="col" { "Partner" } th scope="col" { "Signatures" } } }
                tbody {
                    @for (key, n) in &counts.by_partner { tr { td { code { (key) } } td { (n) } } }
                    tr { td { "Through no partner" } td { (direct) } }
                }
            }
        }
    }
}

/// The tag each partner pastes to show this petition's form on its site, one a
/// language.
pub fn embed_snippets(petition: &Petition, partners: &[String], base_url: &str) -> Markup {
    html! {
        h2 #embed { "Embed on a partner's site" }
        @if partners.is_empty() {
            p { "No partners yet. " a href="/admin/partners" { "Register a partner" } " to let it show this form on its site." }
        } @else {
            p { "The partner pastes one line where the form should appear. Change " code { "data-lang" } " to " code { "en" } ", " code { "fr" } " or " code { "km" } "." }
            @for key in partners {
                h3 { code { (key) } }
                pre.snippet { code {
                    "<script src=\"" (base_url) "/embed.js\" data-petition=\"" (petition.slug) "\" data-partner=\"" (key) "\" data-lang=\"en\" async></script>"
                } }
            }
        }
    }
}
