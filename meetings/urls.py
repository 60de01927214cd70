from django.urls import path

from meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.meeting_create, name="create"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("calendar/link/", views.feed_new, name="feed_new"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("discipline/", views.discipline_view, name="discipline"),
    path("topics/", views.open_topics, name="open_topics"),
    path("topics/<int:pk>/", views.topic_detail, name="topic"),
    path("topics/<int:pk>/<str:step>/", views.topic_step, name="topic_step"),
    path("materials/<int:pk>/", views.material, name="material"),
    path("decisions/<int:pk>/supervise/", views.supervise_decision, name="supervise_decision"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/topics/new/", views.topic_create, name="topic_create"),
    path("<int:pk>/notice.pdf", views.notice_pdf, name="notice_pdf"),
    path("<int:pk>/summary.pdf", views.summary_pdf, name="summary_pdf"),
    path("<int:pk>/invite.ics", views.invitation, name="invitation"),
    path("<int:pk>/qr/", views.qr, name="qr"),
    path("<int:pk>/signin/", views.signin_view, name="signin"),
    path("<int:pk>/<str:step>/", views.meeting_step, name="step"),
]
