"""The in-app inbox and the channel preferences."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from casework.models import NotificationPreference
from casework.selectors.notifications import notification_list
from casework.services.notifications import (
    notification_mark_read,
    notifications_mark_all_read,
    preference_set,
)
from casework.views.errors import or_404
from casework.views.paging import page_of


@login_required
def inbox(request):
    notifications = notification_list(viewer=request.user, unread=bool(request.GET.get("unread")))
    return render(request, "casework/inbox.html", {"page": page_of(request, notifications)})


@login_required
@require_POST
def inbox_read(request, pk: int):
    or_404(notification_mark_read, user=request.user, notification_id=pk)
    notification = notification_list(viewer=request.user).get(pk=pk)
    if notification.case_id and request.POST.get("open"):
        return redirect("case-detail", pk=notification.case_id)
    return redirect("inbox")


@login_required
@require_POST
def inbox_read_all(request):
    notifications_mark_all_read(user=request.user)
    return redirect("inbox")


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = NotificationPreference
        fields = ["email", "sms", "digest"]
        labels = {
            "email": _("Also send my notifications by email"),
            "sms": _("Also send my notifications by SMS"),
            "digest": _("Send me a digest of what is due each morning"),
        }


@login_required
def preferences(request):
    current = NotificationPreference.objects.filter(user=request.user).first()
    form = PreferenceForm(request.POST or None, instance=current or NotificationPreference())
    if request.method == "POST" and form.is_valid():
        preference_set(user=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("inbox")
    return render(request, "casework/preferences.html", {"form": form})
