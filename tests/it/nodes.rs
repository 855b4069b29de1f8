//! Nodes sharing one PostgreSQL database: starting together on an empty database, they
//! migrate once and seed the demo once, and neither fails.

use diesel::prelude::*;

use crate::helpers::{require_postgres, TestDb};

#[test]
fn nodes_starting_together_on_an_empty_database_seed_the_demo_once_and_all_start() {
    let Some(admin_url) = require_postgres("nodes::nodes_starting_together") else {
        return;
    };
    for attempt in 0..3 {
        let db = TestDb::postgres(&admin_url);
        let key = clarion::config::SecretKey::generate().to_hex();
        let settings = |name: &str| match name {
            "CLARION_DATABASE_URL" => Some(db.url.clone()),
            "CLARION_DATA_DIR" => Some(db.dir.path().display().to_string()),
            "CLARION_SECRET_KEY" => Some(key.clone()),
            _ => None,
        };
        let config = clarion::config::Config::from_lookup(settings).unwrap();
        let barrier = std::sync::Barrier::new(3);
        let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
            let starts: Vec<_> = (0..3)
                .map(|_| {
                    let (config, barrier) = (config.clone(), &barrier);
                    scope.spawn(move || {
                        barrier.wait();
                        clarion::startup::open_database(&config)
                            .map(drop)
                            .map_err(|e| e.to_string())
                    })
                })
                .collect();
            starts.into_iter().map(|s| s.join().unwrap()).collect()
        });
        assert!(
            results.iter().all(Result::is_ok),
            "attempt {attempt}: {results:?}"
        );
        let url = clarion::config::DatabaseUrl::parse(&db.url).unwrap();
        let mut conn = clarion::db::connect_one(&url).unwrap();
        let campaigns: i64 = clarion::db::schema::campaigns::table
            .count()
            .get_result(&mut conn)
            .unwrap();
        assert_eq!(campaigns, 1, "attempt {attempt}: the demo once");
    }
}
