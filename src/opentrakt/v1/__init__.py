"""The trakt.tv API v1 adapter: registry, router, credentials, envelopes, presenters, handlers."""
