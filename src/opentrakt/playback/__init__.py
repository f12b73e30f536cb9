"""Watching, scrobbles and check-ins: a user's live playback state and the plays it becomes."""
