"""Template tags and filters of the casework app."""
