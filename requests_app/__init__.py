"""The front door: residents, requests, channels, visits, on-spot answers, public tracking."""
