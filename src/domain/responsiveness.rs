//! How often officials reply to letters, from what writers answered: a tally per
//! official (or group of officials) and the share that replied with its 95% Wilson
//! interval. Pure arithmetic; `db/replies.rs` counts, the views show.

use super::status::ReplyAnswer;

/// Below this many answers in the share's denominator a share is not shown ("too few
/// answers"), and the public pages leave that official out.
pub const MIN_ANSWERS: i64 = 10;

/// The normal quantile for a two-sided 95% interval.
const Z: f64 = 1.959_963_984_540_054;

/// What one official (or a group of them) got: letters delivered and the answers given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub delivered: i64,
    pub replied: i64,
    pub acknowledgement: i64,
    pub no_reply: i64,
    pub not_expected: i64,
}

impl Tally {
    /// Counts one delivered letter and its answer, if any.
    pub fn add(&mut self, answer: Option<ReplyAnswer>) {
        self.add_many(answer, 1);
    }

    /// Counts `n` delivered letters that got the same answer (or none).
    pub fn add_many(&mut self, answer: Option<ReplyAnswer>, n: i64) {
        self.delivered += n;
        match answer {
            Some(ReplyAnswer::Replied) => self.replied += n,
            Some(ReplyAnswer::Acknowledgement) => self.acknowledgement += n,
            Some(ReplyAnswer::NoReply) => self.no_reply += n,
            Some(ReplyAnswer::NotExpected) => self.not_expected += n,
            None => {}
        }
    }

    pub fn merge(&mut self, other: &Tally) {
        self.delivered += other.delivered;
        self.replied += other.replied;
        self.acknowledgement += other.acknowledgement;
        self.no_reply += other.no_reply;
        self.not_expected += other.not_expected;
    }

    /// Every answer given, "not expected" included.
    pub fn answers(&self) -> i64 {
        self.counted() + self.not_expected
    }

    /// The answers the share is made of: "not expected" is left out, since no reply
    /// was awaited.
    pub fn counted(&self) -> i64 {
        self.replied + self.acknowledgement + self.no_reply
    }

    /// The share that replied, when at least `MIN_ANSWERS` answers count.
    pub fn share(&self) -> Option<Share> {
        (self.counted() >= MIN_ANSWERS).then(|| Share::wilson(self.replied, self.counted()))
    }
}

/// A share and its 95% interval, each from 0 to 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Share {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

impl Share {
    /// `k` successes in `n` trials (n > 0), with Wilson's score interval: unlike the
    /// normal approximation it stays within 0–1 and is fair to small counts.
    pub fn wilson(k: i64, n: i64) -> Self {
        let (k, n) = (k as f64, n as f64);
        let p = k / n;
        let z2 = Z * Z;
        let denominator = 1.0 + z2 / n;
        let centre = (p + z2 / (2.0 * n)) / denominator;
        let half = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
        Self {
            value: p,
            low: (centre - half).max(0.0),
            high: (centre + half).min(1.0),
        }
    }

    /// Whole percentages: "60% (31–83%)" (docs/CONTRACT.md), in every language.
    pub fn text(&self) -> String {
        let pc = |x: f64| (x * 100.0).round() as i64;
        format!(
            "{}% ({}\u{2013}{}%)",
            pc(self.value),
            pc(self.low),
            pc(self.high)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_of_ten_is_sixty_percent_between_31_and_83() {
        assert_eq!(Share::wilson(6, 10).text(), "60% (31–83%)");
    }

    #[test]
    fn the_interval_stays_within_nought_and_a_hundred() {
        assert_eq!(Share::wilson(0, 10).text(), "0% (0–28%)");
        assert_eq!(Share::wilson(10, 10).text(), "100% (72–100%)");
        // Narrower with more answers.
        let wide = Share::wilson(50, 100);
        let narrow = Share::wilson(500, 1000);
        assert!(narrow.high - narrow.low < wide.high - wide.low);
    }

    #[test]
    fn not_expected_answers_are_counted_apart_and_ten_answers_are_needed() {
        let mut t = Tally::default();
        for _ in 0..9 {
            t.add(Some(ReplyAnswer::NoReply));
        }
        t.add(Some(ReplyAnswer::NotExpected));
        t.add(None);
        assert_eq!((t.delivered, t.answers(), t.counted()), (11, 10, 9));
        assert_eq!(t.share(), None, "9 counted answers are too few");
        t.add(Some(ReplyAnswer::Replied));
        assert_eq!(t.share().map(|s| s.text()), Some("10% (2–40%)".into()));
    }
}
