"""``/me/tokens/``: a person's own API tokens — make one (its key shown once), rename, revoke."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from casework.selectors.tokens import token_list
from casework.services.tokens import (
    NAME_LIMIT,
    token_create,
    token_rename,
    token_revoke,
    tokens_per_person,
)
from casework.views.errors import refusal_as_form_error, refusal_as_message


class TokenNameForm(forms.Form):
    name = forms.CharField(
        label=pgettext_lazy("token", "Name"),
        max_length=NAME_LIMIT,
        help_text=_("Where the token is used, e.g. 平板-张三."),
    )


def _page(request, *, form=None, key=None, new_token=None, status=200):
    tokens = list(token_list(viewer=request.user))
    return render(
        request,
        "casework/tokens.html",
        {
            "tokens": tokens,
            "form": form or TokenNameForm(),
            "key": key,
            "new_token": new_token,
            "now": timezone.now(),
            "limit": tokens_per_person(),
        },
        status=status,
    )


@login_required
@never_cache
def token_index(request):
    """List the tokens; a POST makes one and shows its key on this answer only."""
    if request.method != "POST":
        return _page(request)
    form = TokenNameForm(request.POST)
    if form.is_valid():
        with refusal_as_form_error(form) as refused:
            token, key = token_create(user=request.user, name=form.cleaned_data["name"])
        if not refused:
            # Not a redirect: the key is never stored, not even in the session for one page.
            return _page(request, key=key, new_token=token)
    return _page(request, form=form, status=400)


@login_required
@require_POST
def token_rename_view(request, pk: int):
    form = TokenNameForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["name"]))
        return redirect("my-tokens")
    with refusal_as_message(request) as refused:
        token_rename(actor=request.user, token_id=pk, name=form.cleaned_data["name"])
    if not refused:
        messages.success(request, _("Renamed."))
    return redirect("my-tokens")


@login_required
@require_POST
def token_revoke_view(request, pk: int):
    with refusal_as_message(request) as refused:
        token_revoke(actor=request.user, token_id=pk)
    if not refused:
        messages.success(request, _("Revoked: the token no longer works."))
    return redirect("my-tokens")
