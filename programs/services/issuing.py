"""Issuing a report: the committee's next number for the year, and the document, figures and
PDF frozen as they are at that moment; and the texts an office types before printing."""

from django.db import IntegrityError, transaction
from django.db.models import Max

from programs.models import IssuedReport, PartyCommittee, ReportText
from programs.services.tokens import FormAlreadyDone, claim_form

# A number taken by an officer issuing at the same moment: try the next one, a few times.
ATTEMPTS = 5


class IssueConflict(Exception):
    """Every attempt met another officer's number; nothing was issued."""


def report_text_for(committee: PartyCommittee | None, query: str) -> ReportText:
    """The texts typed for this report (III.1, III.2), or blank ones."""
    saved = None
    if committee is not None:
        saved = ReportText.objects.filter(committee=committee, query=query).first()
    return saved or ReportText(committee=committee, query=query)


def report_text_save(
    *, committee: PartyCommittee, query: str, user, shortcomings: str, proposals: str, token=None
) -> ReportText:
    """Save the texts typed for this report. Side effects: the committee's ReportText for
    ``query`` created or updated. A ``token`` already carried out changes nothing."""
    try:
        with transaction.atomic():
            claim_form(token, user=user)
            ReportText.objects.update_or_create(
                committee=committee,
                query=query,
                defaults={"shortcomings": shortcomings, "proposals": proposals, "updated_by": user},
            )
    except FormAlreadyDone:
        pass
    return report_text_for(committee, query)


def _next_number(committee: PartyCommittee, year: int) -> int:
    # The committee's row is locked first, so officers issuing at the same moment queue here
    # on PostgreSQL; the unique constraint stays the last word (and SQLite queues whole
    # transactions).
    PartyCommittee.objects.select_for_update().filter(pk=committee.pk).first()
    last = IssuedReport.objects.filter(committee=committee, year=year).aggregate(n=Max("number"))
    return (last["n"] or 0) + 1


def report_issue(*, committee: PartyCommittee, user, token=None, make, **fields) -> IssuedReport:
    """Issue a report for ``committee``: give it the next number of the year of ``issued_on``
    and store what ``make(number)`` returns — a dict with ``document_html``, ``figures`` and
    ``pdf`` (bytes, or b"") — frozen with ``fields`` (``issued_on``, ``query``, ``summary``,
    ``shortcomings``, ``proposals``).

    Side effects: one IssuedReport row; the committee's ReportText for the report's query
    keeps the texts it was issued with (the print page shows them again). A ``token``
    already carried out issues nothing and returns the report the first copy issued. Raises
    IssueConflict after ATTEMPTS numbers taken by others at the same moment.
    """
    year = fields["issued_on"].year
    for _attempt in range(ATTEMPTS):
        try:
            with transaction.atomic():
                submission = claim_form(token, user=user)
                number = _next_number(committee, year)
                issued = IssuedReport.objects.create(
                    committee=committee,
                    year=year,
                    number=number,
                    abbreviation=committee.abbreviation,
                    issued_by=user,
                    **fields,
                    **make(number),
                )
                ReportText.objects.update_or_create(
                    committee=committee,
                    query=fields["query"],
                    defaults={
                        "shortcomings": fields.get("shortcomings", ""),
                        "proposals": fields.get("proposals", ""),
                        "updated_by": user,
                    },
                )
                if submission is not None:
                    submission.result = {"issued_report": issued.pk}
                    submission.save(update_fields=["result"])
                return issued
        except FormAlreadyDone as done:
            return IssuedReport.objects.get(pk=done.submission.result["issued_report"])
        except IntegrityError:
            continue
    raise IssueConflict
