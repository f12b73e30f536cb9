"""The catalogue: movies, shows, seasons, episodes, people and genres."""
