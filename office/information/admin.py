"""What admins edit for government information: outlets, categories, the scoring rules (by
year, with outlets' own points), the quarterly quotas and the information section. Items,
adoptions and results change only through their audited steps: not here."""

from django.contrib import admin

from office.information.models import (
    Adoption,
    Category,
    Dispatch,
    InformationSettings,
    Item,
    Outlet,
    OutletPoints,
    Quota,
    ScoringRule,
)


class DeactivateWhenUsed(admin.ModelAdmin):
    """An outlet or a category that items use is deactivated, never deleted: its delete page
    would list the items (business content an administrator never sees)."""

    def in_use(self, obj) -> bool:
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self.in_use(obj):
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Outlet)
class OutletAdmin(DeactivateWhenUsed):
    list_display = ("name", "level", "kind", "order", "is_active")
    list_editable = ("order", "is_active")
    list_filter = ("level", "kind", "is_active")

    def in_use(self, obj) -> bool:
        return Dispatch.objects.filter(outlet=obj).exists() or Adoption.objects.filter(outlet=obj).exists()


@admin.register(Category)
class CategoryAdmin(DeactivateWhenUsed):
    list_display = ("name", "order", "is_active")
    list_editable = ("order", "is_active")

    def in_use(self, obj) -> bool:
        return Item.objects.filter(category=obj).exists()


class OutletPointsInline(admin.TabularInline):
    model = OutletPoints
    extra = 0


@admin.register(ScoringRule)
class ScoringRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "effective_from", "county_points", "city_points", "province_points", "national_points",
                    "summary_percent", "combined_percent", "comment_bonus", "reward_per_item", "penalty_per_item")
    inlines = [OutletPointsInline]


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user", "effective_from", "minimum", "level")
    list_filter = ("level",)
    autocomplete_fields = ("user",)


@admin.register(InformationSettings)
class InformationSettingsAdmin(admin.ModelAdmin):
    list_display = ("__str__", "section")

    def has_add_permission(self, request):
        return not InformationSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
