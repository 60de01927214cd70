from django.urls import path

from office.research import views

app_name = "research"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("new/", views.task_create, name="task_create"),
    path("<int:pk>/", views.task_detail, name="task"),
    path("<int:pk>/<str:step>/", views.task_step, name="task_step"),
    path("bulletin/", views.issue_list, name="issues"),
    path("bulletin/new/", views.issue_create, name="issue_create"),
    path("bulletin/<int:pk>/", views.issue_detail, name="issue"),
    path("bulletin/<int:pk>.pdf", views.issue_pdf, name="issue_pdf"),
    path("bulletin/<int:pk>/<str:step>/", views.issue_step, name="issue_step"),
]
