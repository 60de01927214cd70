import pytest

from office import notify
from office.roles import CLERK

# Queries the registered queues and panels add (a fixed number each, whatever the data):
# documents: document settings, classified clearance (user and group permissions), to handle,
# to read; supervision: calendar days + office settings, reminder rules (colours), 归口 units,
# my items; rules: rules in force (rules, posts, versions), my acknowledgements;
# meetings: mine, to approve, summaries, materials to read; outgoing: document settings, my drafts
DESK_PANEL_QUERIES = 5 + 6 + 4 + 2


@pytest.mark.parametrize("notifications", [1, 40])
def test_desk_runs_a_fixed_number_of_queries(client, make_user, django_assert_num_queries, notifications):
    user = make_user(CLERK, full_name="郑晓兰")
    for i in range(notifications):
        notify.notify(user, key=f"desk-{i}", title=f"请办理第{i}件", email=False)
    client.force_login(user)
    client.get("/")
    # session, user, recent unread notifications, roles (nav), unread count and unit (header),
    # the sliding-expiry session save (savepoint, update, release)
    # + what the registered desk panels need (a fixed number per panel)
    with django_assert_num_queries(9 + DESK_PANEL_QUERIES):
        response = client.get("/")
    page = response.content.decode()
    assert "我的工作台" in page
    assert page.count("请办理第") == min(notifications, 8)

