"""Reports: the figures of a committee, cell, commune or village over a period, on screen and as
the printed party document (Hướng dẫn 36-HD/VPTW), with its PDF.

The query string says everything (``committee``/``cell``/``commune``/``village``,
``directive``, ``period`` and its companions), so a report is a link that can be sent, printed
or exported. Bad parameters give a message on the page, never a server error; a scope outside
the user's reach is a 404 like any other object.
"""

import functools
import mimetypes
import warnings
from pathlib import Path
from urllib.parse import unquote, urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from programs import permissions
from programs.forms.tokens import OneTimeTokenField, posted_token
from programs.models import Directive, ReportSettings
from programs.reports import document
from programs.reports.chart import month_chart
from programs.reports.exports import period_slug, report_response
from programs.reports.figures import build_report
from programs.reports.periods import PeriodError, parse_period
from programs.reports.scopes import ScopeError, resolve_directive, resolve_scope
from programs.services import preferences

EXPORT_FORMATS = ("xlsx", "csv")


class ReportFilterForm(forms.Form):
    """The report's parameters as a GET form.

    Every field is plain text: ``parse_period`` and ``resolve_scope`` read and check the
    values (their messages are added to this form), so the form only shows them back.
    """

    committee = forms.CharField(label=gettext_lazy("Party committee"), required=False)
    directive = forms.CharField(label=gettext_lazy("Directive"), required=False)
    period = forms.CharField(
        label=gettext_lazy("Period"),
        required=False,
        widget=forms.Select(
            choices=[
                ("month", gettext_lazy("Month")),
                ("quarter", gettext_lazy("Quarter")),
                ("half", gettext_lazy("Half-year")),
                ("year", gettext_lazy("Year")),
                ("custom", gettext_lazy("From … to …")),
            ]
        ),
    )
    month = forms.CharField(
        label=gettext_lazy("Month (or a month in the quarter or half-year)"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-02"}),
    )
    year = forms.CharField(
        label=gettext_lazy("Year"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "2026"}),
    )
    cell = forms.CharField(required=False, widget=forms.HiddenInput)
    commune = forms.CharField(required=False, widget=forms.HiddenInput)
    village = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, committees, directives, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].widget = forms.Select(
            choices=[("", _("My committee"))] + [(str(c.pk), c.name) for c in committees]
        )
        self.fields["directive"].widget = forms.Select(
            choices=[("", _("All directives"))] + [(str(d.pk), str(d)) for d in directives]
        )
        # "from" is a Python keyword, so these two are named here rather than above.
        self.fields["from"] = forms.CharField(
            label=_("From (custom period)"),
            required=False,
            widget=forms.TextInput(attrs={"type": "date"}),
        )
        self.fields["to"] = forms.CharField(
            label=_("To (custom period)"),
            required=False,
            widget=forms.TextInput(attrs={"type": "date"}),
        )
        if not committees:
            # A cell secretary reports on their own cell; there is no committee to choose.
            self.fields["committee"].widget = forms.HiddenInput()


class ReportSettingsForm(forms.ModelForm):
    """The header and signature of a committee's printed reports, remembered per committee."""

    token = OneTimeTokenField()

    class Meta:
        model = ReportSettings
        fields = [
            "number",
            "place",
            "superior_body",
            "signer_on_behalf",
            "signer_title",
            "signer_name",
            "recipients",
        ]
        widgets = {"recipients": forms.Textarea(attrs={"rows": 4})}


@functools.cache
def _weasyprint():
    """The weasyprint module, or None when it (or the Pango library it needs) is missing."""
    try:
        with warnings.catch_warnings():
            # Without libharfbuzz-subset, WeasyPrint warns at import that a future version will
            # need it; PDFs are still made (fonts are embedded whole), so it is not our error.
            warnings.filterwarnings("ignore", "HarfBuzz-Subset", DeprecationWarning)
            import weasyprint
    except (ImportError, OSError):
        return None
    return weasyprint


def _read_report(request, form, today, *, language=None):
    """The report the query string asks for, or None after adding the reasons to ``form``.

    With ``language``, the labels computed while building (categories, units, levels) come
    out in that language."""
    user = request.user
    scope = directive = period = None
    try:
        scope = resolve_scope(user, request.GET)  # Http404 for a scope outside the user's reach
    except ScopeError as error:
        form.add_error(None, str(error))
    try:
        directive = resolve_directive(request.GET)
    except ScopeError as error:
        form.add_error(None, str(error))
    try:
        period = parse_period(request.GET, today)
    except PeriodError as error:
        form.add_error(None, str(error))
    if form.errors:
        return None
    if directive is not None:
        scope.required_per_month = directive.sessions_per_month
    if language is None:
        return build_report(scope, period, directive, today=today)
    with translation.override(language):
        return build_report(scope, period, directive, today=today)


def _filter_form(request):
    user = request.user
    committees = list(permissions.committees_visible_to(user).order_by("name"))
    directives = list(Directive.objects.order_by("-issued_on", "symbol"))
    form = ReportFilterForm(request.GET, committees=committees, directives=directives)
    form.is_valid()  # plain text fields: always valid; the checks add their own errors
    return form


def report_query(report) -> str:
    """The query string that gives ``report`` again (without ``format``)."""
    params = {report.scope.kind: report.scope.obj.pk}
    if report.directive is not None:
        params["directive"] = report.directive.pk
    params.update(report.period.as_query())
    return urlencode(params)


def _comparison(report):
    """Key indicators of the report and of the same period a year earlier."""
    return document.comparison_rows(
        report,
        {
            "held": _("Sessions held (confirmed)"),
            "held_unconfirmed": _("Held, awaiting confirmation"),
            "postponed": _("Postponed"),
            "cancelled": _("Cancelled"),
            "villages": _("Villages with at least one session"),
            "visits": _("Person-visits"),
            "workdays": _("Workdays"),
            "households": _("Households helped"),
            "value": _("Money-equivalent value (VND)"),
        },
    )


def _visit_rows(report):
    """Person-visits by category: named participants and those counted without names."""
    totals = report.totals
    by_key = {key: (label, count, workdays) for key, label, count, workdays in report.by_category}
    return [
        {
            "label": _("Party members (also counted in their category below)"),
            "count": totals.party_member_visits,
            "workdays": None,
            "of_which": True,
        },
        {
            "label": by_key["cadres"][0],
            "count": by_key["cadres"][1],
            "workdays": by_key["cadres"][2],
        },
        {
            "label": _("armed forces, named"),
            "count": by_key["armed_forces"][1],
            "workdays": by_key["armed_forces"][2],
        },
        {
            "label": _("armed forces, counted without names"),
            "count": totals.unlisted_armed_forces,
            "workdays": None,
        },
        {
            "label": by_key["front"][0],
            "count": by_key["front"][1],
            "workdays": by_key["front"][2],
        },
        {
            "label": _("commune cadres, counted without names"),
            "count": totals.unlisted_commune_cadres,
            "workdays": None,
        },
        {
            "label": _("villagers"),
            "count": totals.unlisted_villagers,
            "workdays": None,
        },
    ]


@login_required
def report(request):
    """The report page: the filters, then every figure, the trend and the comparison."""
    today = timezone.localdate()
    form = _filter_form(request)
    result = _read_report(request, form, today)
    fmt = (request.GET.get("format") or "").strip().lower()
    if fmt and fmt != "html":
        if fmt not in EXPORT_FORMATS:
            form.add_error(
                None,
                _("Unknown format “%(format)s”: choose xlsx or csv.") % {"format": fmt[:20]},
            )
        elif result is not None:
            return report_response(result, fmt, request)
    context = {"form": form, "report": None}
    if result is not None:
        query = report_query(result)
        base = reverse("programs:reports")
        context.update(
            report=result,
            query=query,
            chart=month_chart(result.months),
            visit_rows=_visit_rows(result),
            comparison=_comparison(result),
            print_url=f"{reverse('programs:report-print')}?{query}",
            xlsx_url=f"{base}?{query}&format=xlsx",
            csv_url=f"{base}?{query}&format=csv",
            raw_csv_url=f"{reverse('programs:report-raw-csv')}?{query}",
            raw_xlsx_url=f"{reverse('programs:report-raw-xlsx')}?{query}",
        )
    return render(request, "reports/report.html", context)


# --- The printed document -------------------------------------------------------------------


def _issuing_committee(request, report):
    """The committee that issues the document: the scope's, else the user's own."""
    if report.scope.committee is not None:
        return report.scope.committee
    return permissions.committees_visible_to(request.user).order_by("parent_id", "name").first()


def _document_context(report, committee, settings_obj, today):
    superior = settings_obj.superior_body.strip()
    if not superior and committee is not None and committee.parent_id:
        superior = committee.parent.name.upper()
    issuer = committee.name if committee is not None else report.scope.label
    abbreviation = committee.abbreviation if committee is not None else "ĐU"
    return {
        "report": report,
        "superior_body": superior.upper(),
        "issuer": issuer.upper(),
        "number_line": document.document_number(settings_obj.number, abbreviation),
        "place_date": document.vietnamese_place_date(settings_obj.place, today),
        "summary_line": document.summary_line(report),
        "period_words": document.period_words(report.period),
        "general": document.general_sentences(report),
        "shortcomings": document.shortcoming_sentences(report),
        "category_words": document.CATEGORY_WORDS,
        "by_category": [
            (document.CATEGORY_WORDS[key], count, workdays)
            for key, _label, count, workdays in report.by_category
        ],
        "households_sentence": document.households_sentence(report),
        "comparison": document.comparison_rows(report),
        "settings": settings_obj,
        "recipients": settings_obj.recipient_lines,
    }


def _render_document(request, report, committee, settings_obj, today) -> str:
    """The document's HTML, always in Vietnamese whatever the interface language."""
    with translation.override("vi"):
        return render_to_string(
            "reports/document.html",
            _document_context(report, committee, settings_obj, today),
            request=request,
        )


def _static_url_fetcher(weasyprint, base_url: str):
    """A WeasyPrint URL fetcher that serves the stylesheet (and any static file) from the
    static finders, so the PDF needs no network; every other URL is refused."""
    prefix = base_url.rstrip("/") + static("")

    def find(url: str) -> str:
        if url.startswith(prefix):
            name = unquote(url[len(prefix) :].split("?")[0])
            # Development: the source files; production: the collected (hashed) copies.
            path = finders.find(name)
            if not path and staticfiles_storage.exists(name):
                path = staticfiles_storage.path(name)
            if path and ".." not in Path(name).parts:
                return path
        raise ValueError(f"Not a static file: {url}")

    def mime(path: str) -> str:
        return mimetypes.guess_type(path)[0] or "application/octet-stream"

    if hasattr(weasyprint, "URLFetcher"):  # WeasyPrint 67 and later

        class StaticFetcher(weasyprint.URLFetcher):
            def fetch(self, url, headers=None):
                path = find(url)
                return weasyprint.urls.URLFetcherResponse(
                    url, Path(path).read_bytes(), {"Content-Type": mime(path)}
                )

        return StaticFetcher()

    def fetch(url):  # earlier versions take a function returning a dict
        path = find(url)
        return {"string": Path(path).read_bytes(), "mime_type": mime(path), "redirected_url": url}

    return fetch


def _pdf_filename(report) -> str:
    """ "bao-cao-2026-q1.pdf": ASCII, named by the period as the exports are."""
    return f"bao-cao-{period_slug(report.period)}.pdf"


def _pdf_response(request, report, document_html):
    weasyprint = _weasyprint()
    base_url = request.build_absolute_uri("/")
    html = render_to_string("reports/print_pdf.html", {"document": document_html}, request=request)
    pdf = weasyprint.HTML(
        string=html, base_url=base_url, url_fetcher=_static_url_fetcher(weasyprint, base_url)
    ).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_pdf_filename(report)}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def report_print(request):
    """The report as a party document: a page preview on screen, A4 on paper, or a PDF.

    POST saves the header and signature for the committee (its officers only), then comes
    back to the same report.
    """
    today = timezone.localdate()
    form = _filter_form(request)
    result = _read_report(request, form, today, language="vi")
    context = {"form": form, "report": None, "pdf_available": _weasyprint() is not None}
    if result is None:
        return render(request, "reports/print.html", context)

    committee = _issuing_committee(request, result)
    can_save = committee is not None and permissions.can_plan(request.user, committee)
    settings_obj = (
        ReportSettings.objects.filter(committee=committee).first()
        if committee is not None
        else None
    ) or ReportSettings(committee=committee)
    query = report_query(result)
    print_url = f"{reverse('programs:report-print')}?{query}"

    if request.method == "POST":
        if not can_save:
            raise PermissionDenied
        settings_form = ReportSettingsForm(request.POST, instance=settings_obj)
        if settings_form.is_valid():
            cleaned = settings_form.cleaned_data
            try:
                preferences.report_settings_save(
                    committee=committee,
                    user=request.user,
                    values={name: cleaned[name] for name in ReportSettingsForm.Meta.fields},
                    token=posted_token(request),
                )
            except ValidationError as error:
                settings_form.add_error(None, error)
            else:
                messages.success(request, _("The report’s header and signature were saved."))
                return redirect(print_url)
    else:
        settings_form = ReportSettingsForm(instance=settings_obj)

    fmt = (request.GET.get("format") or "").strip().lower()
    document_html = _render_document(request, result, committee, settings_obj, today)
    if fmt == "pdf":
        if context["pdf_available"]:
            return _pdf_response(request, result, document_html)
        form.add_error(
            None, _("PDF is not available on this server: print the page to PDF instead.")
        )
    elif fmt and fmt != "html":
        form.add_error(None, _("Unknown format “%(format)s”: choose pdf.") % {"format": fmt[:20]})

    context.update(
        report=result,
        committee=committee,
        document=document_html,
        settings_form=settings_form if can_save else None,
        query=query,
        print_url=print_url,
        report_url=f"{reverse('programs:reports')}?{query}",
        pdf_url=f"{print_url}&format=pdf",
    )
    return render(request, "reports/print.html", context)
