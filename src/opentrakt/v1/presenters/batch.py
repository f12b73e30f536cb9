"""The envelopes of bulk collection writes: counters plus the submitted items echoed back."""

from __future__ import annotations

from typing import Any


def present_counters(
    noun: str, inserted: int, already: list[Any], skipped: list[Any], *, message: str | None = None
) -> dict[str, Any]:
    """``{"status":"success", ["message",] "inserted", "already_exist", "already_exist_<noun>",
    "skipped", "skipped_<noun>"}`` — the recorded movie/seen shape (which has no message)."""
    body: dict[str, Any] = {"status": "success"}
    if message is not None:
        body["message"] = message
    body["inserted"] = inserted
    body["already_exist"] = len(already)
    body[f"already_exist_{noun}"] = already
    body["skipped"] = len(skipped)
    body[f"skipped_{noun}"] = skipped
    return body


def present_message(
    message: str, *, noun: str | None = None, skipped: list[Any] | None = None
) -> dict[str, Any]:
    """A plain success message; items that could not be matched are listed when there are any."""
    body: dict[str, Any] = {"status": "success", "message": message}
    if skipped and noun:
        body["skipped"] = len(skipped)
        body[f"skipped_{noun}"] = skipped
    return body
