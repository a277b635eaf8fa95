"""Reports: the figures of a committee, cell, commune or village over a period, on screen and as
the printed party document (Hướng dẫn 36-HD/VPTW), with its PDF.

The query string says everything (``committee``/``cell``/``commune``/``village``,
``directive``, ``period`` and its companions), so a report is a link that can be sent, printed
or exported. Bad parameters give a message on the page, never a server error; a scope outside
the user's reach is a 404 like any other object.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from programs import permissions
from programs.forms.reports import ReportFilterForm, ReportSettingsForm, ReportTextForm
from programs.forms.tokens import posted_token
from programs.models import Directive, ReportSettings
from programs.reports import cache as report_cache
from programs.reports import document, indicators, issued, pdf
from programs.reports.chart import month_chart
from programs.reports.periods import PeriodError, parse_period
from programs.reports.scopes import (
    ScopeError,
    name_for_period,
    resolve_directive,
    resolve_scope,
)
from programs.reports.writers import FORMATS as EXPORT_FORMATS
from programs.reports.writers import report_response
from programs.services import issuing, preferences


def _read_query(request, form, today):
    """The scope, period and directive the query string asks for (a ``cache.ReportQuery``),
    or None after adding the reasons to ``form``."""
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
    name_for_period(scope, period)
    return report_cache.ReportQuery(scope, period, directive, today)


def _read_report(request, form, today, *, language=None):
    """The report the query string asks for, or None after adding the reasons to ``form``.

    With ``language``, the labels computed while building (categories, units, levels) come
    out in that language."""
    query = _read_query(request, form, today)
    if query is None:
        return None
    if language is None:
        return query.report()
    with translation.override(language):
        return query.report()


def _filter_form(request):
    user = request.user
    queries = (
        permissions.committees_visible_to(user).order_by("name"),
        Directive.objects.order_by("-issued_on", "symbol"),
        # Every commune the user's villages were ever in, those a reform ended included.
        permissions.communes_visible_to(user)
        .select_related("district", "province")
        .order_by("name", "valid_from"),
    )
    # The choices (labels, in the user's language) are kept while the data is unchanged: the
    # communes a province officer may report on take a pass over every session to find.
    committees, directives, communes = report_cache.cached(
        "report-choices",
        report_cache.sql_of(*queries),
        lambda: ReportFilterForm.choices_of(*queries),
    )
    form = ReportFilterForm(
        request.GET, committees=committees, directives=directives, communes=communes
    )
    form.is_valid()  # plain text fields: always valid; the checks add their own errors
    form.choice_lists = (committees, directives, communes)
    return form


def _filter_form_html(request, form) -> str:
    """The filters as HTML: kept for the query string and the user's choices when the query
    was read without an error (the usual case), rendered each time otherwise."""

    def render():
        action = reverse("programs:reports")
        return render_to_string(
            "reports/includes/filter_form.html", {"form": form, "action": action}, request
        )

    if form.errors:
        return render()
    return report_cache.html(
        "report-filters", (form.choice_lists, sorted(request.GET.lists())), render
    )


def report_query(report, *, committee=None) -> str:
    """The query string that gives ``report`` again (without ``format``); with ``committee``
    (an id), the same report for that committee instead: a subtotal's drill-down."""
    params = {"committee": committee} if committee else {report.scope.kind: report.scope.obj.pk}
    if report.directive is not None:
        params["directive"] = report.directive.pk
    params.update(report.period.as_query())
    return urlencode(params)


# Rows per page of the long tables (cells, villages, households): a province year has 1,500
# cells, 1,800 villages and thousands of households; one page of each keeps the report's page
# under 300 KB. The totals above them, the subtotals and the downloads cover every row.
REPORT_ROWS_PER_PAGE = 50


@dataclass
class TablePage:
    """One page of a long table, with the links to the pages before and after (the rest of the
    report's query kept, the page of the other tables too)."""

    page: object
    previous_url: str = ""
    next_url: str = ""


def _table_page(request, rows, param: str, anchor: str) -> TablePage:
    # get_page: a missing, non-numeric or too large number gives the first or last page.
    page = Paginator(rows, REPORT_ROWS_PER_PAGE).get_page(request.GET.get(param))

    def url(number):
        params = request.GET.copy()
        params[param] = number
        return f"?{params.urlencode()}#{anchor}"

    return TablePage(
        page=page,
        previous_url=url(page.previous_page_number()) if page.has_previous() else "",
        next_url=url(page.next_page_number()) if page.has_next() else "",
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
    query = _read_query(request, form, today)
    fmt = (request.GET.get("format") or "").strip().lower()
    if fmt and fmt != "html":
        if fmt not in EXPORT_FORMATS:
            form.add_error(
                None,
                _("Unknown format “%(format)s”: choose xlsx or csv.") % {"format": fmt[:20]},
            )
        elif query is not None:
            return report_response(query.report(), fmt)
    body = ""
    # An unknown format is a message above the report, which is still shown.
    if query is not None:
        register_url = _register_url(request.user, query.scope.committee)
        # Everything below the filters depends on the report, the query string (the pages of
        # its tables) and the register link only: kept as HTML while the data is unchanged,
        # so a page read again neither sums nor renders the report again.
        body = query.page(
            "report-body",
            (sorted(request.GET.lists()), register_url),
            lambda: _render_body(request, query.report(), register_url),
        )
    return render(
        request,
        "reports/report.html",
        {"form": form, "filters": _filter_form_html(request, form), "body": body},
    )


def _render_body(request, result, register_url) -> str:
    """The report's figures, tables, trend and comparison, as HTML."""
    query = report_query(result)
    base = reverse("programs:reports")
    context = {
        "report": result,
        "query": query,
        "chart": month_chart(result.months),
        "visit_rows": _visit_rows(result),
        "subtotal_rows": [
            (row, f"{base}?{report_query(result, committee=row.key)}") for row in result.subtotals
        ],
        "comparison": indicators.comparison_rows(result),
        "cells_page": _table_page(request, result.cells_shown, "cells_page", "report-cells"),
        "villages_page": _table_page(request, result.villages, "villages_page", "report-villages"),
        "households_page": _table_page(
            request, result.households, "households_page", "report-households"
        ),
        "print_url": f"{reverse('programs:report-print')}?{query}",
        "xlsx_url": f"{base}?{query}&format=xlsx",
        "csv_url": f"{base}?{query}&format=csv",
        "raw_csv_url": f"{reverse('programs:report-raw-csv')}?{query}",
        "raw_xlsx_url": f"{reverse('programs:report-raw-xlsx')}?{query}",
        "register_url": register_url,
    }
    return render_to_string("reports/includes/report_body.html", context, request=request)


def _register_url(user, committee) -> str:
    """The committee's register of issued reports, when the user may read it."""
    if committee is None or not permissions.can_read_issued_reports(user, committee):
        return ""
    return reverse("programs:issued-reports", args=[committee.pk])


# --- The printed document -------------------------------------------------------------------


def _issuing_committee(request, report):
    """The committee that issues the document: the scope's, else the user's own."""
    if report.scope.committee is not None:
        return report.scope.committee
    return permissions.committees_visible_to(request.user).order_by("parent_id", "name").first()


def _render_document(
    request, report, committee, settings_obj, today, *, texts=None, number=""
) -> str:
    """The document's HTML, always in Vietnamese whatever the interface language."""
    with translation.override("vi"):
        context = document.document_context(
            report, committee, settings_obj, today, texts=texts, number=number
        )
        return render_to_string("reports/document.html", context, request=request)


def _saved_settings(committee) -> ReportSettings:
    """The committee's saved header and signature, or blank ones."""
    saved = None
    if committee is not None:
        saved = ReportSettings.objects.filter(committee=committee).first()
    return saved or ReportSettings(committee=committee)


def _save_settings(request, committee, settings_obj) -> ReportSettingsForm | None:
    """Save the posted header and signature; None once saved, else the form with its errors."""
    settings_form = ReportSettingsForm(request.POST, instance=settings_obj)
    if not settings_form.is_valid():
        return settings_form
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
        return settings_form
    messages.success(request, _("The report’s header and signature were saved."))
    return None


def _typed(text_form) -> dict:
    return {name: text_form.cleaned_data[name] for name in ReportTextForm.Meta.fields}


def _post_texts(request, committee, query, text_obj) -> ReportTextForm | None:
    """Save the typed shortcomings and proposals; None once saved, else the form."""
    text_form = ReportTextForm(request.POST, instance=text_obj)
    if not text_form.is_valid():
        return text_form
    issuing.report_text_save(
        committee=committee,
        query=query,
        user=request.user,
        token=posted_token(request),
        **_typed(text_form),
    )
    messages.success(request, _("The report’s text was saved."))
    return None


def _issue(request, result, committee, settings_obj, today, text_obj):
    """Issue the report shown with the posted texts: the redirect to the issued report, or the
    text form with its errors."""
    text_form = ReportTextForm(request.POST, instance=text_obj)
    if not text_form.is_valid():
        return text_form
    texts = _typed(text_form)
    query = report_query(result)
    with translation.override("vi"):
        summary = document.summary_line(result)

    def make(number):
        html = _render_document(
            request, result, committee, settings_obj, today, texts=texts, number=number
        )
        content = pdf.pdf_bytes(request, html) if pdf.available() else b""
        return {
            "document_html": html,
            "figures": issued.frozen_figures(result),
            "pdf": content,
        }

    try:
        report = issuing.report_issue(
            committee=committee,
            user=request.user,
            token=posted_token(request),
            make=make,
            issued_on=today,
            query=query,
            summary=summary[:500],
            **texts,
        )
    except issuing.IssueConflict:
        text_form.add_error(
            None, _("Other reports were being issued at the same moment; try again.")
        )
        return text_form
    messages.success(
        request, _("Report Số %(number)s was issued.") % {"number": report.number_text}
    )
    return redirect("programs:issued-report", committee.pk, report.pk)


def _print_post(request, result, committee, settings_obj, text_obj, today):
    """The print page's three forms: the header, the typed texts, and issuing. Returns a
    response, or the (settings form, text form) to show again with their errors."""
    action = request.POST.get("action", "settings")
    print_url = f"{reverse('programs:report-print')}?{report_query(result)}"
    if action == "issue" and not _may_issue(result):
        messages.error(request, CELL_NOT_ISSUED)
        return redirect(print_url)
    if action == "issue":
        outcome = _issue(request, result, committee, settings_obj, today, text_obj)
        if not isinstance(outcome, ReportTextForm):
            return outcome
        return None, outcome
    if action == "text":
        text_form = _post_texts(request, committee, report_query(result), text_obj)
        return redirect(print_url) if text_form is None else (None, text_form)
    settings_form = _save_settings(request, committee, settings_obj)
    return redirect(print_url) if settings_form is None else (settings_form, None)


# A cell's own report goes out under the cell's name and its own register ("…-BC/CB"), which
# the application does not keep: the committee's register numbers the committee's reports.
CELL_NOT_ISSUED = gettext_lazy(
    "A party cell’s report is printed and signed by the cell; only a committee’s report is "
    "issued with the committee’s number."
)


def _may_issue(result) -> bool:
    return result.scope.kind != "cell"


# Long: one page with three forms (the header settings, the typed sections III.1 and III.2,
# issuing) and three renderings (screen, A4, PDF); each branch is a line or two and calls a
# helper, and reading them together shows what the page does.
@login_required
@require_http_methods(["GET", "POST"])
def report_print(request):
    """The report as a party document: a page preview on screen, A4 on paper, or a PDF.

    POST (the committee's officers only) saves the header and signature, or the typed
    shortcomings and proposals, then comes back to the same report; or issues the report shown
    with the committee's next number and goes to the issued report.
    """
    today = timezone.localdate()
    form = _filter_form(request)
    result = _read_report(request, form, today, language="vi")
    context = {"form": form, "report": None, "pdf_available": pdf.available()}
    if result is None:
        return render(request, "reports/print.html", context)

    committee = _issuing_committee(request, result)
    can_save = committee is not None and permissions.can_plan(request.user, committee)
    settings_obj = _saved_settings(committee)
    query = report_query(result)
    text_obj = issuing.report_text_for(committee, query)
    print_url = f"{reverse('programs:report-print')}?{query}"
    settings_form = text_form = None
    if request.method == "POST":
        if not can_save:
            raise PermissionDenied
        outcome = _print_post(request, result, committee, settings_obj, text_obj, today)
        if not isinstance(outcome, tuple):
            return outcome
        settings_form, text_form = outcome
    defaults = document.header_defaults(committee)
    if settings_form is None:
        settings_form = ReportSettingsForm(instance=settings_obj, defaults=defaults)
    if text_form is None:
        text_form = ReportTextForm(instance=text_obj)
    texts = {"shortcomings": text_obj.shortcomings, "proposals": text_obj.proposals}

    register_url = _register_url(request.user, committee)
    fmt = (request.GET.get("format") or "").strip().lower()
    document_html = _render_document(request, result, committee, settings_obj, today, texts=texts)
    if fmt == "pdf":
        if context["pdf_available"]:
            return pdf.pdf_response(request, result.period, document_html)
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
        text_form=text_form if can_save else None,
        may_issue=_may_issue(result),
        cell_not_issued=CELL_NOT_ISSUED,
        register_url=register_url,
        issued_here=issued.issued_for(committee, query) if register_url else [],
        query=query,
        print_url=print_url,
        report_url=f"{reverse('programs:reports')}?{query}",
        pdf_url=f"{print_url}&format=pdf",
    )
    return render(request, "reports/print.html", context)
