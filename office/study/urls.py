from django.urls import path

from office.study import views

app_name = "study"

urlpatterns = [
    path("", views.home, name="home"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/<str:step>/", views.session_step, name="step"),
    path("notes/new/", views.note_create, name="note_create"),
    path("notes/<int:pk>/", views.note_detail, name="note"),
    path("month/", views.month, name="month"),
]
