//! Every user-visible string of the public pages, looked up through [`t`] so that another
//! language can be added here without touching a template. English only for now.

/// A piece of interface text. Placeholders in braces are filled by [`t_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    SiteName,
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
    NobodyFor,
    MepsRepresentMemberStates,
    SignInstead,
    EuMemberStates,
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
    ClosedOn,
    FinalCountOne,
    FinalCount,
    Outcome,
    PetitionClosedBody,
    CheckEmailTitle,
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
    use Msg::*;
    match msg {
        SiteName => "Clarion",
        SiteTagline => "News that ends in action",
        SkipToContent => "Skip to main content",
        NavHome => "Home",
        NavArticles => "Articles",
        LiveCampaigns => "Campaigns",
        NoCampaigns => "There are no live campaigns at the moment.",
        LatestArticles => "Latest articles",
        NoArticles => "No articles have been published yet.",
        AllArticles => "All articles",
        ReadArticle => "Read the article",
        ArticlesTitle => "Articles",
        PublishedOn => "Published {date}",
        By => "by {author}",
        PartOfCampaign => "Campaign: {campaign}",
        TakeAction => "Take action",
        PetitionKicker => "Petition",
        ContactKicker => "Write to your representatives",
        PetitionTo => "To: {addressee}",
        SignaturesOfGoal => "{count} signatures of a {goal} goal",
        SignatureOfGoal => "{count} signature of a {goal} goal",
        Signatures => "{count} signatures",
        OneSignature => "{count} signature",
        LettersSent => "{count} letters sent",
        OneLetterSent => "{count} letter sent",
        Deadline => "Closes {date}",
        SignThePetition => "Sign the petition",
        WriteToOfficials => "Write to your MEPs",
        ActionClosed => "This action is closed.",
        ProgressLabel => "Progress toward the goal",
        NotFoundTitle => "Page not found",
        NotFoundBody => {
            "We could not find that page. It may have moved, or the address may be mistyped."
        }
        ServerErrorTitle => "Sorry, something went wrong",
        ServerErrorBody => "Nothing you sent has been lost. Please try again in a moment.",
        UnavailableTitle => "Service unavailable",
        UnavailableBody => {
            "The service is busy or briefly unavailable. Please try again in a moment."
        }
        BadRequestTitle => "We could not understand that request",
        FooterText => "Powered by Clarion. We keep only what a campaign needs, and never sell it.",
        FeedLink => "Atom feed",
        ErrNameMissing => "Enter your name",
        ErrFirstNameMissing => "Enter your first name",
        ErrLastNameMissing => "Enter your last name",
        ErrNameTooLong => "Names must be 100 characters or fewer",
        ErrControlChars => "Remove the invisible control characters from this field",
        ErrEmailMissing => "Enter your email address",
        ErrEmailTooLong => "Email addresses must be 254 characters or fewer",
        ErrEmailInvalid => "Enter an email address in the correct format, like name@example.org",
        ErrCountryMissing => "Choose your country",
        ErrCountryInvalid => "Choose a country from the list",
        ErrPostcodeTooLong => "Postcodes must be 16 characters or fewer",
        ErrCommentTooLong => "Comments must be 500 characters or fewer",
        ErrorPrefix => "Error: ",
        ErrorSummaryTitle => "There is a problem",
        FirstName => "First name",
        LastName => "Last name",
        EmailAddress => "Email address",
        EmailHint => "We will send you a link to confirm your signature.",
        CountryLabel => "Country where you live",
        ChooseCountry => "Choose your country",
        PostcodeLabel => "Postcode",
        CommentLabel => "Comment",
        CommentHint => "Up to 500 characters.",
        Optional => "(optional)",
        HoneypotLabel => "Leave this field empty",
        SignButton => "Sign the petition",
        PrivacyNote => "Your name is shown only if you tick the box above. We never sell your data.",
        LatestSigners => "Latest signatures",
        CampaignKicker => "Campaign",
        CampaignArticles => "Articles in this campaign",
        NoSignersYet => "Be the first to sign.",
        DidYouMean => "Did you mean {email}?",
        UseSuggested => "Yes, use {email}",
        KeepTyped => "If your address is right as you typed it, press the button at the end of the form again.",
        NobodyFor => "There is no one to write to for {country} in this action.",
        MepsRepresentMemberStates => "Members of the European Parliament represent the people of the EU member states. If you live in the EU, choose the country where you live.",
        SignInstead => "You can sign the petition instead",
        EuMemberStates => "EU member states",
        OtherCountries => "Other countries",
        ShowPublicly => "Show my first name and country publicly and in the list handed to MEPs",
        SignersShownByChoice => "Only people who chose to be named are listed here.",
        SignerLine => "{name}, {country}",
        LinkedArticles => "Read more",
        Share => "Share this petition",
        ShareByEmail => "Email",
        ShareSubject => "Please sign: {title}",
        PetitionClosed => "This petition is closed",
        ClosedOn => "It closed on {date}.",
        FinalCountOne => "{count} person signed it.",
        FinalCount => "{count} people signed it.",
        Outcome => "What happened next",
        PetitionClosedBody => "This petition no longer accepts signatures. Thank you for your support.",
        CheckEmailTitle => "Check your email",
        CheckEmailBody => "We have sent you an email with a link. Your signature counts once you open the link and press the button on that page.",
        CheckEmailNext => "The link stays valid for {days} days.",
        CheckEmailNothing => "Nothing arrived after a few minutes? Look in your spam folder, or sign again with the same address and we will send the link again.",
        BackToPetition => "Back to the petition",
        ConfirmTitle => "Confirm your signature",
        ConfirmBody => "Press the button to confirm your signature on “{title}”.",
        ConfirmButton => "Confirm my signature",
        ThanksTitle => "Thank you for signing",
        ThanksBody => "Your signature on “{title}” is confirmed.",
        LinkUnknownTitle => "This link is not valid",
        LinkUnknownBody => "We could not find a signature for this link. It may have been copied incompletely.",
        LinkExpiredTitle => "This link has expired",
        LinkExpiredBody => "Confirmation links are valid for {days} days. Please sign again to get a new link.",
        SignAgain => "Sign again",
        FormTokenTitle => "This form has expired",
        FormTokenBody => "For your security, forms are valid for 24 hours. Please go back, reload the page and send the form again. Nothing was saved.",
        BadFormBody => "The form could not be read: it must be sent as UTF-8 text from the page's form. Nothing was saved.",
        UnsupportedFormat => "Send this form from the web page (as application/x-www-form-urlencoded). Nothing was saved.",
        TooLarge => "What you sent is too large. Nothing was saved.",
        ForbiddenTitle => "You do not have access to this page",
        ForbiddenBody => "This page is for administrators. Ask an administrator if you need it.",
        CsrfBody => "This form was not sent from a page of your current session. Reload the page and try again. Nothing was changed.",
        ErrSubjectMissing => "Enter a subject",
        ErrSubjectOneLine => "The subject must be one line",
        ErrSubjectTooLong => "The subject must be 200 characters or fewer",
        ErrSubjectEncoded => "The subject must not contain \"=?\"",
        ErrBodyMissing => "Write your letter",
        ErrBodyTooLong => "The letter must be 5,000 characters or fewer",
        ErrTargetsMissing => "Choose at least one person to write to",
        ErrTargetsRepeated => "Choose each person only once",
        ErrTargetsTooMany => "You have chosen more people than this action allows",
        ErrTargetsUnknown => "Choose people from the list for your country",
        ContactChooseCountry => "Where do you live?",
        ContactShowTargets => "Show my representatives",
        ContactNoTargets => "There is no one to write to for this country in this action.",
        ContactTargetsLegend => "Who do you want to write to?",
        ContactTargetsHint => "Choose up to {max}. We suggest a few so that letters reach every representative.",
        SubjectLabel => "Subject",
        LetterLabel => "Your letter",
        LetterHint => "Words in {curly brackets} are filled in for you: {target_name} with each representative's name, {supporter_name} and {supporter_country} with your name and country. Leave them as they are.",
        LetterPersonal => "A sentence in your own words makes a letter far more likely to be read.",
        YourDetails => "Your details",
        SendLetter => "Send my letter",
        PrepareLetter => "Prepare my letter",
        ChangeCountry => "Change country",
        LettersPrepared => "{count} letters prepared",
        OneLetterPrepared => "{count} letter prepared",
        ContactCheckEmailBody => "We have sent you an email with a link. Your letter leaves only after you open the link and press the button on that page.",
        ContactConfirmTitle => "Confirm your letter",
        ContactConfirmBody => "Press the button to send your letter “{subject}” to {count} recipients.",
        ContactConfirmButton => "Send my letter",
        ContactThanksTitle => "Thank you: your letter is on its way",
        ContactThanksBody => "Each recipient gets their own copy, from us on your behalf; replies come to you.",
        MailtoTitle => "Your letters are ready",
        MailtoBody => "Open each link to send the letter from your own email program.",
        MailtoLink => "Email {name}",
        LetterFooter => "This letter was sent on behalf of {name} through the campaign “{campaign}” ({url}). Reply to this email to answer {name} directly.",
        MailContactSubject => "Please confirm your letter: {title}",
        MailContactBody => "Thank you for writing through “{title}”. To send your letter, open this link and press the button on the page:",
        RateLimited => "Too many requests from your network. Please try again in {when}; nothing was lost.",
        OneSecond => "{count} second",
        Seconds => "{count} seconds",
        OneMinute => "{count} minute",
        Minutes => "{count} minutes",
        OneHour => "{count} hour",
        Hours => "{count} hours",
        RateLimitedTitle => "Please wait a moment",
        MailConfirmSubject => "Please confirm your signature: {title}",
        MailConfirmGreeting => "Hello {name},",
        MailConfirmBody => "Thank you for signing “{title}”. To confirm your signature, open this link and press the button on the page:",
        MailContactLink => "Confirm my letter",
        MailAlreadySubject => "You have already signed: {title}",
        MailAlreadyCounted => "Someone, probably you, tried to sign “{title}” again with this email address. Your signature is already counted. There is nothing more to do.",
        MailAlreadyHeld => "Someone, probably you, tried to sign “{title}” again with this email address. Your signature is being checked before it is counted. There is nothing more to do.",
        MailAlreadyLink => "See the petition",
        MailAlreadyIgnore => "If this was not you, you can ignore this email. Nothing has changed.",
        MailContactIgnore => "If you did not write this letter, ignore this email: without confirmation nothing is sent.",
        MailConfirmIgnore => "If you did not sign, ignore this email: without confirmation nothing is counted.",
    }
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
