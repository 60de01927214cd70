"""The audit trail is append-only in the database itself: a trigger refuses UPDATE and DELETE
for every database user, the application's included. Purging records older than the retention
period is a database-administrator operation documented in the README."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION office_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'office_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER office_auditevent_no_update_delete
    BEFORE UPDATE OR DELETE ON office_auditevent
    FOR EACH ROW EXECUTE FUNCTION office_audit_append_only();
"""

REVERSE = """
DROP TRIGGER IF EXISTS office_auditevent_no_update_delete ON office_auditevent;
DROP FUNCTION IF EXISTS office_audit_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("office", "0001_initial")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
