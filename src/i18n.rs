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
    Signatures,
    LettersSent,
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
        Signatures => "{count} signatures",
        LettersSent => "{count} letters sent",
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
    }
}

/// The text of `msg` with each `{name}` placeholder replaced by its value.
pub fn t_with(msg: Msg, args: &[(&str, &str)]) -> String {
    args.iter().fold(t(msg).to_string(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
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
