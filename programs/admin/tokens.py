"""The pages' one-time form token, on the admin site's add and change forms.

A double click on "Lưu", or a phone re-sending the form, would otherwise add a household or a
member twice. Each form carries a fresh token (``templates/admin/programs/change_form.html``);
the save claims it inside the admin's transaction (``services.tokens.claim_form``), so a copy
that arrives later, or at the same moment (it waits for the first to commit), changes nothing
and is answered like the first: back to the list with a message.
"""

import uuid

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from programs.forms.tokens import posted_token
from programs.services import tokens


class OneTimeFormAdmin:
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        posted = request.POST.get("token", "") if request.method == "POST" else ""
        token = posted if _is_uuid(posted) else str(uuid.uuid4())
        extra_context = {**(extra_context or {}), "one_time_token": token}
        # A copy of a form already carried out is answered before its data is judged again
        # (its version is no longer the current one, say); one arriving at the same moment
        # finds the token taken when it saves.
        if posted and tokens.form_submission(posted_token(request)) is not None:
            return self._already_saved(request)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except tokens.FormAlreadyDone:
            return self._already_saved(request)

    def _already_saved(self, request):
        self.message_user(
            request, _("This form was already saved; nothing was saved twice."), messages.INFO
        )
        opts = self.model._meta
        return HttpResponseRedirect(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))

    def save_form(self, request, form, change):
        # Called inside the admin's transaction, just before anything is written.
        tokens.claim_form(posted_token(request), user=request.user)
        return super().save_form(request, form, change)


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
