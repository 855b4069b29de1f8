-- An article's picture, shown under its title and as its share picture: kept in the
-- database (as the logo is) so that every node serves it, already scaled for phones
-- and stripped of metadata. Its alt text is required.
CREATE TABLE article_pictures (
    article_id TEXT PRIMARY KEY NOT NULL REFERENCES articles (id),
    bytes BYTEA NOT NULL,
    media_type TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    alt TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
