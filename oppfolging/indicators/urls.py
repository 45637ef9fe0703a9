from django.urls import path

from oppfolging.indicators import views

app_name = "indicators"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("csv/", views.export_csv, name="csv"),
    path("rapport/", views.report, name="report"),
    path("rapport/pdf/", views.report_pdf, name="report_pdf"),
    path("<slug:key>/", views.detail, name="detail"),
]
