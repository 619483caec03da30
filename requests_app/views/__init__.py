"""Intake pages."""
