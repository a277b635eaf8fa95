"""The import page: upload a sheet, read the preview, confirm; the templates to download and
the exports of the user's scope.

Where an upload waits for its confirmation is ``programs.imports.uploads``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from programs import permissions
from programs.forms.imports import ConfirmForm, UploadForm
from programs.forms.tokens import posted_token
from programs.imports.engine import run_import
from programs.imports.sheets import SHEETS
from programs.imports.uploads import forget_upload, keep_upload, pending_upload
from programs.imports.writer import write_export, write_template
from programs.services.tokens import FormAlreadyDone, claim_form

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _require_importer(user) -> None:
    if not permissions.can_use_imports(user):
        raise PermissionDenied


def _kind_or_404(request) -> str:
    """The sheet named by ``?kind=``."""
    kind = request.GET.get("kind", "")
    if kind not in SHEETS:
        raise Http404
    return kind


def _run(pending, user, *, apply: bool):
    with default_storage.open(pending["path"], "rb") as stream:
        return run_import(
            kind=pending["kind"], stream=stream, name=pending["name"], user=user, apply=apply
        )


@login_required
@require_http_methods(["GET", "POST"])
def import_page(request):
    _require_importer(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        pending = keep_upload(request, form)
        report = _run(pending, request.user, apply=False)
        confirm = ConfirmForm(initial={"upload": pending["id"]}) if report.ok else None
        return render(
            request,
            "imports/preview.html",
            {
                "report": report,
                "pending": pending,
                "confirm": confirm,
                "sheet": SHEETS[pending["kind"]],
            },
        )
    return render(request, "imports/page.html", {"form": form, "sheets": SHEETS.values()})


@login_required
@require_POST
def import_confirm(request):
    _require_importer(request.user)
    form = ConfirmForm(request.POST)
    pending = pending_upload(request, form.cleaned_data["upload"]) if form.is_valid() else None
    if pending is None or not default_storage.exists(pending["path"]):
        messages.info(request, _("That upload was already imported or replaced: upload it again."))
        return redirect("programs:imports")
    try:
        with transaction.atomic():
            claim_form(posted_token(request), user=request.user)
            report = _run(pending, request.user, apply=True)
            if not report.applied:
                transaction.set_rollback(True)
    except FormAlreadyDone:
        messages.info(request, _("This import was already carried out."))
        return redirect("programs:imports")
    if not report.applied:
        # The data changed since the preview: show what now stands in the way.
        context = {"report": report, "pending": pending, "confirm": None}
        return render(
            request, "imports/preview.html", {**context, "sheet": SHEETS[pending["kind"]]}
        )
    forget_upload(request)
    messages.success(
        request,
        _("Imported: %(new)s new, %(changed)s changed, %(unchanged)s unchanged.")
        % {"new": report.new, "changed": report.changed, "unchanged": report.unchanged},
    )
    return redirect("programs:imports")


def _xlsx_download(request, filename: str, write) -> HttpResponse:
    """An XLSX file of the sheet named by ``?kind=``, written by ``write(kind, response)``."""
    _require_importer(request.user)
    kind = _kind_or_404(request)
    response = HttpResponse(content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename.format(kind=kind)}"'
    write(kind, response)
    return response


@login_required
@require_GET
def import_template(request):
    return _xlsx_download(request, "mau-{kind}.xlsx", write_template)


@login_required
@require_GET
def import_export(request):
    return _xlsx_download(
        request, "{kind}.xlsx", lambda kind, out: write_export(kind, out, user=request.user)
    )
