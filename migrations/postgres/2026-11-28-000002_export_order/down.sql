DROP INDEX signatures_by_time;
