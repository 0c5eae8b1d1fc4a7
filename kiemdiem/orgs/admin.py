from django.contrib import admin

from kiemdiem.orgs.models import CadreManagement, Organization, PartyMembership, Person, Position


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "parent", "depth", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code", "search_key"]
    raw_id_fields = ["parent", "party_organization", "leads"]
    readonly_fields = ["path", "depth"]


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    raw_id_fields = ["organization"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["full_name", "identity_number", "gender", "date_of_birth", "employment"]
    list_filter = ["gender", "employment"]
    search_fields = ["search_key", "identity_number"]
    raw_id_fields = ["user"]
    inlines = [PositionInline]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["person", "title", "organization", "level", "is_head", "start_date", "end_date"]
    list_filter = ["level", "is_head"]
    raw_id_fields = ["person", "organization"]


@admin.register(PartyMembership)
class PartyMembershipAdmin(admin.ModelAdmin):
    list_display = ["person", "cell", "admitted_on", "official_on", "status", "outside_system"]
    list_filter = ["status", "outside_system"]
    raw_id_fields = ["person", "cell"]


@admin.register(CadreManagement)
class CadreManagementAdmin(admin.ModelAdmin):
    list_display = ["manager", "person", "organization", "note"]
    raw_id_fields = ["manager", "person", "organization"]
