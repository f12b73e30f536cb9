"""Plays, collection, watchlist, unseen marks, progress and last activity."""
