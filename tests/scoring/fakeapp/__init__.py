"""A stand-in for another app that keeps its own points source (see ``scoring.providers``)."""
