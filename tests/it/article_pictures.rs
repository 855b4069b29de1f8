//! Articles take a picture: uploaded by staff with required alt text, scaled for phones,
//! stripped of where the photo was taken, shown under the title and as the share picture.

use std::io::Cursor;

use clarion::db::schema::{article_pictures, articles};
use diesel::prelude::*;
use img_parts::ImageEXIF as _;
use reqwest::multipart::{Form, Part};

use crate::helpers::{
    add_staff, after_copies_expire, attrs, csrf, html, logged_in, texts, TestApp, ARTICLE,
};

/// A photo as a phone takes it: 2400 × 1600 pixels, with an EXIF block saying where.
fn phone_photo() -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::DynamicImage::new_rgb8(2400, 1600)
        .write_to(&mut Cursor::new(&mut jpeg), image::ImageFormat::Jpeg)
        .unwrap();
    let mut photo = img_parts::jpeg::Jpeg::from_bytes(jpeg.into()).unwrap();
    let mut exif = b"MM\0*\0\0\0\x08".to_vec();
    exif.extend_from_slice(b"GPSLatitude 11.5564N GPSLongitude 104.9282E");
    photo.set_exif(Some(exif.into()));
    photo.encoder().bytes().to_vec()
}

fn article_id(app: &TestApp) -> String {
    let slug = ARTICLE.trim_start_matches("/articles/");
    articles::table
        .filter(articles::slug.eq(slug))
        .select(articles::id)
        .first(&mut app.conn())
        .unwrap()
}

struct Staff {
    client: reqwest::Client,
    token: String,
    path: String,
}

impl Staff {
    async fn upload(&self, app: &TestApp, file: Vec<u8>, name: &str, alt: &str) -> (u16, String) {
        let form = Form::new()
            .text("csrf", self.token.clone())
            .text("picture_alt", alt.to_string())
            .part("picture", Part::bytes(file).file_name(name.to_string()));
        let response = self
            .client
            .post(app.url(&self.path))
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }
}

async fn staff(app: &TestApp) -> Staff {
    add_staff(app, "staff@example.org", "campaigner");
    let client = logged_in(app, "staff@example.org").await;
    let token = csrf(app, &client).await;
    let path = format!("/admin/articles/{}/picture", article_id(app));
    Staff {
        client,
        token,
        path,
    }
}

#[actix_web::test]
async fn a_picture_with_alt_text_shows_in_the_article_and_as_its_share_picture() {
    let app = TestApp::spawn().await;
    let staff = staff(&app).await;
    let alt = "MEPs in the plenary <hall> in Strasbourg";
    let (status, _) = staff.upload(&app, phone_photo(), "IMG_2041.jpg", alt).await;
    assert_eq!(status, 303);

    let page = html(&app.get_text(ARTICLE, 200).await);
    assert_eq!(attrs(&page, "figure.picture img", "alt"), [alt]);
    assert_eq!(attrs(&page, "figure.picture img", "width"), ["1200"]);
    assert_eq!(attrs(&page, "figure.picture img", "height"), ["800"]);
    let src = attrs(&page, "figure.picture img", "src").remove(0);
    assert_eq!(
        attrs(&page, "meta[property=\"og:image\"]", "content"),
        [format!("{}{src}", app.address)]
    );
    assert_eq!(
        attrs(&page, "meta[property=\"og:image:alt\"]", "content"),
        [alt]
    );
    assert_eq!(
        attrs(&page, "meta[property=\"og:image:width\"]", "content"),
        ["1200"]
    );
    assert_eq!(
        attrs(&page, "meta[name=\"twitter:card\"]", "content"),
        ["summary_large_image"]
    );

    let served = app.get(&src).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/jpeg");
    let served = served.bytes().await.unwrap();
    let decoded = image::load_from_memory(&served).unwrap();
    assert_eq!(
        (decoded.width(), decoded.height()),
        (1200, 800),
        "sized for phones"
    );
    let jpeg = img_parts::jpeg::Jpeg::from_bytes(served.clone()).unwrap();
    assert!(jpeg.exif().is_none(), "no EXIF");
    assert!(!String::from_utf8_lossy(&served).contains("GPSLatitude"));

    // An empty file keeps the picture and changes its description.
    let (status, _) = staff.upload(&app, Vec::new(), "", "The plenary hall").await;
    assert_eq!(status, 303);
    let stored: Vec<(String, i32)> = article_pictures::table
        .select((article_pictures::alt, article_pictures::width))
        .load(&mut app.conn())
        .unwrap();
    assert_eq!(stored, [("The plenary hall".to_string(), 1200)]);

    // Removed: no picture, and the share card falls back.
    let removed = staff
        .client
        .post(app.url(&format!("{}/remove", staff.path)))
        .form(&[("csrf", staff.token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(removed.status(), 303);
    after_copies_expire().await;
    let page = html(&app.get_text(ARTICLE, 200).await);
    assert!(attrs(&page, "figure.picture img", "src").is_empty());
    assert_eq!(
        attrs(&page, "meta[name=\"twitter:card\"]", "content"),
        ["summary"]
    );
    assert_eq!(app.get(&src).await.status(), 404);
}

#[actix_web::test]
async fn hostile_files_and_missing_alt_text_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let staff = staff(&app).await;
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    let mut claims_huge = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    claims_huge.extend_from_slice(&100_000u32.to_be_bytes());
    claims_huge.extend_from_slice(&100_000u32.to_be_bytes());
    claims_huge.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    let cases: Vec<(Vec<u8>, &str, &str, &str)> = vec![
        (
            phone_photo(),
            "a.jpg",
            "",
            "Enter a description of the picture",
        ),
        (
            phone_photo(),
            "a.jpg",
            "   ",
            "Enter a description of the picture",
        ),
        (
            svg.to_vec(),
            "a.svg",
            "A drawing",
            "Choose a PNG, JPEG or WebP picture",
        ),
        (
            b"GIF89a".to_vec(),
            "a.gif",
            "A gif",
            "Choose a PNG, JPEG or WebP picture",
        ),
        (
            b"hello".to_vec(),
            "a.jpg",
            "Text",
            "Choose a PNG, JPEG or WebP picture",
        ),
        (
            claims_huge,
            "bomb.png",
            "A bomb",
            "Choose a PNG, JPEG or WebP picture",
        ),
        (Vec::new(), "", "Nothing yet", "Choose a picture file"),
    ];
    for (file, name, alt, message) in cases {
        let (status, body) = staff.upload(&app, file, name, alt).await;
        assert_eq!(status, 422, "{name} {alt:?}");
        let page = html(&body);
        assert!(
            texts(&page, "#picture .error-summary li").contains(&message.to_string()),
            "{name}: {:?}",
            texts(&page, "#picture .error-summary li")
        );
    }
    let too_big = vec![0xFF; 13 * 1024 * 1024];
    assert_eq!(staff.upload(&app, too_big, "big.jpg", "Big").await.0, 413);
    let stored: i64 = article_pictures::table
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    assert_eq!(stored, 0);

    // A draft's picture is for staff only.
    let (status, _) = staff.upload(&app, phone_photo(), "a.jpg", "A photo").await;
    assert_eq!(status, 303);
    diesel::update(articles::table)
        .set(articles::status.eq("draft"))
        .execute(&mut app.conn())
        .unwrap();
    let slug = ARTICLE.trim_start_matches("/articles/");
    assert_eq!(
        app.get(&format!("/articles/{slug}/picture")).await.status(),
        404
    );
    let for_staff = staff.client.get(app.url(&staff.path)).send().await.unwrap();
    assert_eq!(for_staff.status(), 200);
}

#[actix_web::test]
async fn in_a_browser_staff_add_a_picture_that_the_article_shows_at_both_sizes() {
    for viewport in crate::helpers::browser::VIEWPORTS {
        let app = TestApp::spawn().await;
        let Some(browser) = crate::helpers::browser::Browser::start("pictures", viewport).await
        else {
            return;
        };
        add_staff(&app, "staff@example.org", "campaigner");
        crate::helpers::log_in(&app, &browser, "staff@example.org", false).await;
        // A landscape photo with something in it: a sky over a field.
        let photo = image::RgbImage::from_fn(1800, 1200, |_, y| {
            if y < 700 {
                image::Rgb([120, 170, 230])
            } else {
                image::Rgb([70, 140, 60])
            }
        });
        let path = app.db.dir.path().join("plenary.jpg");
        photo.save(&path).unwrap();
        browser
            .open(&app.url(&format!("/admin/articles/{}", article_id(&app))))
            .await;
        browser
            .type_into("#picture_alt", "A green field under a blue sky")
            .await;
        browser
            .field("input[name=picture]")
            .await
            .send_keys(&path.display().to_string())
            .await
            .expect("the file is chosen");
        browser.press("#picture button[type=submit]").await;
        browser.see("Saved").await;
        browser.show("#picture").await;
        browser
            .check_accessibility("the article form with a picture")
            .await;
        browser.photograph("admin-article-picture").await;

        browser.open(&app.url(ARTICLE)).await;
        browser.field("figure.picture img").await;
        let size = browser
            .client
            .execute(
                "const i = document.querySelector('figure.picture img');
                 return [i.naturalWidth, i.clientWidth <= document.documentElement.clientWidth];",
                vec![],
            )
            .await
            .expect("the script runs");
        assert_eq!(
            size,
            serde_json::json!([1200, true]),
            "loaded, and fits the screen"
        );
        browser
            .check_accessibility("an article with a picture")
            .await;
        browser.photograph("article-picture").await;
        browser.stop().await;
    }
}
