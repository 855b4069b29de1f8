DROP TABLE data_links;
