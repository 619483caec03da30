"""The one place the webhooks app listens to casework: its ``events.recorded`` signal."""

from webhooks.services import events_fan_out


def case_events_recorded(sender, events, **kwargs):
    events_fan_out(events=events)
