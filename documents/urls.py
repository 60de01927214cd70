from django.urls import path

from documents import views
from documents.outgoing import views as outgoing

app_name = "documents"

urlpatterns = [
    path("", views.register_list, name="register"),
    path("outgoing/", outgoing.outgoing_list, name="outgoing"),
    path("outgoing/register.xlsx", outgoing.register_export, name="outgoing_export"),
    path("outgoing/new/", outgoing.outgoing_new, name="outgoing_new"),
    path("outgoing/<int:pk>/", outgoing.outgoing_detail, name="outgoing_detail"),
    path("outgoing/<int:pk>/versions/", outgoing.version_diff, name="outgoing_diff"),
    path("outgoing/<int:pk>/issued.pdf", outgoing.outgoing_pdf, name="outgoing_pdf"),
    path("outgoing/<int:pk>/preview.pdf", outgoing.preview_pdf, name="outgoing_preview"),
    path("outgoing/<int:pk>/<str:step>/", outgoing.outgoing_step, name="outgoing_step"),
    path("outgoing/copies/<int:pk>/sign/", outgoing.sign_for, name="outgoing_sign_for"),
    path("outgoing/copies/<int:pk>/register/", outgoing.register_incoming, name="outgoing_register_incoming"),
    path("register.xlsx", views.register_export, name="register_export"),
    path("returned/", views.returned_list, name="returned"),
    path("board/", views.board, name="board"),
    path("new/", views.register_new, name="new"),
    path("phrases/", views.instruction_phrases, name="phrases"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/slip.pdf", views.routing_slip, name="slip"),
    path("<int:pk>/open/", views.open_copy, name="open_copy"),
    path("<int:pk>/recall/<int:circulation_pk>/", views.recall, name="recall"),
    path("<int:pk>/<str:step>/", views.document_step, name="step"),
]
