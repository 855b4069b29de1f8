//! The organisation, not Clarion: admins set its identity and logo, and every public page,
//! form and the feed show it; "Clarion" stays only as "Powered by Clarion".

use base64::Engine as _;
use reqwest::multipart::{Form, Part};

use crate::helpers::{add_staff, attrs, csrf, html, logged_in, texts, TestApp, PETITION};

/// A 4×2 JPEG and PNG, made with Pillow and kept here as text.
const JPEG: &str = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAACAAQDASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDgKKKK+eP2E//Z";
const PNG: &str = "iVBORw0KGgoAAAANSUhEUgAAAAQAAAACCAIAAADwyuo0AAAAEklEQVR4nGOUkzvBAANMDEgAABgEAQh/6tBnAAAAAElFTkSuQmCC";

fn decoded(b64: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap()
}

/// The JPEG with an EXIF block, as a phone writes one, holding where it was taken.
fn jpeg_with_gps() -> Vec<u8> {
    let jpeg = decoded(JPEG);
    let mut exif = b"Exif\0\0MM\0*\0\0\0\x08".to_vec();
    exif.extend_from_slice(b"GPSLatitude 11.5564N GPSLongitude 104.9282E");
    let length = (exif.len() + 2) as u16;
    let mut with = jpeg[..2].to_vec(); // SOI
    with.extend_from_slice(&[0xFF, 0xE1]);
    with.extend_from_slice(&length.to_be_bytes());
    with.extend_from_slice(&exif);
    with.extend_from_slice(&jpeg[2..]);
    with
}

/// The form with every text field, `changed` ones as given.
fn identity(token: &str, name: &str, changed: &[(&str, &str)]) -> Form {
    let fields = [
        ("name", name),
        (
            "description",
            "We stand with Cambodia's political prisoners.",
        ),
        ("logo_alt", "A lotus in a circle"),
        ("sender_name", "Khmer Voices Europe"),
        ("sender_email", "news@khmervoices.example"),
        ("controller_name", "Khmer Voices Europe e.V."),
        (
            "controller_address",
            "Musterstraße 1, 10115 Berlin, Germany",
        ),
        ("contact_email", "privacy@khmervoices.example"),
        ("legal_url", "https://khmervoices.example/legal"),
    ];
    let mut form = Form::new().text("csrf", token.to_string());
    for (field, value) in fields {
        let value = changed
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(value, |(_, v)| v);
        form = form.text(field, value.to_string());
    }
    form
}

#[actix_web::test]
async fn the_demo_names_a_demo_organisation_and_clarion_only_powers_it() {
    let app = TestApp::spawn().await;
    let raw = app.get_text("/", 200).await;
    let home = html(&raw);
    assert_eq!(
        texts(&home, "title"),
        ["Home – Cambodia Solidarity Europe (demo)"]
    );
    assert!(texts(&home, ".site-name")[0].contains("(demo)"));
    let footer = texts(&home, "footer").join(" ");
    assert!(footer.contains("Powered by Clarion"), "{footer}");
    assert!(
        footer.contains("Cambodia Solidarity Europe (demo), a made-up association is responsible"),
        "{footer}"
    );
    // "Clarion" appears nowhere else on the page.
    let outside_footer = raw.replace("Powered by Clarion", "");
    let visible = texts(&html(&outside_footer), "body").join(" ");
    assert!(!visible.contains("Clarion"), "{visible}");

    let petition = html(&app.get_text(&format!("/petitions/{PETITION}"), 200).await);
    assert_eq!(
        attrs(&petition, "form.sign-form .controller-line a", "href"),
        ["https://example.org/legal-notice"],
        "the form names who holds the data and links the legal notice"
    );
    let feed = app.get_text("/feed.atom", 200).await;
    assert!(feed.contains("<title>Cambodia Solidarity Europe (demo)</title>"));
}

#[actix_web::test]
async fn an_admin_sets_the_name_and_logo_and_every_page_shows_them_without_the_photo_s_place() {
    let app = TestApp::spawn().await;
    add_staff(&app, "admin@example.org", "admin");
    let admin = logged_in(&app, "admin@example.org").await;
    let token = csrf(&app, &admin).await;
    let dashboard = admin.get(app.url("/admin")).send().await.unwrap();
    let dashboard = dashboard.text().await.unwrap();
    assert!(
        dashboard.contains("Supporters do not yet see: a logo"),
        "{dashboard}"
    );

    let logo = Part::bytes(jpeg_with_gps()).file_name("photo.jpg");
    let saved = admin
        .post(app.url("/admin/organisation"))
        .multipart(identity(&token, "Khmer Voices <Europe>", &[]).part("logo", logo))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let home = html(&app.get_text("/", 200).await);
    assert_eq!(texts(&home, ".site-name"), ["Khmer Voices <Europe>"]);
    let src = attrs(&home, ".site-name img", "src").remove(0);
    assert_eq!(
        attrs(&home, ".site-name img", "alt"),
        ["A lotus in a circle"]
    );
    let served = app.get(&src).await;
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    let served = served.bytes().await.unwrap();
    assert!(served.starts_with(&[0xFF, 0xD8]), "still a JPEG");
    let text = String::from_utf8_lossy(&served);
    assert!(
        !text.contains("GPSLatitude") && !text.contains("Exif"),
        "EXIF removed"
    );
    let article = html(
        &app.get_text("/articles/european-parliament-resolution-on-cambodia", 200)
            .await,
    );
    assert_eq!(
        attrs(&article, "meta[property=\"og:image\"]", "content"),
        [format!("{}{src}", app.address)],
        "the logo is the share picture"
    );

    // A form sent with an empty file keeps the logo; a new name shows at once.
    let empty = Part::bytes(Vec::new()).file_name("");
    let again = admin
        .post(app.url("/admin/organisation"))
        .multipart(identity(&token, "Khmer Voices Europe", &[]).part("logo", empty))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 303);
    let home = html(&app.get_text("/", 200).await);
    assert_eq!(attrs(&home, ".site-name img", "src"), [src]);
    assert_eq!(texts(&home, "title"), ["Home – Khmer Voices Europe"]);
    let dashboard = admin.get(app.url("/admin")).send().await.unwrap();
    assert!(!dashboard.text().await.unwrap().contains("not fully set up"));
}

#[actix_web::test]
async fn hostile_logos_and_fields_are_refused_with_a_message_and_nothing_changes() {
    let app = TestApp::spawn().await;
    add_staff(&app, "admin@example.org", "admin");
    let admin = logged_in(&app, "admin@example.org").await;
    let token = csrf(&app, &admin).await;
    let svg = b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>".to_vec();
    let cases: Vec<(Form, &str)> = vec![
        (
            identity(&token, "Fine", &[]).part("logo", Part::bytes(svg).file_name("logo.svg")),
            "Choose a PNG, JPEG or WebP image",
        ),
        (
            identity(&token, "Fine", &[]).part(
                "logo",
                Part::bytes(b"GIF89a not really".to_vec()).file_name("a.png"),
            ),
            "Choose a PNG, JPEG or WebP image",
        ),
        (
            identity(&token, "Fine", &[]).part(
                "logo",
                Part::bytes(decoded(PNG)[..30].to_vec()).file_name("cut.png"),
            ),
            "Choose a PNG, JPEG or WebP image",
        ),
        (identity(&token, "", &[]), "Enter the organisation's name"),
        (
            identity(&token, "Fine", &[("legal_url", "javascript:alert(1)")]),
            "Enter a web address starting with https://",
        ),
        (
            identity(&token, "Fine", &[("sender_name", "Evil <x@evil.example>")]),
            "The sender's name must not contain",
        ),
    ];
    for (form, message) in cases {
        let refused = admin
            .post(app.url("/admin/organisation"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), 422, "{message}");
        let page = html(&refused.text().await.unwrap());
        let said = texts(&page, ".error-summary li").join(" ");
        assert!(said.contains(message), "{said}");
    }
    // Too big for a logo: 413, before any of it is read as an image.
    let huge = Part::bytes(vec![0u8; 2 * 1024 * 1024]).file_name("huge.png");
    let refused = admin
        .post(app.url("/admin/organisation"))
        .multipart(identity(&token, "Fine", &[]).part("logo", huge))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 413);
    let home = html(&app.get_text("/", 200).await);
    assert_eq!(
        texts(&home, ".site-name"),
        ["Cambodia Solidarity Europe (demo)"],
        "nothing changed"
    );
    assert_eq!(app.get("/organisation/logo").await.status().as_u16(), 404);

    // Campaigners cannot change it.
    add_staff(&app, "campaigner@example.org", "campaigner");
    let campaigner = logged_in(&app, "campaigner@example.org").await;
    let page = campaigner
        .get(app.url("/admin/organisation"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 403);
}

#[actix_web::test]
async fn supporters_emails_come_from_the_organisation_and_are_signed_by_it() {
    let (app, smtp) = crate::helpers::app_with_smtp(crate::helpers::smtp::Mode::Accept).await;
    add_staff(&app, "admin@example.org", "admin");
    let admin = logged_in(&app, "admin@example.org").await;
    let token = csrf(&app, &admin).await;
    let saved = admin
        .post(app.url("/admin/organisation"))
        .multipart(identity(&token, "Khmer Voices Europe", &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let signed = app
        .sign(PETITION, &crate::helpers::supporter("dara@example.org"))
        .await;
    assert_eq!(signed.status(), 303);
    let mail = smtp.wait_for(1).await.remove(0);
    let parsed = mail.parsed();
    let from = parsed.from().and_then(|f| f.first()).expect("a From");
    assert_eq!(
        (from.name(), from.address()),
        (
            Some("Khmer Voices Europe"),
            Some("news@khmervoices.example")
        )
    );
    assert!(
        mail.text().trim_end().ends_with("Khmer Voices Europe"),
        "{}",
        mail.text()
    );
}

#[actix_web::test]
async fn in_a_browser_an_admin_uploads_the_logo_and_the_phone_page_shows_it() {
    for viewport in crate::helpers::browser::VIEWPORTS {
        let app = TestApp::spawn().await;
        let Some(browser) = crate::helpers::browser::Browser::start("organisation", viewport).await
        else {
            return;
        };
        add_staff(&app, "admin@example.org", "admin");
        crate::helpers::log_in(&app, &browser, "admin@example.org", false).await;
        browser.see("Supporters do not yet see: a logo").await;
        browser.open(&app.url("/admin/organisation")).await;
        browser.check_accessibility("the organisation form").await;
        let logo = app.db.dir.path().join("logo.png");
        std::fs::write(&logo, decoded(PNG)).unwrap();
        browser
            .type_into("input[name=name]", "Khmer Voices Europe")
            .await;
        browser
            .type_into("input[name=logo_alt]", "A lotus in a circle")
            .await;
        browser
            .field("input[name=logo]")
            .await
            .send_keys(&logo.display().to_string())
            .await
            .expect("the file is chosen");
        browser.press("main form button[type=submit]").await;
        browser.arrive_at("/admin/organisation").await;
        browser.see("Saved").await;
        browser.photograph("organisation-saved").await;

        browser.open(&app.url("/")).await;
        browser
            .check_accessibility("the home page with a logo")
            .await;
        assert_eq!(browser.text_of(".site-name").await, "Khmer Voices Europe");
        browser.field(".site-name img").await;
        let width = browser
            .client
            .execute(
                "return document.querySelector('.site-name img').naturalWidth;",
                vec![],
            )
            .await
            .expect("the script runs");
        assert_eq!(width, serde_json::json!(4), "the browser loaded the logo");
        browser.photograph("organisation-home").await;
        browser.stop().await;
    }
}
