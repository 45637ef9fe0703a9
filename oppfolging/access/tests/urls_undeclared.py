"""A URLconf with a view that declares no access rule, to prove it is refused."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from oppfolging.access.rules import PUBLIC, permission


def undeclared(request: HttpRequest) -> HttpResponse:
    return HttpResponse("this must never be served")


@permission(PUBLIC)
def declared(request: HttpRequest) -> HttpResponse:
    return HttpResponse("fine")


urlpatterns = [path("undeclared/", undeclared), path("declared/", declared)]
