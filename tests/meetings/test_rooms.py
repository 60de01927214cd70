"""Rooms: an overlapping booking of the same room is refused by the database, also when two people
book at the same moment; cancelled bookings and refused attempts never block the room."""

import datetime as dt
import threading

import pytest
from django.db import IntegrityError, connection, transaction

from meetings import workflow
from meetings.models import Meeting, RoomBooking
from office.workflow import WorkflowError
from tests.meetings.conftest import in_days

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("start", "end", "free"), [
    ((9, 0), (11, 30), False),  # the same time
    ((10, 0), (10, 30), False),  # inside
    ((8, 0), (9, 1), False),  # overlaps the start by a minute
    ((11, 29), (12, 0), False),  # overlaps the end by a minute
    ((7, 0), (13, 0), False),  # around it
    ((7, 0), (9, 0), True),  # ends as it starts
    ((11, 30), (12, 30), True),  # starts as it ends
])
def test_an_overlapping_booking_of_the_same_room_is_refused(mp, new_meeting, start, end, free):
    new_meeting(start=in_days(10, 9), minutes=150)
    day = in_days(10, 0)
    s = day.replace(hour=start[0], minute=start[1])
    e = day.replace(hour=end[0], minute=end[1])
    if free:
        other = new_meeting(start=s, minutes=int((e - s).total_seconds() // 60), title="另一个会议")
        assert other.bookings.get().status == RoomBooking.Status.ACTIVE
    else:
        with pytest.raises(WorkflowError) as exc:
            new_meeting(start=s, minutes=int((e - s).total_seconds() // 60), title="另一个会议")
        assert exc.value.code == "room_taken"
        assert "县政府第12次常务会议" in exc.value.message
        assert Meeting.objects.count() == 1 and RoomBooking.objects.count() == 1


def test_another_room_at_the_same_time_is_fine(mp, new_meeting):
    new_meeting(start=in_days(10, 9))
    other = new_meeting(start=in_days(10, 9), room=mp.room2, title="专题会议")
    assert other.bookings.get().room == mp.room2


def test_the_database_refuses_an_overlap_whatever_the_code_does(mp, new_meeting):
    first = new_meeting(start=in_days(10, 9))
    second = new_meeting(start=in_days(11, 9), title="另一个会议")
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomBooking.objects.filter(meeting=second).update(starts_at=first.starts_at, ends_at=first.ends_at)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoomBooking.objects.create(room=mp.room, meeting=second, starts_at=first.starts_at + dt.timedelta(minutes=30),
                                   ends_at=first.ends_at, created_by=mp.organiser, status="active")


def test_a_cancelled_meeting_frees_its_room(mp, new_meeting):
    first = new_meeting(start=in_days(10, 9))
    workflow.cancel(meeting=first, acting_user=mp.organiser, reason="改期")
    assert first.bookings.get().status == RoomBooking.Status.CANCELLED
    again = new_meeting(start=in_days(10, 9), title="改期后的会议")
    assert again.bookings.get().status == RoomBooking.Status.ACTIVE
    # the cancelled booking stays on record and blocks nothing, even brought back by hand
    assert RoomBooking.objects.filter(room=mp.room).count() == 2


def test_a_refused_booking_leaves_nothing_that_blocks(mp, new_meeting):
    new_meeting(start=in_days(10, 9))
    with pytest.raises(WorkflowError):
        new_meeting(start=in_days(10, 10), title="被拒绝的会议")
    assert RoomBooking.objects.count() == 1
    assert new_meeting(start=in_days(10, 12), title="之后的会议").bookings.count() == 1


def test_moving_rebooks_the_room_and_a_taken_slot_refuses_the_move(mp, new_meeting):
    first = new_meeting(start=in_days(10, 9))
    second = new_meeting(start=in_days(10, 14), title="下午的会议")
    with pytest.raises(WorkflowError) as exc:
        workflow.move(meeting=second, acting_user=mp.organiser, starts_at=in_days(10, 10),
                      ends_at=in_days(10, 12), room=mp.room)
    assert exc.value.code == "room_taken"
    second.refresh_from_db()
    assert (second.starts_at, second.sequence) == (in_days(10, 14), 0)
    workflow.move(meeting=second, acting_user=mp.organiser, starts_at=in_days(10, 10), ends_at=in_days(10, 12),
                  room=mp.room2)
    booking = second.bookings.get()
    assert (booking.room, booking.starts_at) == (mp.room2, in_days(10, 10))
    # the first meeting moves into its own slot's neighbourhood: its own booking never blocks it
    workflow.move(meeting=first, acting_user=mp.organiser, starts_at=in_days(10, 9, 30), ends_at=in_days(10, 11),
                  room=mp.room)
    assert first.bookings.get().starts_at == in_days(10, 9, 30)
    # to a place without a room: the booking is released
    workflow.move(meeting=first, acting_user=mp.organiser, starts_at=in_days(10, 9, 30), ends_at=in_days(10, 11),
                  room=None, location="城关镇会议室")
    assert first.bookings.get().status == RoomBooking.Status.CANCELLED


@pytest.mark.django_db(transaction=True)
def test_two_people_booking_the_same_room_at_the_same_moment_get_one_booking(mp):
    """Two threads, each in its own transaction, book the same room and time; a barrier makes
    them insert together. Exactly one booking exists afterwards, the other gets the refusal."""
    barrier = threading.Barrier(2)
    results = []

    def book(title, minutes_later):
        try:
            start = in_days(10, 9) + dt.timedelta(minutes=minutes_later)
            with transaction.atomic():
                meeting = Meeting.objects.create(type=mp.type, title=title, starts_at=start,
                                                 ends_at=start + dt.timedelta(hours=2), room=mp.room,
                                                 presiding=mp.leader, created_by=mp.organiser,
                                                 topic_deadline=start - dt.timedelta(days=3))
                barrier.wait(timeout=10)
                workflow._book(meeting, mp.room, mp.organiser)
            results.append("booked")
        except WorkflowError as exc:
            results.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(f"会议{k}", k * 15)) for k in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["booked", "room_taken"]
    assert RoomBooking.objects.filter(room=mp.room, status="active").count() == 1
    assert Meeting.objects.count() == 1  # the refused one rolled back with its meeting
