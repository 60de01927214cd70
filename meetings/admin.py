"""What admins edit for meetings: meeting types (presiding role, default attendees, numbering of
the 纪要), rooms, the pre-meeting checklist, the meeting office and reminder times. Meetings
themselves change only through their workflow steps (audited): read-only here."""

from django.contrib import admin

from meetings.models import ChecklistItem, Meeting, MeetingSettings, MeetingType, Room, RoomBooking


@admin.register(MeetingType)
class MeetingTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "presiding_title", "presiding", "minutes_code", "notice_working_days",
                    "topic_working_days", "is_active", "order")
    list_editable = ("is_active", "order")
    filter_horizontal = ("default_attendees", "default_observers", "default_observer_units")
    autocomplete_fields = ("presiding",)


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("name", "location", "capacity", "equipment", "is_active")
    list_editable = ("is_active",)


@admin.register(ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ("name", "order", "is_active")
    list_editable = ("order", "is_active")
    filter_horizontal = ("types",)


@admin.register(MeetingSettings)
class MeetingSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "office_unit", "signin_opens_minutes", "eve_reminder_time",
                    "reminder_minutes_before")

    def has_add_permission(self, request):
        return not MeetingSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(_ReadOnly):
    list_display = ("title", "type", "starts_at", "room", "status")
    list_filter = ("status", "type")
    search_fields = ("title",)


@admin.register(RoomBooking)
class RoomBookingAdmin(_ReadOnly):
    list_display = ("room", "starts_at", "ends_at", "meeting", "status")
    list_filter = ("status", "room")
