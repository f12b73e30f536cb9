"""opentrakt: a self-hostable watch tracker that speaks the trakt.tv API v1."""

__version__ = "0.1.0"
