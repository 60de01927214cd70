from django.urls import path

from office.information import views

app_name = "information"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_create, name="create"),
    path("quarter/", views.quarter, name="quarter"),
    path("quarter/close/", views.quarter_close, name="quarter_close"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/<str:step>/", views.item_step, name="step"),
]
