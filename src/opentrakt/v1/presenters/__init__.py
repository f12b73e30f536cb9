"""Presenters: domain results to v1 JSON, one module per object kind."""
