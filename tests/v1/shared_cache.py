"""How long the tests of what callers share keep it (the ``cached_*`` fixtures in conftest)."""

TTL = 60
