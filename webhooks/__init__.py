"""Signed webhooks for case events, and the group robots (WeCom, DingTalk) of units."""
