"""Finding items: search, trending, calendars, related items, recommendations and item stats."""
