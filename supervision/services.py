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
    unless ``assign=False``. Atomic and audited like every step; raises ``WorkflowError``."""
    return workflow.create_item(acting_user=acting_user, origin=origin, assign=assign, **fields)


def items_for_origin(origin) -> list[Item]:
    """The items opened from ``origin``, so the origin's page can link to them."""
    ct = ContentType.objects.get_for_model(origin)
    return list(Item.objects.filter(origin_type=ct, origin_id=str(origin.pk))
                .select_related("responsible", "lead_unit").order_by("pk"))
