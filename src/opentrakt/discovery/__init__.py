"""Finding items: search (trending, calendars, related items and recommendations to follow)."""
