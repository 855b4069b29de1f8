//! After the letter: `after` its last copy was delivered, a letter's writer gets one
//! email asking, for each official it reached, whether they replied (four links each,
//! `/follow-up/{token}?answer=…`); `reminder` later, one more if nothing was answered;
//! never a third. A conditional update on the letter's row claims each email, so nodes
//! working at once send one. The transactional outbox worker runs this every
//! min(after / 2, 60 s), beside the confirmation reminders.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::prelude::*;

use super::letters::data_link_marker;
use super::site::Site;
use crate::config::periods::FollowUp as Periods;
use crate::db::follow_ups::{self, Copy, Letter, Round};
use crate::db::outbox::{self, NewEmail};
use crate::db::schema::actions;
use crate::db::{self, suppressions, translations, DbConnection, DbError};
use crate::domain::secrets;
use crate::domain::status::ReplyAnswer;
use crate::i18n::{t_in, t_with_in, Lang, Msg};

/// Letters looked at in one turn, of each round.
const BATCH: i64 = 200;
/// A letter found this long past its due time (the feature just arrived, or the site
/// was down for weeks) is never asked about: nobody remembers an old letter's replies.
const TOO_LATE: TimeDelta = TimeDelta::days(14);

/// Queues the follow-ups and reminders due at `now`; answers how many.
pub fn run(
    conn: &mut DbConnection,
    site: &Site,
    periods: Periods,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    let mut queued = 0;
    for letter in follow_ups::due_first(conn, periods.after, now, BATCH)? {
        queued += usize::from(ask(conn, site, &letter, (Round::First, periods), now)?);
    }
    for letter in follow_ups::due_reminder(conn, periods.reminder, now, BATCH)? {
        queued += usize::from(ask(conn, site, &letter, (Round::Reminder, periods), now)?);
    }
    Ok(queued)
}

/// Asks about one letter, unless another node did first or there is nobody to ask.
fn ask(
    conn: &mut DbConnection,
    site: &Site,
    letter: &Letter,
    (round, periods): (Round, Periods),
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    db::write_transaction(conn, |conn| {
        let (copies, last) = follow_ups::delivered_copies(conn, &letter.id)?;
        let suppressed = !suppressions::among(conn, &[letter.email_canonical.as_str()])?.is_empty();
        let too_late = last.is_none_or(|at| at + periods.after + TOO_LATE < now);
        let answered = copies.iter().any(|c| c.answer.is_some());
        let nobody = copies.is_empty() || letter.email.is_empty() || suppressed;
        if round == Round::First && (nobody || too_late) {
            follow_ups::never_ask(conn, &letter.id, now)?;
            return Ok(false);
        }
        if !follow_ups::mark(conn, &letter.id, round, now)? || nobody || answered {
            return Ok(false);
        }
        let lang = Lang::parse(&letter.language).unwrap_or_default();
        let mut title: String = actions::table
            .find(&letter.action_id)
            .select(actions::title)
            .first(conn)?;
        translations::of(conn, "action", &letter.action_id, lang)?.apply("title", &mut title);
        let mut links = Vec::with_capacity(copies.len());
        for copy in &copies {
            let (token, hash) = secrets::new_token();
            follow_ups::add_link(conn, &hash, (&letter.id, &copy.target_id), now)?;
            links.push((
                copy,
                format!("{}{}/follow-up/{token}", site.base_url, lang.prefix()),
            ));
        }
        outbox::enqueue(conn, &email(letter, lang, &title, &links, round, now))?;
        Ok(true)
    })
}

/// The four answers in the order the email and the page offer them.
pub const ANSWERS: [(ReplyAnswer, Msg); 4] = [
    (ReplyAnswer::Replied, Msg::AnswerReplied),
    (ReplyAnswer::Acknowledgement, Msg::AnswerAcknowledgement),
    (ReplyAnswer::NoReply, Msg::AnswerNoReply),
    (ReplyAnswer::NotExpected, Msg::AnswerNotExpected),
];

/// The email: plain text (its links are what matters), in the writer's language, ending
/// with their data link like the copy of their letter.
fn email(
    letter: &Letter,
    lang: Lang,
    title: &str,
    links: &[(&Copy, String)],
    round: Round,
    now: NaiveDateTime,
) -> NewEmail {
    let (subject, closing, kind) = match round {
        Round::First => (Msg::MailFollowUpSubject, Msg::MailFollowUpOnce, "follow_up"),
        Round::Reminder => (
            Msg::MailFollowUpReminderSubject,
            Msg::MailFollowUpLast,
            "follow_up_reminder",
        ),
    };
    let quoted = t_with_in(lang, Msg::Quoted, &[("text", title)]);
    let mut text = format!(
        "{}\n\n{}\n",
        t_with_in(
            lang,
            Msg::MailConfirmGreeting,
            &[("name", &letter.first_name)]
        ),
        t_with_in(lang, Msg::MailFollowUpIntro, &[("title", &quoted)]),
    );
    for (copy, link) in links {
        let question = t_with_in(
            lang,
            Msg::FollowUpQuestion,
            &[("name", &copy.name), ("title", &quoted)],
        );
        text.push_str(&format!("\n{question}\n"));
        for (answer, label) in ANSWERS {
            text.push_str(&format!(
                "- {}: {link}?answer={answer}\n",
                t_in(lang, label)
            ));
        }
    }
    text.push_str(&format!(
        "\n{}\n{}\n\n{}: {}\n",
        t_in(lang, Msg::MailFollowUpPrivacy),
        t_in(lang, closing),
        t_in(lang, Msg::MailDataFooter),
        data_link_marker(lang)
    ));
    let subject = t_with_in(lang, subject, &[("title", &quoted)]);
    let mut mail = NewEmail::new(kind, &letter.email, subject, text, None, now);
    mail.message_id = Some(letter.id.clone());
    mail
}
