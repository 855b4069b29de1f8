//! The embed (issue 27): framed only by its partner's registered origins, the form alone,
//! and every answer of the sign route staying inside the frame; the script partners paste.

use crate::helpers::{attrs, html, supporter, texts, TestApp, PETITION};
use crate::partners::add_partner;

#[actix_web::test]
async fn the_embed_is_framed_only_by_its_partners_origins_and_answers_inside_the_frame() {
    let app = TestApp::spawn().await;
    add_partner(&app, "union", "https://union.example");
    let embed = app
        .get(&format!("/fr/embed/petitions/{PETITION}?partner=union"))
        .await;
    assert_eq!(embed.status(), 200);
    let policy = embed.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        policy.contains("frame-ancestors https://union.example;"),
        "{policy}"
    );
    assert!(!embed.headers().contains_key("x-frame-options"));
    let page = html(&embed.text().await.unwrap());
    assert!(
        texts(&page, "header.site-header").is_empty(),
        "the form alone"
    );
    assert_eq!(
        attrs(&page, "form.sign-form", "action"),
        [format!("/fr/petitions/{PETITION}/sign")]
    );
    assert_eq!(attrs(&page, "input[name=embed]", "value"), ["1"]);
    assert_eq!(attrs(&page, "input[name=partner]", "value"), ["union"]);

    // Without a registered partner, or with a hostile one, nobody may frame it.
    for query in [
        "",
        "?partner=nobody",
        "?partner=%3Cscript%3E",
        "?partner=union%0d%0aX:1",
    ] {
        let page = app
            .get(&format!("/embed/petitions/{PETITION}{query}"))
            .await;
        assert_eq!(page.status(), 200, "{query}");
        let policy = page.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .to_string();
        assert!(
            policy.contains("frame-ancestors 'none'"),
            "{query}: {policy}"
        );
        assert_eq!(page.headers()["x-frame-options"], "DENY");
        assert!(!page.text().await.unwrap().contains("<script>"));
    }
    // Every other page still refuses to be framed.
    let petition = app
        .get(&format!("/petitions/{PETITION}?partner=union"))
        .await;
    assert_eq!(petition.headers()["x-frame-options"], "DENY");
    assert!(petition.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors 'none'"));
    assert_eq!(
        app.get("/embed/petitions/no-such-petition").await.status(),
        404
    );

    // Signed inside the frame: every answer stays in it, framed by the partner alone.
    let mut fields: Vec<(&str, &str)> = vec![("embed", "1"), ("partner", "union")];
    fields.extend(supporter("framed@example.org"));
    let sent = app.sign_in("/fr", PETITION, &fields).await;
    assert_eq!(sent.status(), 303);
    let location = sent.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(
        location,
        format!("/fr/embed/petitions/{PETITION}/check-your-email?partner=union")
    );
    let after = app.get(&location).await;
    assert!(after.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors https://union.example"));
    let mut wrong: Vec<(&str, &str)> = vec![("embed", "1"), ("partner", "union")];
    wrong.extend(supporter(""));
    let refused = app.sign_in("/fr", PETITION, &wrong).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-ancestors https://union.example"));
    let refused = html(&refused.text().await.unwrap());
    assert!(texts(&refused, "header.site-header").is_empty());
    assert_eq!(texts(&refused, ".error-summary").len(), 1);

    // The script partners paste.
    let script = app.get("/embed.js").await;
    assert_eq!(script.status(), 200);
    assert!(script.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/javascript"));
    assert!(script.text().await.unwrap().contains("/embed/petitions/"));
}
