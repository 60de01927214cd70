from django.contrib import admin

from office import roles
from supervision.models import Item, ReminderRule, SupervisionSettings


@admin.register(ReminderRule)
class ReminderRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "offset", "repeat_every", "recipient", "level", "is_active")
    list_editable = ("is_active",)
    list_filter = ("recipient", "level", "is_active")


@admin.register(SupervisionSettings)
class SupervisionSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "office_unit")

    def has_add_permission(self, request):
        return not SupervisionSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    """Read-only: items change only through their workflow steps (audited)."""

    list_display = ("number", "title", "lead_unit", "responsible", "status", "deadline")
    list_filter = ("status", "source_kind")
    search_fields = ("number", "title")

    def has_view_permission(self, request, obj=None):
        # business content: never for an administrator account, whatever its permissions (三员分立)
        return roles.is_business_user(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
