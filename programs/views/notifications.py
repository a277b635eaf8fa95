"""The notification pages: the in-app list, the person's settings (kinds on or off per channel,
language, this phone's Web Push), unsubscribing from an e-mail link without signing in, a
committee's reminder day counts, and the Web Push subscription endpoint."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from programs import permissions, selectors
from programs.forms.notifications import (
    NotificationRulesForm,
    PreferencesForm,
    PushSubscriptionForm,
)
from programs.forms.tokens import posted_token
from programs.models import (
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
    NotificationRules,
    PushSubscription,
    UserProfile,
)
from programs.notifications.channels.registry import configured_channels
from programs.notifications.channels.webpush import vapid_configured
from programs.notifications.unsubscribe import read_token
from programs.services import notifications as services

PER_PAGE = 25


@login_required
@require_http_methods(["GET"])
def notification_list(request):
    page = Paginator(selectors.inbox(request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "notifications": list(page.object_list)},
    )


@login_required
@require_POST
def notification_mark_read(request):
    services.notifications_mark_read(user=request.user)
    messages.success(request, _("All notifications are marked as read."))
    return redirect("programs:notifications")


def _disabled(user) -> set[tuple[str, str]]:
    return set(
        NotificationPreference.objects.filter(user=user, enabled=False).values_list(
            "kind", "channel"
        )
    )


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request):
    channels = [backend.name for backend in configured_channels()]
    profile = UserProfile.objects.filter(user=request.user).first()
    form = PreferencesForm(
        request.POST or None,
        channels=channels,
        disabled=_disabled(request.user),
        initial={"language": profile.language if profile else "vi"},
    )
    if request.method == "POST" and form.is_valid():
        services.notification_preferences_save(
            user=request.user,
            choices=form.choices(),
            language=form.cleaned_data["language"],
            token=posted_token(request),
        )
        messages.success(request, _("Your notification settings were saved."))
        return redirect("programs:notification-settings")
    return render(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "push_enabled": vapid_configured(),
            "vapid_public_key": settings.VAPID_PUBLIC_KEY,
            "push_count": PushSubscription.objects.filter(user=request.user).count(),
            "rule_committees": permissions.committees_with_officer_role(request.user),
        },
    )


# No login and no CSRF token: the signed token in the address is the only authority (a member
# has no account), and mail programs send the RFC 8058 one-click POST without a form.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def notification_unsubscribe(request, token):
    parsed = read_token(token)
    if parsed is None or parsed[2] not in NotificationKind.values:
        return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
    who, pk, kind, channel = parsed
    context = {
        "kind_label": NotificationKind(kind).label,
        "channel_label": NotificationChannel(channel).label
        if channel in NotificationChannel.values
        else channel,
    }
    if request.method == "POST":
        if not services.notification_unsubscribe(who=who, pk=pk, kind=kind, channel=channel):
            return render(request, "notifications/unsubscribe.html", {"invalid": True}, status=404)
        context["done"] = True
    return render(request, "notifications/unsubscribe.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def notification_rules(request, committee):
    committee = permissions.get_committee_or_404(request.user, committee, manage=True)
    rules = NotificationRules.objects.filter(committee=committee).first()
    form = NotificationRulesForm(
        request.POST or None, instance=rules or NotificationRules(committee=committee)
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in NotificationRulesForm.Meta.fields}
        try:
            services.notification_rules_save(
                committee=committee, user=request.user, values=values, token=posted_token(request)
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The reminder days were saved."))
            return redirect("programs:notification-rules", committee=committee.pk)
    return render(request, "notifications/rules.html", {"form": form, "committee": committee})


@login_required
@require_POST
def push_subscribe(request):
    """Posted by static/js/push-subscribe.js after the browser subscribed (form-encoded, with
    the CSRF token); answers 204, or 400 for anything that is not a subscription."""
    if not vapid_configured():
        return HttpResponseBadRequest()
    form = PushSubscriptionForm(request.POST)
    if not form.is_valid():
        # Why, for whoever reads the answer (the script, or a person testing by hand).
        reasons = [str(error) for errors in form.errors.values() for error in errors]
        return HttpResponseBadRequest(" ".join(reasons), content_type="text/plain; charset=utf-8")
    services.push_subscription_save(
        user=request.user,
        user_agent=request.headers.get("User-Agent", "")[:300],
        **form.cleaned_data,
    )
    return HttpResponse(status=204)


@login_required
@require_POST
def push_unsubscribe(request):
    services.push_subscription_delete(
        user=request.user, endpoint=request.POST.get("endpoint", "")[:1000]
    )
    return HttpResponse(status=204)
