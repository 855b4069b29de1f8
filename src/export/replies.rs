//! replies.csv: the responsiveness table staff see, one row per member state, political
//! group and official, with every count and the share (whole percentages; empty below
//! `MIN_ANSWERS`).

use super::{neutral, writer};
use crate::db::replies::Replies;
use crate::domain::responsiveness::Tally;

pub const COLUMNS: [&str; 14] = [
    "level",
    "name",
    "country",
    "political_group",
    "active",
    "letters_delivered",
    "answers",
    "replied",
    "acknowledgement",
    "no_reply",
    "not_expected",
    "share_replied",
    "share_low",
    "share_high",
];

fn counts(t: &Tally) -> [String; 9] {
    let pc = |x: f64| ((x * 100.0).round() as i64).to_string();
    let (share, low, high) = t
        .share()
        .map_or_else(Default::default, |s| (pc(s.value), pc(s.low), pc(s.high)));
    [
        t.delivered.to_string(),
        t.answers().to_string(),
        t.replied.to_string(),
        t.acknowledgement.to_string(),
        t.no_reply.to_string(),
        t.not_expected.to_string(),
        share,
        low,
        high,
    ]
}

pub fn csv(replies: &Replies) -> Vec<u8> {
    let mut out = Vec::new();
    let mut w = writer(&mut out);
    let _ = w.write_record(COLUMNS);
    let mut row = |level: &str, name: &str, country: &str, group: &str, active: &str, t: &Tally| {
        let mut record = vec![
            level.to_string(),
            neutral(name).into_owned(),
            country.to_string(),
            neutral(group).into_owned(),
            active.to_string(),
        ];
        record.extend(counts(t));
        let _ = w.write_record(&record);
    };
    for (code, t) in replies.by_country() {
        row("member_state", &code, &code, "", "", &t);
    }
    for (group, t) in replies.by_group() {
        row("political_group", &group, "", &group, "", &t);
    }
    for o in &replies.officials {
        let active = if o.active { "yes" } else { "no" };
        row(
            "official",
            &o.name,
            &o.country_code,
            &o.political_group,
            active,
            &o.tally,
        );
    }
    drop(w);
    out
}
