"""Villagers' opinions: the list of those in the user's scope, and the follow-up of one
opinion of a confirmed log (status, who resolves it, when) without reopening the log."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from programs import permissions, selectors
from programs.forms.opinions import OpinionFilterForm, OpinionFollowUpForm
from programs.forms.tokens import carry_current_version, posted_token
from programs.services import opinions as opinion_services
from programs.services import tokens


@login_required
@require_http_methods(["GET"])
def opinion_list(request):
    """Opinions of confirmed logs in the user's scope, the open ones by default, filtered by
    status, field and village, paginated."""
    if not permissions.can_see_opinions(request.user):
        raise PermissionDenied
    form = OpinionFilterForm(request.GET, villages=selectors.opinion_villages(request.user))
    filters = form.filters()
    opinions = selectors.opinions_filtered(request.user, **filters)
    page = Paginator(opinions, selectors.OPINIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "opinions/list.html",
        {"form": form, "page_obj": page, "filters": filters},
    )


def _followed_up(request, opinion):
    messages.success(request, _("The opinion's follow-up was saved."))
    return redirect(opinion.session.get_absolute_url() + "#opinions-heading")


@login_required
@require_http_methods(["GET", "POST"])
def opinion_follow_up(request, pk):
    opinion = permissions.get_opinion_or_404(request.user, pk, write=True)
    session = opinion.session
    if request.method == "POST" and tokens.form_already_done(posted_token(request), session):
        return _followed_up(request, opinion)
    if not session.log_is_locked:
        messages.error(
            request,
            _("The log of this session is not confirmed yet: change the opinion in the log form."),
        )
        return redirect(session.get_absolute_url())
    form = OpinionFollowUpForm(request.POST or None, opinion=opinion)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = opinion_services.opinion_follow_up(
                opinion=opinion,
                user=request.user,
                version=data["version"],
                status=data["status"],
                resolver=data["resolver"],
                resolved_on=data["resolved_on"],
                token=posted_token(request),
            )
        except opinion_services.StaleEditError as error:
            messages.error(
                request,
                _(
                    "Someone else updated this opinion meanwhile: it now reads as shown above. "
                    "Your changes are still in the form; save again to apply them."
                ),
            )
            opinion = error.current
            carry_current_version(form, error.current.version)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _followed_up(request, saved)
    return render(
        request,
        "opinions/follow_up.html",
        {"form": form, "opinion": opinion, "session": session},
    )
