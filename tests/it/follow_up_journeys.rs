//! After the letter, in Chromium at a phone's and a desktop's width: a Khmer writer
//! opens the follow-up link from their email, pastes the reply, saves, and the
//! responsiveness page reads well, with axe-core on each page.

use crate::helpers::browser::{Browser, VIEWPORTS};
use crate::helpers::contact::{letter_form, send_in, CONTACT};
use crate::helpers::follow_up;
use crate::helpers::smtp::{Mode, SmtpServer};

#[actix_web::test]
async fn a_khmer_writer_answers_from_the_email_and_reads_the_replies_page() {
    for viewport in VIEWPORTS {
        let smtp = SmtpServer::start(Mode::Accept).await;
        let app = follow_up::app(&smtp, "1s", "7d").await;
        let Some(browser) = Browser::start("follow-up journey", viewport).await else {
            return;
        };
        let (_, targets, _) = letter_form(&app, "FR").await;
        let sent = send_in(&app, "/km", "FR", &targets[..1], &[]).await;
        assert_eq!(sent.status(), 303);
        let confirm = smtp.wait_for(1).await.remove(0).link();
        assert_eq!(
            app.client.post(&confirm).send().await.unwrap().status(),
            303
        );
        // The letter, the writer's copy, then the follow-up.
        let mails = smtp.wait_for(4).await;
        let link = follow_up::answering(&follow_up::follow_up_text(&mails), "replied").remove(0);

        browser.open(&app.url(&link)).await;
        browser.check_accessibility("the follow-up page").await;
        browser.photograph("follow-up").await;
        browser
            .type_into(
                "textarea#reply",
                "សូមអរគុណ។ យើង\u{200B}នឹង\u{200B}ពិនិត្យ\u{200B}សំណើ\u{200B}របស់\u{200B}អ្នក។",
            )
            .await;
        browser.press("form button[type=submit]").await;
        // The answer saved: 303 back to the link, which says so.
        browser.see("រក្សា\u{200b}ទុក\u{200b}ហើយ").await;
        browser.check_accessibility("the saved answer").await;
        browser.photograph("follow-up-saved").await;

        browser
            .open(&app.url(&format!("/km/act/{CONTACT}/replies")))
            .await;
        browser.check_accessibility("the replies page").await;
        browser.photograph("replies").await;
        let total = browser.text_of("p#total").await;
        // WebDriver's text leaves out the zero-width spaces between Khmer words.
        let total = total.replace('\u{200b}', "");
        assert!(
            total.contains("ចម្លើយតិចពេក"),
            "one answer is too few: {total}"
        );
        browser.stop().await;
    }
}
