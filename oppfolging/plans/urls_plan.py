"""Routes of the plan's page and its editing, joined in :mod:`oppfolging.plans.urls`."""

from django.urls import URLPattern, path

from oppfolging.plans import draft_views, plan_period_views, plan_views

P = "<uuid:person_uuid>/"

urlpatterns: list[URLPattern] = [
    path(P, plan_views.plan_detail, name="detail"),
    path(P + "opprett/", plan_views.plan_create, name="create"),
    path(P + "aktiver/", plan_views.plan_activate, name="activate"),
    path(P + "innhold/", plan_views.plan_details, name="details"),
    path(P + "mal/ny/", plan_views.goal_add, name="goal_add"),
    path(P + "mal/<uuid:goal_uuid>/", plan_views.goal_edit, name="goal_edit"),
    path(P + "perioder/ny/", plan_period_views.period_add, name="period_add"),
    path(P + "perioder/<uuid:period_uuid>/", plan_period_views.period_edit, name="period_edit"),
    path(P + "perioder/<uuid:period_uuid>/delmal/ny/", plan_period_views.sub_goal_add, name="sub_goal_add"),
    path(P + "delmal/<uuid:sub_goal_uuid>/", plan_period_views.sub_goal_edit, name="sub_goal_edit"),
    path(P + "delmal/<uuid:sub_goal_uuid>/tiltak/ny/", plan_period_views.measure_add, name="measure_add"),
    path(P + "tiltak/<uuid:measure_uuid>/", plan_period_views.measure_edit, name="measure_edit"),
    path(P + "koblinger/ny/", plan_views.link_add, name="link_add"),
    path(P + "kommentarer/ny/", plan_views.comment_add, name="comment_add"),
    path(P + "utkast/", draft_views.draft, name="draft"),
]
