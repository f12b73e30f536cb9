"""Follows, friends, visibility of protected users, comments and the activity stream."""
