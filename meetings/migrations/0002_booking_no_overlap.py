"""Two active bookings of one room never overlap, enforced by the database.

PostgreSQL's usual answer (an exclusion constraint ``EXCLUDE USING gist (room_id WITH =, tstzrange
WITH &&)``) needs the ``btree_gist`` extension, which the embedded PostgreSQL does not ship. So a
constraint trigger in plpgsql does the same job: after a booking row is inserted or changed, it
takes a transaction-scoped advisory lock on the room (two-key form: the table's hash and the
room id), then looks for another active booking of that room whose interval [starts_at,
ends_at) meets the new one, and raises ``exclusion_violation`` (SQLSTATE 23P01, an
IntegrityError to Django) when it finds one.

Why it holds under concurrency: two transactions booking the same room serialise on the
advisory lock, which is held until commit; under READ COMMITTED each statement in a plpgsql
function takes a new snapshot, so the second transaction's check runs after the first has
committed and sees its row. Cancelled bookings are ignored (``status = 'active'`` only).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION meetings_booking_no_overlap() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    other bigint;
BEGIN
    IF NEW.status <> 'active' THEN
        RETURN NULL;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('meetings_roombooking'), NEW.room_id::integer);
    SELECT id INTO other FROM meetings_roombooking
     WHERE room_id = NEW.room_id AND status = 'active' AND id <> NEW.id
       AND starts_at < NEW.ends_at AND ends_at > NEW.starts_at
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'room % is already booked at that time (booking %)', NEW.room_id, other
            USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'meetings_booking_no_overlap',
                  DETAIL = other::text;
    END IF;
    RETURN NULL;
END
$$;
CREATE CONSTRAINT TRIGGER meetings_booking_no_overlap
    AFTER INSERT OR UPDATE OF room_id, starts_at, ends_at, status ON meetings_roombooking
    FOR EACH ROW EXECUTE FUNCTION meetings_booking_no_overlap();
"""

REVERSE = """
DROP TRIGGER IF EXISTS meetings_booking_no_overlap ON meetings_roombooking;
DROP FUNCTION IF EXISTS meetings_booking_no_overlap();
"""


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunSQL(FUNCTION, REVERSE)]
