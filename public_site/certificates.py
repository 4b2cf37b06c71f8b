"""The public check of a certificate of attendance, and its PDF.

Anyone holding a certificate's code may see what it certifies: the code is
100 random bits, printed on the certificate. A made-up code gets a page that
says so (404), after the same single lookup a genuine one costs. The address
carries the code, so no page here sends a referrer.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from domain.services.certificates import certificate_pdf, check_certificate
from domain.services.emailed_urls import CERTIFICATE_PATH, CERTIFICATE_PDF_PATH
from public_site.pages import render
from public_site.security import NO_REFERRER


def verify_certificate(request: Request) -> Response:
    """Whether the code is genuine: participant, course, hours and the day it was issued."""
    found = check_certificate(request.app.state.db, request.path_params["token"])
    context = {"found": found, "pdf_path": CERTIFICATE_PDF_PATH}
    status = 200 if found is not None else 404
    return render(request, "certificate.html", context, status_code=status, headers=NO_REFERRER)


def download_certificate(request: Request) -> Response:
    """The genuine certificate as a PDF; the verification page's answer otherwise."""
    pdf = certificate_pdf(request.app.state.db, request.path_params["token"])
    if pdf is None:
        return verify_certificate(request)
    headers = {
        **NO_REFERRER,
        "Content-Disposition": 'attachment; filename="certificate-of-attendance.pdf"',
    }
    return Response(pdf, media_type="application/pdf", headers=headers)


routes = [
    # The paths emailed links open are the domain's (domain.services.emailed_urls).
    Route(CERTIFICATE_PDF_PATH, download_certificate, name="certificate_pdf"),
    Route(CERTIFICATE_PATH, verify_certificate, name="certificate"),
]
