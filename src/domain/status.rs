//! Every stored status and hold reason, as enums: a misspelt status fails to compile.
//! Each is stored as the same lower-case TEXT as before (docs/CONTRACT.md, "Statuses"),
//! so the schema, the CSV and the query strings staff type are unchanged.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

/// Declares an enum stored as TEXT: its values, `as_str`, `parse` and diesel's mapping.
macro_rules! stored_as_text {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, diesel::AsExpression, diesel::FromSqlRow)]
        #[diesel(sql_type = Text)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in the order staff pages list them.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];
            /// The stored (and typed) spelling.
            pub const TEXTS: &'static [&'static str] = &[$($text,)+];

            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $text,)+
                }
            }

            pub fn parse(text: &str) -> Option<Self> {
                match text {
                    $($text => Some(Self::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl<DB> ToSql<Text, DB> for $name
        where
            DB: Backend,
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl<DB> FromSql<Text, DB> for $name
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                let text = String::from_sql(bytes)?;
                Self::parse(&text)
                    .ok_or_else(|| format!("{} is not a {}", text, stringify!($name)).into())
            }
        }
    };
}

stored_as_text! {
    /// Where a signature (or a letter) stands. Only `Confirmed` counts publicly.
    SignatureStatus {
        Pending = "pending",
        Confirmed = "confirmed",
        Held = "held",
        Invalidated = "invalidated",
        /// Withdrawn by its signer (`/me`): never counted, its personal fields erased.
        Withdrawn = "withdrawn",
    }
}

/// A letter goes through the same four statuses as a signature, with the same meaning.
pub type MessageStatus = SignatureStatus;

impl SignatureStatus {
    /// What a supporter's confirmation leaves: pending becomes confirmed; held stays
    /// held (staff decide); an invalidated one stays invalidated.
    pub fn once_confirmed(self) -> Self {
        match self {
            Self::Pending => Self::Confirmed,
            other => other,
        }
    }

    /// The status a new signature or letter starts with.
    pub fn new_with(hold: Option<HoldReason>) -> Self {
        if hold.is_some() {
            Self::Held
        } else {
            Self::Pending
        }
    }
}

stored_as_text! {
    /// Where a newsletter subscriber stands. Only `Subscribed` receives mailings.
    SubscriberStatus {
        /// Asked to join; the confirmation link was sent.
        Pending = "pending",
        Subscribed = "subscribed",
        Unsubscribed = "unsubscribed",
        /// The address was refused for good by its mail server.
        Bounced = "bounced",
    }
}

stored_as_text! {
    /// Why a signature or a letter was held for staff to decide.
    HoldReason {
        /// Sent sooner after the form was served than a person can fill it in.
        TooFast = "too_fast",
        /// The hidden field people leave empty was filled in.
        Honeypot = "honeypot",
        /// More than the rule's burst from one address on one action within its period.
        PerAddress = "per_address",
        /// The email's domain or the address matches a staff block rule.
        Blocked = "blocked",
    }
}

stored_as_text! {
    /// An email in the outbox.
    OutboxStatus {
        Pending = "pending",
        /// Claimed by one node's worker until its lease ends.
        Sending = "sending",
        Sent = "sent",
        Failed = "failed",
    }
}

stored_as_text! {
    /// One target's copy of a letter.
    TargetStatus {
        /// Its letter awaits the writer's confirmation.
        Waiting = "waiting",
        /// A mailto letter: the writer sends it from their own mail program.
        Prepared = "prepared",
        /// In the outbox.
        Queued = "queued",
        Sent = "sent",
        Failed = "failed",
    }
}

stored_as_text! {
    /// What a writer answered when asked whether an official replied to their letter
    /// (the follow-up links' `answer`).
    ReplyAnswer {
        Replied = "replied",
        /// Only an automatic or formal acknowledgement.
        Acknowledgement = "acknowledgement",
        /// No reply yet.
        NoReply = "no_reply",
        /// The writer did not expect one: counted apart, outside the share.
        NotExpected = "not_expected",
    }
}

stored_as_text! {
    /// What staff decide about held or unwanted signatures (the form's `decision`).
    Decision {
        /// Held rows count again (or await confirmation when never confirmed).
        Release = "release",
        /// Any row that is not invalidated yet stops counting for good.
        Invalidate = "invalidate",
    }
}

impl Decision {
    /// The statuses this decision changes: written here only.
    pub fn applies_to(self) -> &'static [SignatureStatus] {
        match self {
            Self::Release => &[SignatureStatus::Held],
            Self::Invalidate => &[
                SignatureStatus::Pending,
                SignatureStatus::Confirmed,
                SignatureStatus::Held,
            ],
        }
    }

    /// The statuses this decision leaves rows in; undoing it turns back only rows still
    /// in one of them.
    pub fn leaves(self) -> &'static [SignatureStatus] {
        match self {
            Self::Release => &[SignatureStatus::Confirmed, SignatureStatus::Pending],
            Self::Invalidate => &[SignatureStatus::Invalidated],
        }
    }

    /// The button's word: "Release", "Invalidate".
    pub fn verb(self) -> &'static str {
        match self {
            Self::Release => "Release",
            Self::Invalidate => "Invalidate",
        }
    }

    /// The decision as done: "released", "invalidated" (pages, the CLI, the audit log).
    pub fn done(self) -> &'static str {
        match self {
            Self::Release => "released",
            Self::Invalidate => "invalidated",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_reads_back_from_its_text() {
        for s in SignatureStatus::ALL {
            assert_eq!(SignatureStatus::parse(s.as_str()), Some(*s));
        }
        for r in HoldReason::ALL {
            assert_eq!(HoldReason::parse(r.as_str()), Some(*r));
        }
        assert_eq!(SignatureStatus::parse("Pending"), None, "case matters");
        assert_eq!(
            HoldReason::TEXTS,
            ["too_fast", "honeypot", "per_address", "blocked"]
        );
    }

    #[test]
    fn only_a_pending_row_is_confirmed_by_its_supporter() {
        use SignatureStatus::*;
        assert_eq!(Pending.once_confirmed(), Confirmed);
        assert_eq!(Held.once_confirmed(), Held);
        assert_eq!(Invalidated.once_confirmed(), Invalidated);
    }
}
