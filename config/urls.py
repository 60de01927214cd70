from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog

from office.views import auth as auth_views

admin.site.site_header = admin.site.site_title = "政办 Zhengban"

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/login/verify/", auth_views.login_verify, name="login_verify"),
    path("accounts/login/enroll/", auth_views.login_enroll, name="login_enroll"),
    path("accounts/security/", auth_views.security, name="security"),
    # Django admin's own login page would skip the second factor: it sends to the office's
    path("admin/login/", auth_views.admin_login, name="admin_login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    # browsers ask for /favicon.ico on pages without <link rel=icon> (downloads, PDFs)
    path("favicon.ico", login_not_required(RedirectView.as_view(url=static("favicon.svg"), permanent=True))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("supervision/", include("supervision.urls")),
    path("documents/", include("documents.urls")),
    path("meetings/", include("meetings.urls")),
    path("information/", include("office.information.urls")),
    path("study/", include("office.study.urls")),
    path("research/", include("office.research.urls")),
    path("dashboard/", include("office.dashboard.urls")),
    path("assessment/", include("office.assessment.urls")),
    path("", include("office.urls")),
]

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
