from django.contrib import admin

from documents.models import DocumentSettings, DocumentType, IncomingDocument, UrgencyRule
from office import roles


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "is_statutory", "order")
    list_filter = ("is_statutory",)


@admin.register(UrgencyRule)
class UrgencyRuleAdmin(admin.ModelAdmin):
    list_display = ("urgency", "minutes")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DocumentSettings)
class DocumentSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "office_unit", "reminder_minutes_before")

    def has_add_permission(self, request):
        return not DocumentSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IncomingDocument)
class IncomingDocumentAdmin(admin.ModelAdmin):
    """Read-only: documents change only through their workflow steps (audited)."""

    list_display = ("number", "title", "sender", "status", "received_at")
    list_filter = ("status", "handling", "urgency")
    search_fields = ("number", "title", "sender_number")

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs if request.user.has_perm("documents.view_classified") else qs.filter(secrecy="")

    def has_view_permission(self, request, obj=None):
        # business content: never for an administrator account, whatever its permissions (三员分立)
        return roles.is_business_user(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
