//! Every user-visible string of the public pages, in English, French and Khmer. A page
//! asks for a message ([`t`]) in the language of the request being served (`lang.rs`);
//! emails name their language ([`t_in`]). Each language's table is an exhaustive `match`
//! (`en.rs`, `fr.rs`, `km.rs`): a message without its French or Khmer text does not
//! compile, which is stronger than a test and needs no extra crate. The tests below check
//! what the compiler cannot: that every translation keeps the English placeholders and is
//! not left in English by mistake.

mod countries;
mod en;
mod fr;
mod km;
mod lang;
mod msg;

pub use countries::{country_name, names as country_names};
pub use lang::{
    current, date, date_in, href, number, number_in, path_in, preferred_over_english, speaking,
    unprefixed_path, Lang,
};
pub use msg::Msg;

/// The text of `msg` in the language of the request being served.
pub fn t(msg: Msg) -> &'static str {
    t_in(current(), msg)
}

/// The text of `msg` in `lang`.
pub fn t_in(lang: Lang, msg: Msg) -> &'static str {
    match lang {
        Lang::En => en::text(msg),
        Lang::Fr => fr::text(msg),
        Lang::Km => km::text(msg),
    }
}

/// The text of `msg` with each `{name}` placeholder replaced by its value.
pub fn t_with(msg: Msg, args: &[(&str, &str)]) -> String {
    t_with_in(current(), msg, args)
}

/// [`t_with`] in `lang`.
pub fn t_with_in(lang: Lang, msg: Msg, args: &[(&str, &str)]) -> String {
    args.iter()
        .fold(t_in(lang, msg).to_string(), |text, (name, value)| {
            text.replace(&format!("{{{name}}}"), value)
        })
}

/// The singular or plural message for `n`, with `{count}` filled, by the language's
/// rule: English counts only 1 as one, French 0 and 1, Khmer has one form.
pub fn t_count(one: Msg, other: Msg, n: i64, args: &[(&str, &str)]) -> String {
    t_count_in(current(), one, other, n, args)
}

/// [`t_count`] in `lang`.
pub fn t_count_in(lang: Lang, one: Msg, other: Msg, n: i64, args: &[(&str, &str)]) -> String {
    let count = lang::number_in(lang, n);
    let mut all = vec![("count", count.as_str())];
    all.extend_from_slice(args);
    let singular = match lang {
        Lang::En => n == 1,
        Lang::Fr => n == 0 || n == 1,
        Lang::Km => false,
    };
    t_with_in(lang, if singular { one } else { other }, &all)
}

/// A period as people read it in `lang`: whole days, or hours, minutes or seconds when
/// it is shorter or not whole days; never rounded to months ("180 days", "36 heures").
pub fn period_in(lang: Lang, period: chrono::TimeDelta) -> String {
    let seconds = period.num_seconds();
    let (one, other, n) = if seconds % 86_400 == 0 {
        (Msg::OneDay, Msg::Days, seconds / 86_400)
    } else if seconds % 3_600 == 0 {
        (Msg::OneHour, Msg::Hours, seconds / 3_600)
    } else if seconds % 60 == 0 {
        (Msg::OneMinute, Msg::Minutes, seconds / 60)
    } else {
        (Msg::OneSecond, Msg::Seconds, seconds)
    };
    t_count_in(lang, one, other, n, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `{name}` placeholders of a text, sorted.
    fn placeholders(text: &str) -> Vec<&str> {
        let mut found: Vec<&str> = text
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .filter(|name| {
                !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_')
            })
            .collect();
        found.sort_unstable();
        found
    }

    #[test]
    fn every_translation_keeps_the_english_placeholders() {
        for msg in Msg::ALL {
            let english = placeholders(t_in(Lang::En, *msg));
            for lang in [Lang::Fr, Lang::Km] {
                let text = t_in(lang, *msg);
                assert_eq!(placeholders(text), english, "{msg:?} in {lang:?}: {text}");
            }
        }
    }

    #[test]
    fn no_translation_is_left_in_english_by_mistake() {
        // The same words in both languages, on purpose.
        let same = [
            (Lang::Fr, Msg::NavArticles),
            (Lang::Fr, Msg::ArticlesTitle),
            (Lang::Fr, Msg::Signatures),
            (Lang::Fr, Msg::OneSignature),
            (Lang::Fr, Msg::OneMinute),
            (Lang::Fr, Msg::Minutes),
            (Lang::Fr, Msg::SignerLine),
            (Lang::Km, Msg::SignerLine),
        ];
        let mut left = Vec::new();
        for msg in Msg::ALL {
            for lang in [Lang::Fr, Lang::Km] {
                if t_in(lang, *msg) == t_in(Lang::En, *msg) && !same.contains(&(lang, *msg)) {
                    left.push((lang, *msg));
                }
            }
        }
        assert!(left.is_empty(), "still in English: {left:?}");
    }

    #[test]
    fn khmer_has_no_space_inside_words_only_between_phrases() {
        for msg in Msg::ALL {
            let text = t_in(Lang::Km, *msg);
            assert!(!text.contains("  "), "{msg:?}: a double space");
            assert!(!text.starts_with(' ') && !text.ends_with(". "), "{msg:?}");
            assert!(
                !text.contains("\u{200b} ") && !text.contains(" \u{200b}"),
                "{msg:?}: a break beside a space"
            );
        }
    }

    #[test]
    fn placeholders_are_filled() {
        let text = t_with_in(
            Lang::En,
            Msg::SignaturesOfGoal,
            &[("count", "12"), ("goal", "10,000")],
        );
        assert_eq!(text, "12 signatures of a 10,000 goal");
    }

    #[test]
    fn periods_are_whole_days_or_a_shorter_unit() {
        use chrono::TimeDelta;
        assert_eq!(period_in(Lang::En, TimeDelta::days(180)), "180 days");
        assert_eq!(period_in(Lang::En, TimeDelta::days(1)), "1 day");
        assert_eq!(period_in(Lang::Fr, TimeDelta::hours(36)), "36 heures");
        assert_eq!(period_in(Lang::En, TimeDelta::minutes(90)), "90 minutes");
        assert_eq!(period_in(Lang::Fr, TimeDelta::seconds(1)), "1 seconde");
        assert_eq!(period_in(Lang::Km, TimeDelta::days(28)), "28 ថ្ងៃ");
        assert_eq!(period_in(Lang::En, TimeDelta::days(365)), "365 days");
    }

    #[test]
    fn plurals_follow_each_language() {
        let count = |lang, n| t_count_in(lang, Msg::OneSignature, Msg::Signatures, n, &[]);
        assert_eq!(count(Lang::En, 0), "0 signatures");
        assert_eq!(count(Lang::En, 1), "1 signature");
        assert_eq!(count(Lang::Fr, 0), "0 signature");
        assert_eq!(count(Lang::Fr, 1), "1 signature");
        assert_eq!(count(Lang::Fr, 2), "2 signatures");
        assert_eq!(count(Lang::Fr, 12345), "12\u{202f}345 signatures");
        assert_eq!(count(Lang::Km, 1), "ហត្ថលេខា 1");
    }
}
