"""The demo office's information: items in every state, this quarter's adoptions, last quarter
closed; loading twice adds nothing."""

from django.core.management import call_command

from office.information import selectors
from office.information.models import Adoption, ClosedQuarter, Item, QuarterResult


def test_the_demo_has_information_in_every_state_and_loads_once(demo_office, settings):
    year, quarter = selectors.current_quarter()
    rows = selectors.quarter_results(year=year, quarter=quarter)
    assert {"何思源", "马佳丽", "高鹏", "林欣然", "杨帆"} <= {r.name for r in rows}
    assert next(r for r in rows if r.name == "何思源").counted == 3
    assert set(Item.objects.values_list("status", flat=True)) == {"sent", "submitted", "approved", "returned"}
    assert ClosedQuarter.objects.count() == 1 and QuarterResult.objects.exists()
    counts = (Item.objects.count(), Adoption.objects.count())
    settings.DEBUG = True
    call_command("load_demo", verbosity=0)
    assert (Item.objects.count(), Adoption.objects.count()) == counts
