//! Importing target lists, including the real list of MEPs when ../shared is present.

use clarion::db::targets;
use clarion::domain::target_csv;

use crate::helpers::{say, TestApp};

fn shared(name: &str) -> Option<String> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(name);
    let text = std::fs::read_to_string(&path).ok();
    if text.is_none() {
        say(&format!(
            "SKIPPED part of a target-list test: {} is not present",
            path.display()
        ));
    }
    text
}

#[actix_web::test]
async fn the_real_mep_list_imports_once_with_one_target_per_seat() {
    let (Some(meps), Some(states)) = (shared("meps.csv"), shared("eu_member_states.csv")) else {
        return;
    };
    let app = TestApp::builder().set("CLARION_DEMO", "0").spawn().await;
    let rows = target_csv::parse(meps.as_bytes()).expect("the MEP list is valid");
    assert_eq!(rows.len(), 719);
    let report = targets::import(&mut app.conn(), "MEPs", &rows).unwrap();
    assert_eq!(report.added, 719);
    let counts = targets::per_country(&mut app.conn(), "MEPs").unwrap();
    for line in states.lines().skip(1).filter(|l| !l.is_empty()) {
        let cols: Vec<&str> = line.split(',').collect();
        let seats: i64 = cols[2].parse().unwrap();
        let found = counts
            .iter()
            .find(|(c, _)| c == cols[0])
            .map_or(0, |(_, n)| *n);
        let expected = if cols[0] == "ES" { seats - 1 } else { seats };
        assert_eq!(found, expected, "{} ({})", cols[1], cols[0]);
    }
    let again = targets::import(&mut app.conn(), "MEPs", &rows).unwrap();
    assert_eq!(
        again,
        targets::ImportReport {
            unchanged: 719,
            ..Default::default()
        }
    );

    // One bad row anywhere rejects the whole file, naming its line.
    let mut lines: Vec<&str> = meps.lines().collect();
    lines.insert(500, "999999,Bad,ROW,ZZ,Nowhere,,,not-an-email,");
    let errors = target_csv::parse(lines.join("\n").as_bytes())
        .unwrap_err()
        .0;
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("line 501:") && e.contains("'ZZ'")),
        "{errors:?}"
    );
    assert_eq!(
        targets::per_country(&mut app.conn(), "MEPs").unwrap(),
        counts,
        "nothing changed"
    );
}

#[actix_web::test]
async fn a_reimport_updates_by_id_and_retires_targets_no_longer_listed() {
    let app = TestApp::builder().set("CLARION_DEMO", "0").spawn().await;
    let header = "external_id,name,role,country_code,political_group,party,email,constituency\n";
    let first = format!("{header}a,Ann,,FR,,,ann@example.org,\nb,Bob,,FR,,,bob@example.org,\n");
    let second =
        format!("{header}a,Ann Changed,,FR,,,ann@example.org,\nc,Cy,,FR,,,cy@example.org,\n");
    targets::import(
        &mut app.conn(),
        "L",
        &target_csv::parse(first.as_bytes()).unwrap(),
    )
    .unwrap();
    let report = targets::import(
        &mut app.conn(),
        "L",
        &target_csv::parse(second.as_bytes()).unwrap(),
    )
    .unwrap();
    assert_eq!(
        report,
        targets::ImportReport {
            added: 1,
            changed: 1,
            unchanged: 0,
            retired: 1
        }
    );
    assert_eq!(
        targets::per_country(&mut app.conn(), "L").unwrap(),
        [("FR".to_string(), 2)]
    );
}
