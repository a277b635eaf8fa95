"""The raw lists behind a report (sessions, participants, work done) as CSV or XLSX, for
pivot tables. The report's own tables download from the report page (``format=xlsx|csv``)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from programs.reports.periods import PeriodError, parse_period
from programs.reports.raw import RAW_LISTS, RawLists
from programs.reports.scopes import ScopeError, resolve_directive, resolve_scope
from programs.reports.writers import raw_csv_response, raw_xlsx_response


class _BadQuery(ValueError):
    """A query string the lists cannot be built from; the message is for the user."""


def _raw_lists(request) -> RawLists:
    """The lists of the scope and period in the query string, read as the report page reads
    them: a scope outside the user's reach is a 404, a malformed parameter a _BadQuery."""
    try:
        scope = resolve_scope(request.user, request.GET)
        period = parse_period(request.GET, timezone.localdate())
        directive = resolve_directive(request.GET)
    except (PeriodError, ScopeError) as error:
        raise _BadQuery(str(error)) from None
    # Files are in Vietnamese whatever the page's language (see programs.reports.writers).
    with translation.override("vi"):
        return RawLists(scope, period, directive)


def _bad_request(error: _BadQuery) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")


@login_required
@require_safe
def report_raw_csv(request):
    """One list (``list=sessions|attendance|outputs``, sessions by default), streamed."""
    which = (request.GET.get("list") or "sessions").strip()
    try:
        if which not in RAW_LISTS:
            raise _BadQuery(
                _("Unknown list “%(value)s”: choose sessions, attendance or outputs.")
                % {"value": which}
            )
        lists = _raw_lists(request)
    except _BadQuery as error:
        return _bad_request(error)
    return raw_csv_response(lists, which)


@login_required
@require_safe
def report_raw_xlsx(request):
    """The three lists as one workbook, a sheet each."""
    try:
        lists = _raw_lists(request)
    except _BadQuery as error:
        return _bad_request(error)
    return raw_xlsx_response(lists)
