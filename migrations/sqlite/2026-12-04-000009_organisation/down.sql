DROP TABLE organisation;
