"""TRUNCATE bypasses row triggers: a statement-level trigger refuses it too, for every database
user. Only a session that sets ``zhengban.allow_audit_truncate = on`` may truncate: the test
runner does (Django's test flush truncates every table). Any role can set such a setting, so
this guards against mistakes, not against a hostile owner: the real protection is to run the
application as a role that does not own the tables and has neither TRUNCATE, UPDATE nor DELETE
on the audit table (``manage.py create_app_role``), so it can neither truncate nor disable a
trigger."""

from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION office_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('zhengban.allow_audit_truncate', true), '') = 'on' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'office_auditevent is append-only: TRUNCATE refused'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER office_auditevent_no_truncate
    BEFORE TRUNCATE ON office_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION office_audit_no_truncate();
"""

REVERSE = """
DROP TRIGGER IF EXISTS office_auditevent_no_truncate ON office_auditevent;
DROP FUNCTION IF EXISTS office_audit_no_truncate();
"""


class Migration(migrations.Migration):
    dependencies = [("office", "0007_security_accounts")]
    operations = [migrations.RunSQL(SQL, REVERSE)]
