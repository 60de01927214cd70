"""What other apps call. ``documents`` and ``meetings`` open supervision items through
``open_item_from_origin``; this app never imports them (the link is a generic relation)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from supervision import workflow
from supervision.models import Item


def open_item_from_origin(*, origin, acting_user, assign: bool = True, **fields) -> Item:
    """Open a supervision item that points back at ``origin`` (a document, a meeting decision,
    ...). ``fields`` are those of ``workflow.create_item`` (title, requirement, source_kind,
    lead_unit, responsible, deadline or working_days, instructing_leader, ...). Assigned at once
    unless ``assign=False``. Atomic and audited like every step; raises ``WorkflowError``.

    The calling app vouches that ``acting_user`` may open the item (e.g. the document office
    at 批办). Without an explicit ``supervisor`` the item goes to the acting user when they are
    a supervision manager, otherwise to the head of the supervision office (or a director)."""
    if not fields.get("supervisor") and not workflow.is_manager(acting_user):
        fields["supervisor"] = default_supervisor() or acting_user
    return workflow.create_item(acting_user=acting_user, origin=origin, assign=assign,
                                vouched=True, **fields)


def default_supervisor():
    from office import roles
    from office.models import User
    from supervision.models import SupervisionSettings

    conf = SupervisionSettings.load()
    if conf.office_unit_id and conf.office_unit.head_id:
        return conf.office_unit.head
    return User.objects.filter(groups__name=roles.OFFICE_DIRECTOR, is_active=True).order_by("pk").first()


def items_for_origin(origin) -> list[Item]:
    """The items opened from ``origin``, so the origin's page can link to them."""
    ct = ContentType.objects.get_for_model(origin)
    return list(Item.objects.filter(origin_type=ct, origin_id=str(origin.pk))
                .select_related("responsible", "lead_unit").order_by("pk"))
