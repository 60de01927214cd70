from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("", views.register_list, name="register"),
    path("register.xlsx", views.register_export, name="register_export"),
    path("returned/", views.returned_list, name="returned"),
    path("board/", views.board, name="board"),
    path("new/", views.register_new, name="new"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/slip.pdf", views.routing_slip, name="slip"),
    path("<int:pk>/open/", views.open_copy, name="open_copy"),
    path("<int:pk>/recall/<int:circulation_pk>/", views.recall, name="recall"),
    path("<int:pk>/<str:step>/", views.document_step, name="step"),
]
