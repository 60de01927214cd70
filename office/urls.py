from django.urls import path

from office import views
from office.views import auth as auth_views

app_name = "office"

urlpatterns = [
    path("", views.desk_view, name="desk"),
    path("notifications/", views.notifications_view, name="notifications"),
    path("notifications/read/", views.notifications_mark_read, name="notifications_read"),
    path("rules/", views.rules_view, name="rules"),
    path("rules/<int:pk>/", views.rule_detail, name="rule_detail"),
    path("rules/versions/<int:pk>/acknowledge/", views.rule_acknowledge, name="rule_acknowledge"),
    path("rules/acknowledgements/", views.acknowledgements_view, name="acknowledgements"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("calendar/deadline/", views.deadline_hint, name="deadline_hint"),
    path("language/", auth_views.set_language, name="set_language"),
]
