"""User ratings on the 10-point scale, their love/hate view and the community aggregates."""
