from django.urls import path

from . import auth_views

urlpatterns = [
    path("staff/login/", auth_views.password_step, name="staff-login"),
    path("staff/login/verify/", auth_views.verify_step, name="staff-login-verify"),
    path("staff/login/enrol/", auth_views.enrol_step, name="staff-login-enrol"),
    path("staff/backup-codes/", auth_views.backup_codes_view, name="staff-backup-codes"),
    path("staff/logout/", auth_views.logout_view, name="staff-logout"),
]
