-- Every query by status now names its lane (`mailing_id IS [NOT] NULL`) and reaches
-- that lane's partial index, `outbox_due_mail` or `outbox_due_mailings`. The index on
-- status alone only cost each queued email an entry, and each status change another.
DROP INDEX outbox_due;
