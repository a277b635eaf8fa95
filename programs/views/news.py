"""A session's news item (draft, edit, downloads, share switch) and its public share card.

The news page composes a district news item from the confirmed logs of the session and,
by default, the committee's other confirmed sessions of the same day; the person edits and
saves it. The share card (``/share/<token>/``) is public and read-only: it shows what the
composer marks public (never a member's name or a household that did not agree to be named)
and lives only while an officer keeps it published.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from programs import permissions
from programs.forms.news import NewsEditForm, NewsSelectionForm, ShareForm
from programs.forms.tokens import carry_current_version, posted_token
from programs.models import LabourSession, NewsDraft, Photo
from programs.photos import public_copy
from programs.reports import news as composer
from programs.reports.news_files import file_stem, news_docx, news_html, paragraphs_of
from programs.selectors import news as news_selectors
from programs.services import news as news_services
from programs.services.tokens import FormAlreadyDone
from programs.text import vn_date, vn_number

SHARE_PHOTOS = 2


@dataclass
class _Coverage:
    sessions: list[int]
    photos: list[int]
    language: str


@dataclass
class _NewsPage:
    """What the news page shows for one session, read in a fixed number of queries."""

    session: LabourSession
    candidates: list
    photos: list
    draft: NewsDraft | None
    selection: NewsSelectionForm | None = None
    coverage: _Coverage | None = None
    text: composer.NewsText | None = None
    facts: composer.NewsFacts | None = None
    recomposed: bool = False

    @classmethod
    def load(cls, request, session):
        candidates = news_selectors.news_candidates(
            permissions.sessions_visible_to(request.user), session
        )
        for candidate in candidates:
            candidate.news_label = (
                f"{vn_date(candidate.date)} · {candidate.cell} · {candidate.village}"
            )
        photos = list(
            Photo.objects.filter(session__in=[c.pk for c in candidates]).order_by(
                "session__date", "created_at", "id"
            )
        )
        for number, photo in enumerate(photos, start=1):
            photo.news_label = photo.caption or _("Photo %(number)s") % {"number": number}
        page = cls(session, candidates, photos, news_selectors.news_draft_for(session))
        page._choose(request.GET)
        return page

    def _default(self) -> _Coverage:
        if self.draft is not None:
            # Only what the user may see: an officer may have extended the item to other
            # cells' sessions, which a secretary neither reads nor is offered as a choice.
            offered = {c.pk for c in self.candidates}
            offered_photos = {p.pk for p in self.photos}
            return _Coverage(
                [s.pk for s in self.draft.sessions.all() if s.pk in offered],
                [p.pk for p in self.draft.photos.all() if p.pk in offered_photos],
                self.draft.language,
            )
        same_day = [c.pk for c in self.candidates if c.date == self.session.date]
        same_day.sort(key=lambda pk: pk != self.session.pk)  # the page's own session first
        photos = [p.pk for p in self.photos if p.session_id in same_day][:SHARE_PHOTOS]
        return _Coverage(same_day, photos, NewsDraft.Language.VIETNAMESE)

    def _choose(self, query) -> None:
        kwargs = {"candidates": self.candidates, "photos": self.photos}
        coverage = self._default()
        if "sessions" in query:
            self.selection = NewsSelectionForm(query, **kwargs)
            if self.selection.is_valid():
                data = self.selection.cleaned_data
                coverage = _Coverage(data["sessions"], data["photos"], data["language"])
                self.recomposed = True
        else:
            self.selection = NewsSelectionForm(initial=coverage.__dict__, **kwargs)
        self.coverage = coverage
        sources = news_selectors.news_sources(coverage.sessions, first=self.session.pk)
        chosen = {pk: photo for pk, photo in ((p.pk, p) for p in self.photos)}
        photos = [chosen[pk] for pk in coverage.photos if pk in chosen]
        self.facts = composer.news_facts(sources, photos=photos, language=coverage.language)
        self.text = composer.compose(self.facts)

    @property
    def shown(self) -> dict:
        """The text the page, the form and the downloads hold: the saved draft unless the
        person composed again from the logs."""
        if self.draft is not None and not self.recomposed:
            return {
                "headline": self.draft.headline,
                "lead": self.draft.lead,
                "body": self.draft.body,
            }
        return {"headline": self.text.headline, "lead": self.text.lead, "body": self.text.body}

    def out_of_scope(self) -> tuple[list[int], list[int]]:
        """The saved draft's sessions and photos the user is not offered (another cell's,
        added by an officer): a save keeps them instead of silently dropping them."""
        if self.draft is None:
            return [], []
        offered = {c.pk for c in self.candidates}
        offered_photos = {p.pk for p in self.photos}
        return (
            [s.pk for s in self.draft.sessions.all() if s.pk not in offered],
            [p.pk for p in self.draft.photos.all() if p.pk not in offered_photos],
        )

    def edit_form(self, data=None) -> NewsEditForm:
        initial = {**self.shown, **self.coverage.__dict__}
        initial["version"] = self.draft.version if self.draft else 0
        return NewsEditForm(data, initial=initial, candidates=self.candidates, photos=self.photos)


def _is_confirmed(session) -> bool:
    return (
        session.status == LabourSession.Status.HELD
        and session.log_status == LabourSession.LogStatus.CONFIRMED
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_news(request, pk):
    write = request.method == "POST"
    session = permissions.get_session_for_news_or_404(request.user, pk, write=write)
    if not _is_confirmed(session):
        return render(request, "news/page.html", {"session": session, "not_confirmed": True})
    page = _NewsPage.load(request, session)
    if write:
        return _post(request, page)
    if request.GET.get("format") in ("docx", "html"):
        return _download(request, page, request.GET["format"])
    return _render(request, page)


def _render(request, page: _NewsPage, *, edit_form=None, share_form=None, status=200):
    user, session = request.user, page.session
    can_write = permissions.can_write_news(user, session)
    draft = page.draft
    version = draft.version if draft else 0
    context = {
        "session": session,
        "page": page,
        "shown": page.shown,
        "paragraphs": paragraphs_of(page.shown["body"]),
        "draft": draft,
        "can_write": can_write,
        "can_publish": permissions.can_publish_news(user, session),
        "edit_form": edit_form or (page.edit_form() if can_write else None),
        "share_form": share_form or ShareForm(initial={"version": version}),
        "share_url": _share_url(request, draft),
        "languages": NewsDraft.Language,
    }
    return render(request, "news/page.html", context, status=status)


def _share_url(request, draft) -> str:
    if draft is None or not draft.share_token:
        return ""
    return request.build_absolute_uri(reverse("programs:share-card", args=[draft.share_token]))


def _download(request, page: _NewsPage, kind: str):
    shown, figures = page.shown, page.facts.figures
    stem = file_stem(shown["headline"])
    if kind == "docx":
        response = HttpResponse(
            news_docx(**shown, figures=figures),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        response["Content-Disposition"] = f'attachment; filename="{stem}.docx"'
        return response
    urls = _share_photo_urls(request, page.draft, figures)
    html = news_html(**shown, figures=figures, language=page.coverage.language, photo_urls=urls)
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{stem}.html"'
    return response


def _card_photos(draft, confirmed) -> list:
    """The photos the share card shows, in its numbering (``/photos/<n>.jpg``): the saved
    draft's photos of sessions still confirmed, the first ``SHARE_PHOTOS``."""
    return [p for p in draft.photos.all() if p.session_id in confirmed][:SHARE_PHOTOS]


def _share_photo_urls(request, draft, figures) -> dict:
    """The public address of each figure the share card shows, by the figure's number; the
    card's numbering, not the page's, so each link opens the same photo."""
    if draft is None or not draft.share_token:
        return {}
    confirmed = news_selectors.confirmed_session_ids({p.session_id for p in draft.photos.all()})
    numbers = {p.pk: n for n, p in enumerate(_card_photos(draft, confirmed), start=1)}
    return {
        f.number: request.build_absolute_uri(
            reverse("programs:share-photo", args=[draft.share_token, numbers[f.photo.pk]])
        )
        for f in figures
        if f.photo.pk in numbers
    }


def _post(request, page: _NewsPage):
    action = request.POST.get("action")
    if action == "save":
        return _save(request, page)
    if action in ("publish", "revoke"):
        if not permissions.can_publish_news(request.user, page.session):
            raise PermissionDenied
        return _share(request, page, publish=action == "publish")
    messages.error(request, _("Choose an action."))
    return _render(request, page, status=400)


def _save(request, page: _NewsPage):
    form = page.edit_form(request.POST)
    if not form.is_valid():
        return _render(request, page, edit_form=form)
    data = form.cleaned_data
    hidden_sessions, hidden_photos = page.out_of_scope()
    try:
        draft = news_services.news_draft_save(
            session=page.session,
            user=request.user,
            version=data["version"],
            token=posted_token(request),
            data=news_services.NewsInput(
                headline=data["headline"],
                lead=data["lead"],
                body=data["body"],
                language=data["language"],
                session_ids=[*data["sessions"], *hidden_sessions],
                photo_ids=[*data["photos"], *hidden_photos],
            ),
            may_publish=permissions.can_publish_news(request.user, page.session),
        )
    except FormAlreadyDone:
        messages.info(request, _("This news item was already saved; it was not saved twice."))
    except news_services.StaleEditError as error:
        messages.error(
            request,
            _(
                "Someone else saved this news item while you were editing it. Your text was not "
                "saved; it is still in the form below. Check the saved text and save again."
            ),
        )
        carry_current_version(form, error.current.version if error.current else 0)
        return _render(request, page, edit_form=form, status=409)
    else:
        if draft.card_withdrawn:
            messages.success(
                request,
                _(
                    "The news item was saved. Its share card was withdrawn, as only an officer "
                    "may publish the changed text; ask an officer to publish it again."
                ),
            )
        else:
            messages.success(request, _("The news item was saved."))
    return redirect("programs:session-news", page.session.pk)


def _share(request, page: _NewsPage, *, publish: bool):
    form = ShareForm(request.POST)
    if not form.is_valid():
        return _render(request, page, share_form=form, status=400)
    service = news_services.news_share_publish if publish else news_services.news_share_revoke
    try:
        service(
            session=page.session,
            user=request.user,
            version=form.cleaned_data["version"],
            token=posted_token(request),
        )
    except FormAlreadyDone:
        pass
    except NewsDraft.DoesNotExist:
        messages.error(request, _("Save the news item first; then it can be made public."))
        return redirect("programs:session-news", page.session.pk)
    except news_services.StaleEditError:
        messages.error(
            request, _("Someone else changed this news item meanwhile. Check it and try again.")
        )
        return redirect("programs:session-news", page.session.pk)
    if publish:
        messages.success(request, _("The share card is public. Anyone with its link can see it."))
    else:
        messages.success(request, _("The share card was withdrawn. Its link no longer works."))
    return redirect("programs:session-news", page.session.pk)


# --- The public share card ------------------------------------------------------------------


def _published(token):
    """The published draft and its public facts, or 404: revoked, never published, or its
    session's log no longer confirmed (reopened for correction)."""
    draft = news_selectors.news_draft_by_token(str(token))
    if draft is None or not _is_confirmed(draft.session):
        raise Http404
    ids = [s.pk for s in draft.sessions.all()]
    sources = news_selectors.news_sources(ids, first=draft.session_id)
    # Only photos of sessions still confirmed: a reopened log's photos leave the card with it.
    confirmed = {s.pk for s in sources.sessions}
    photos = _card_photos(draft, confirmed)
    facts = composer.news_facts(sources, photos=photos, language=draft.language)
    return draft, sources, facts


@require_safe
def share_card(request, token):
    draft, sources, facts = _published(token)
    text = composer.compose(facts)
    check = composer.PrivacyCheck(sources.private_names)
    # The edited headline and lead when they name nobody private; else the composed ones.
    headline = draft.headline if check.is_public(draft.headline) else text.headline
    lead = draft.lead if check.is_public(draft.lead) else text.lead
    with translation.override(draft.language):  # units in the item's language, as its text
        works = [f"{w.text} ({w.quantity_text})" for w in facts.works]
    response = render(
        request,
        "news/share.html",
        {
            "draft": draft,
            "facts": facts,
            "headline": headline,
            "lead": lead,
            "figures": facts.figures,
            "works": works,
            "person_visits": vn_number(facts.person_visits),
            "workdays": vn_number(facts.workdays),
            "villages": composer.join_words(
                [f"{kind} {name}" for kind, name in facts.villages], draft.language
            ),
            "page_url": request.build_absolute_uri(),
            "image_url": request.build_absolute_uri(
                reverse("programs:share-photo", args=[draft.share_token, 1])
            )
            if facts.figures
            else "",
        },
    )
    # Search engines stay out: a revoked card must not live on in their caches (link
    # previews in Zalo and Facebook read the Open Graph tags all the same).
    response["X-Robots-Tag"] = "noindex"
    # Private: a shared cache (a proxy, a CDN) would go on serving a withdrawn card.
    response["Cache-Control"] = "private, max-age=60"
    return response


@require_safe
def share_photo(request, token, number):
    _draft, _sources, facts = _published(token)
    if not 1 <= number <= len(facts.figures):
        raise Http404
    picture = public_copy(facts.figures[number - 1].photo.image)
    if picture is None:
        raise Http404
    response = HttpResponse(picture, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    response["X-Content-Type-Options"] = "nosniff"
    return response
