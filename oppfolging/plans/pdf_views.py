"""The plan as a PDF: for those who want paper and for archiving, in the person's language."""

from __future__ import annotations

import uuid

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from oppfolging.access.actor import actor_of
from oppfolging.access.rules import AUTHENTICATED, permission
from oppfolging.plans import pdf, pdf_render


@permission(AUTHENTICATED)
@require_http_methods(["GET"])
def plan_pdf(request: HttpRequest, person_uuid: uuid.UUID) -> HttpResponse:
    """Staff who read the plan, the person, guardians of a minor and consented relatives; a
    former team member gets the plan as it stood when they left. Never cached: it is case
    content, and the next print may differ."""
    document = pdf.plan_document(actor=actor_of(request), person_uuid=person_uuid)
    body = pdf_render.render_pdf(pdf_render.render_html(document))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf_render.filename(document)}"'
    response["Cache-Control"] = "no-store"
    return response
