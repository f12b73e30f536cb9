"""Custom lists: a user's named, ranked collections of movies, shows, seasons and episodes."""
