"""The in-app inbox and the channel preferences."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from casework.errors import NotFound
from casework.models import Notification, NotificationPreference
from casework.services.notifications import (
    notification_mark_read,
    notifications_mark_all_read,
    preference_set,
)


@login_required
def inbox(request):
    notifications = (
        Notification.objects.filter(user=request.user)
        .select_related("case")
        .order_by("-created_at", "-id")
    )
    if request.GET.get("unread"):
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(request, "casework/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_read(request, pk: int):
    try:
        notification_mark_read(user=request.user, notification_id=pk)
    except NotFound:
        raise Http404 from None
    notification = Notification.objects.get(pk=pk)
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
