//! The two migration folders must describe one schema.

use std::collections::BTreeSet;

use clarion::config::DatabaseUrl;
use clarion::db::{connect_and_migrate, DbConnection};
use diesel::sql_types::{Integer, Text};
use diesel::{QueryableByName, RunQueryDsl as _};

use crate::helpers::{require_postgres, TestDb};

fn folder_names(backend: &str) -> BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect()
}

#[test]
fn both_migration_folders_hold_the_same_migration_names() {
    let sqlite = folder_names("sqlite");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, folder_names("postgres"));
}

/// (table, column, type, nullable), with each backend's type names made comparable.
type Column = (String, String, String, bool);

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    #[diesel(column_name = "type")]
    declared: String,
    #[diesel(sql_type = Integer)]
    notnull: i32,
}

#[derive(QueryableByName)]
struct TableName {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
}

fn columns(conn: &mut DbConnection) -> BTreeSet<Column> {
    match conn {
        DbConnection::Sqlite(c) => {
            let tables: Vec<TableName> = diesel::sql_query(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> '__diesel_schema_migrations'",
            )
            .load(c)
            .unwrap();
            let mut all = BTreeSet::new();
            for table in tables {
                let cols: Vec<SqliteColumn> =
                    diesel::sql_query(format!("PRAGMA table_info({})", table.name))
                        .load(c)
                        .unwrap();
                for col in cols {
                    all.insert((
                        table.name.clone(),
                        col.name,
                        col.declared.to_lowercase(),
                        col.notnull == 0,
                    ));
                }
            }
            all
        }
        DbConnection::Postgresql(c) => {
            let cols: Vec<PgColumn> = diesel::sql_query(
                "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
                 FROM information_schema.columns WHERE table_schema = 'public' \
                 AND table_name <> '__diesel_schema_migrations'",
            )
            .load(c)
            .unwrap();
            cols.into_iter()
                .map(|col| {
                    let kind = match col.data_type.as_str() {
                        "timestamp without time zone" => "timestamp".to_string(),
                        other => other.to_string(),
                    };
                    (
                        col.table_name,
                        col.column_name,
                        kind,
                        col.is_nullable == "YES",
                    )
                })
                .collect()
        }
    }
}

#[test]
fn both_backends_migrate_to_the_same_tables_and_columns() {
    let Some(admin) = require_postgres("both_backends_migrate_to_the_same_tables_and_columns")
    else {
        return;
    };
    let (sqlite, postgres) = (TestDb::sqlite(), TestDb::postgres(&admin));
    let mut found = Vec::new();
    for db in [&sqlite, &postgres] {
        let pool = connect_and_migrate(&DatabaseUrl::parse(&db.url).unwrap()).unwrap();
        found.push(columns(&mut pool.get().unwrap()));
    }
    assert!(
        found[0].len() > 100,
        "the whole schema: {} columns",
        found[0].len()
    );
    let only_sqlite: Vec<_> = found[0].difference(&found[1]).collect();
    let only_postgres: Vec<_> = found[1].difference(&found[0]).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "SQLite only: {only_sqlite:?}\nPostgreSQL only: {only_postgres:?}"
    );
}
