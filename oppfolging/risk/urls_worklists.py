"""The work-lists, a subject's page and its actions, and the population view (issue 5)."""

from django.urls import path

from oppfolging.risk import population_views, worklist_views

urlpatterns = [
    path("mine/", worklist_views.gp_list, name="gp_list"),
    path("kommune/", worklist_views.ke_list, name="ke_list"),
    path("person/<uuid:subject_uuid>/", worklist_views.subject_detail, name="subject"),
    path("person/<uuid:subject_uuid>/meld/", worklist_views.subject_report, name="report"),
    path("person/<uuid:subject_uuid>/vurdert/", worklist_views.subject_review, name="review"),
    path("befolkning/", population_views.population, name="population"),
    path("befolkning/tall.csv", population_views.population_csv, name="population_csv"),
]
