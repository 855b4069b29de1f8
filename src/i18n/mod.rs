//! Every user-visible string of the public pages, looked up through [`t`] so that another
//! language can be added here without touching a template. English only for now; the
//! table itself is in `en.rs`.

mod en;

/// A piece of interface text. Placeholders in braces are filled by [`t_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    SiteTagline,
    SkipToContent,
    NavHome,
    NavArticles,
    LiveCampaigns,
    NoCampaigns,
    LatestArticles,
    NoArticles,
    AllArticles,
    ReadArticle,
    ArticlesTitle,
    PublishedOn,
    By,
    PartOfCampaign,
    TakeAction,
    PetitionKicker,
    ContactKicker,
    PetitionTo,
    SignaturesOfGoal,
    SignatureOfGoal,
    Signatures,
    OneSignature,
    LettersSent,
    OneLetterSent,
    Deadline,
    SignThePetition,
    WriteToOfficials,
    ActionClosed,
    ProgressLabel,
    NotFoundTitle,
    NotFoundBody,
    ServerErrorTitle,
    ServerErrorBody,
    UnavailableTitle,
    UnavailableBody,
    BadRequestTitle,
    FooterText,
    FeedLink,
    // Field errors.
    ErrNameMissing,
    ErrFirstNameMissing,
    ErrLastNameMissing,
    ErrNameTooLong,
    ErrControlChars,
    ErrEmailMissing,
    ErrEmailTooLong,
    ErrEmailInvalid,
    ErrCountryMissing,
    ErrCountryInvalid,
    ErrPostcodeTooLong,
    ErrCommentTooLong,
    // The sign form and petition pages.
    ErrorPrefix,
    ErrorSummaryTitle,
    FirstName,
    LastName,
    EmailAddress,
    EmailHint,
    CountryLabel,
    ChooseCountry,
    PostcodeLabel,
    CommentLabel,
    CommentHint,
    Optional,
    HoneypotLabel,
    SignButton,
    PrivacyNote,
    LatestSigners,
    CampaignKicker,
    CampaignArticles,
    NoSignersYet,
    ShowPublicly,
    LetterCopySubject,
    LetterCopyIntro,
    PreviewHeading,
    PreviewYourName,
    PreviewNote,
    RepliesCome,
    ControllerFooter,
    ControllerLine,
    ContactLabel,
    LegalNotice,
    NobodyFor,
    MepsRepresentMemberStates,
    SignInstead,
    EuMemberStates,
    MemberStatesOnlyHint,
    OtherCountries,
    DidYouMean,
    UseSuggested,
    KeepTyped,
    SignersShownByChoice,
    SignerLine,
    LinkedArticles,
    Share,
    ShareByEmail,
    ShareSubject,
    PetitionClosed,
    TextChanged,
    ClosedOn,
    FinalCountOne,
    FinalCount,
    Outcome,
    PetitionClosedBody,
    CheckEmailTitle,
    SentTo,
    WrongAddress,
    ChangeIt,
    CheckEmailBody,
    CheckEmailNext,
    CheckEmailNothing,
    BackToPetition,
    ConfirmTitle,
    ConfirmBody,
    ConfirmButton,
    ThanksTitle,
    ThanksBody,
    LinkUnknownTitle,
    LinkUnknownBody,
    LinkExpiredTitle,
    LinkExpiredBody,
    SignAgain,
    FormTokenTitle,
    FormTokenBody,
    BadFormBody,
    UnsupportedFormat,
    TooLarge,
    ForbiddenTitle,
    ForbiddenBody,
    CsrfBody,
    ErrSubjectMissing,
    ErrSubjectOneLine,
    ErrSubjectTooLong,
    ErrSubjectEncoded,
    ErrBodyMissing,
    ErrBodyTooLong,
    ErrTargetsMissing,
    ErrTargetsRepeated,
    ErrTargetsTooMany,
    ErrTargetsUnknown,
    // The contact pages.
    ContactChooseCountry,
    ContactShowTargets,
    ContactNoTargets,
    ContactTargetsLegend,
    ContactTargetsHint,
    SubjectLabel,
    LetterLabel,
    LetterHint,
    LetterPersonal,
    YourDetails,
    SendLetter,
    PrepareLetter,
    ChangeCountry,
    LettersPrepared,
    OneLetterPrepared,
    ContactCheckEmailBody,
    ContactConfirmTitle,
    ContactConfirmBody,
    ContactConfirmButton,
    ContactThanksTitle,
    ContactThanksBody,
    MailtoTitle,
    MailtoBody,
    MailtoLink,
    LetterFooter,
    MailContactSubject,
    MailContactBody,
    MailContactLink,
    MailContactIgnore,
    MailAlreadySubject,
    MailAlreadyCounted,
    MailAlreadyHeld,
    MailAlreadyLink,
    MailAlreadyIgnore,
    MailWroteSubject,
    MailWroteBody,
    MailWroteLink,
    RateLimited,
    OneSecond,
    Seconds,
    OneMinute,
    Minutes,
    OneHour,
    Hours,
    RateLimitedTitle,
    // The confirmation email.
    MailConfirmSubject,
    MailConfirmGreeting,
    MailConfirmBody,
    MailConfirmIgnore,
}

/// The page language, for `<html lang>`.
pub const LANG: &str = "en";

/// The English text of `msg`.
pub fn t(msg: Msg) -> &'static str {
    en::text(msg)
}

/// The text of `msg` with each `{name}` placeholder replaced by its value.
pub fn t_with(msg: Msg, args: &[(&str, &str)]) -> String {
    args.iter().fold(t(msg).to_string(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}

/// The singular or plural message for `n`, with `{count}` filled (English rule: 1 is one).
pub fn t_count(one: Msg, other: Msg, n: i64, args: &[(&str, &str)]) -> String {
    let count = number(n);
    let mut all = vec![("count", count.as_str())];
    all.extend_from_slice(args);
    t_with(if n == 1 { one } else { other }, &all)
}

/// A count with thousands separators, as people read it ("12,345").
pub fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A date as people read it ("28 November 2026").
pub fn date(d: chrono::NaiveDateTime) -> String {
    d.format("%-d %B %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled() {
        let text = t_with(
            Msg::SignaturesOfGoal,
            &[("count", "12"), ("goal", "10,000")],
        );
        assert_eq!(text, "12 signatures of a 10,000 goal");
    }

    #[test]
    fn numbers_get_thousands_separators() {
        assert_eq!(number(0), "0");
        assert_eq!(number(999), "999");
        assert_eq!(number(1000), "1,000");
        assert_eq!(number(1234567), "1,234,567");
        assert_eq!(number(-1234), "-1,234");
    }
}
