"""Reports of need, mounted at /meldinger/."""

from django.urls import path

from oppfolging.referrals import report_views as views

app_name = "reports"
urlpatterns = [
    path("ny/", views.report_create, name="create"),
    path("mine/", views.report_mine, name="mine"),
    path("mottak/", views.report_queue, name="queue"),
    path("innboks/", views.report_inbox, name="inbox"),
    path("<uuid:report_uuid>/", views.report_detail, name="detail"),
    path("<uuid:report_uuid>/kvittering/", views.report_receipt, name="receipt"),
    path("<uuid:report_uuid>/overta/", views.report_take_over, name="take_over"),
    path("<uuid:report_uuid>/status/", views.report_set_status, name="set_status"),
    path("<uuid:report_uuid>/forelopig-svar/", views.report_interim_reply, name="interim_reply"),
    path("<uuid:report_uuid>/til-mottak/", views.report_send_to_queue, name="send_to_queue"),
]
