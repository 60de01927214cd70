from django.urls import path

from supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_create, name="create"),
    path("ledger.xlsx", views.ledger_export, name="ledger"),
    path("report/", views.report, name="report"),
    path("chases/<int:pk>.pdf", views.chase_pdf, name="chase_pdf"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/", views.item_detail, name="detail"),
    path("<int:pk>/<str:step>/", views.item_step, name="step"),
]
