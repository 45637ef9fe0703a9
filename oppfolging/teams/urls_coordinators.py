from django.urls import path

from oppfolging.teams import coordinator_views as views

app_name = "coordinators"
urlpatterns = [
    path("", views.registry, name="registry"),
    path("<uuid:user_uuid>/opplaering/ny/", views.training_add, name="training_add"),
    path("mine/", views.mine, name="mine"),
    path("til-godkjenning/", views.approvals, name="approvals"),
    path("person/<uuid:person_uuid>/", views.person, name="person"),
    path("person/<uuid:person_uuid>/foresla/", views.propose, name="propose"),
    path("person/<uuid:person_uuid>/barnekoordinator/", views.child_case, name="child_case"),
    path("oppnevning/<uuid:assignment_uuid>/vurder/", views.decide, name="decide"),
    path("oppnevning/<uuid:assignment_uuid>/registrer/", views.register, name="register"),
    path(
        "oppnevning/<uuid:assignment_uuid>/registrer-direkte/", views.register_direct, name="register_direct"
    ),
    path("oppnevning/<uuid:assignment_uuid>/avslutt/", views.end, name="end"),
]
