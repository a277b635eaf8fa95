"""The register of a committee's issued reports: each with its number, opened and downloaded
later exactly as it was issued. Officers and viewers of the committee read it; officers issue
from the print page."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from programs import permissions
from programs.models import IssuedReport
from programs.reports import issued, pdf

PER_PAGE = 50


@login_required
@require_GET
def issued_reports(request, committee):
    """The committee's issued reports, newest first."""
    committee = permissions.get_committee_or_404(request.user, committee)
    reports = (
        IssuedReport.objects.filter(committee=committee)
        .select_related("issued_by")
        .defer("document_html", "figures", "pdf")
        .order_by("-year", "-number")
    )
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    context = {"committee": committee, "page": page, "reports": list(page.object_list)}
    return render(request, "reports/issued_list.html", context)


@login_required
@require_GET
def issued_report(request, committee, pk):
    """One issued report: its document as it was issued."""
    report = permissions.get_issued_report_or_404(request.user, committee, pk)
    context = {
        "issued": report,
        "committee": report.committee,
        # Rendered (and escaped) by reports/document.html when it was issued.
        "document": mark_safe(report.document_html),
        "has_pdf": bool(report.pdf),
    }
    return render(request, "reports/issued_detail.html", context)


@login_required
@require_GET
def issued_report_pdf(request, committee, pk):
    """The PDF as it was issued."""
    report = permissions.get_issued_report_or_404(request.user, committee, pk)
    if not report.pdf:
        raise Http404
    response = pdf.pdf_download(bytes(report.pdf), issued.issued_filename(report))
    response["Cache-Control"] = "private, no-store"
    return response
