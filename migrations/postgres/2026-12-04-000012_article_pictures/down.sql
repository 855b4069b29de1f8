DROP TABLE article_pictures;
