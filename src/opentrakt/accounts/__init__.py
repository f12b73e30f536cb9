"""Users, credentials, API keys and settings."""
