"""The plan's routes, one module per part so each part's views stay together."""

from django.urls import URLPattern

from oppfolging.plans import urls_evaluation, urls_history, urls_pdf, urls_plan

app_name = "plans"
urlpatterns: list[URLPattern] = [
    *urls_plan.urlpatterns,
    *urls_history.urlpatterns,
    *urls_evaluation.urlpatterns,
    *urls_pdf.urlpatterns,
]
