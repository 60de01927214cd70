from django.urls import path

from office.assessment import views

app_name = "assessment"

urlpatterns = [
    path("", views.person, name="mine"),
    path("office/", views.office, name="office"),
    path("<int:pk>/", views.person, name="person"),
]
