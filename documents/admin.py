from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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


# --- outgoing documents ------------------------------------------------------------------

from documents.outgoing.models import DocumentCode, IssuingAuthority  # noqa: E402


class DocumentCodeInline(admin.TabularInline):
    model = DocumentCode
    extra = 0

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IssuingAuthority)
class IssuingAuthorityAdmin(admin.ModelAdmin):
    """The system administrator keeps the authorities, codes and signers; the seal image is the
    security administrator's alone (``documents.manage_seal``), and every change is audited."""

    list_display = ("name", "level", "principal", "has_seal", "is_active")
    filter_horizontal = ("signers", "direct_superiors")
    inlines = [DocumentCodeInline]

    @admin.display(boolean=True, description=_("seal uploaded"))
    def has_seal(self, obj):
        return bool(obj.seal)

    def get_fields(self, request, obj=None):
        fields = ["name", "short_name", "masthead", "level", "unit", "principal", "signers", "direct_superiors",
                  "seal", "seal_diameter_mm", "order", "is_active"]
        if request.user.has_perm("documents.manage_seal") and not request.user.has_perm(
                "documents.change_issuingauthority"):
            return ["name", "seal", "seal_diameter_mm"]
        return fields

    def get_readonly_fields(self, request, obj=None):
        if request.user.has_perm("documents.manage_seal"):
            return ["name"] if not request.user.has_perm("documents.change_issuingauthority") else []
        return ["seal", "seal_diameter_mm"]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or request.user.has_perm("documents.manage_seal")

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or request.user.has_perm("documents.manage_seal")

    def has_module_permission(self, request):
        return super().has_module_permission(request) or request.user.has_perm("documents.manage_seal")

    def get_inlines(self, request, obj):
        return self.inlines if request.user.has_perm("documents.change_issuingauthority") else []

    def has_delete_permission(self, request, obj=None):
        return False
