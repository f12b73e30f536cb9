"""The v1 user object and the account/settings payload built from it."""

from __future__ import annotations

from typing import Any

from opentrakt.accounts.models import User, UserSettings
from opentrakt.config import Settings


def avatar_url(user: User, settings: Settings) -> str:
    # No third-party avatar service: a self-hosted server shouldn't send users' e-mail hashes away.
    return user.avatar_url or f"{settings.public_url}/images/avatar-large.jpg"


def profile_url(user: User, settings: Settings) -> str:
    return f"{settings.site_url}/user/{user.username}"


def present_user(user: User, settings: Settings, *, joined: bool = True) -> dict[str, Any]:
    """The user object of search/users, profiles and networks (activity items drop ``joined``)."""
    data: dict[str, Any] = {
        "username": user.username,
        "protected": user.protected,
        "full_name": user.full_name,
        "gender": user.gender,
        "age": user.age if user.age is not None else "",
        "location": user.location,
        "about": user.about,
    }
    if joined:
        data["joined"] = user.joined
    data["avatar"] = avatar_url(user, settings)
    data["url"] = profile_url(user, settings)
    return data


def _connection(timeline: bool = False) -> dict[str, bool]:
    data = {"connected": False}
    if timeline:
        data["timeline_enabled"] = False
    data.update(
        share_scrobbles_start=False,
        share_scrobbles_end=False,
        share_tv=True,
        share_movies=True,
        share_ratings=False,
        share_checkins=False,
    )
    return data


def present_settings(user: User, prefs: UserSettings, settings: Settings) -> dict[str, Any]:
    """Everything after ``status``/``message`` in account/settings."""
    return {
        "profile": {
            "username": user.username,
            "full_name": user.full_name,
            "gender": user.gender,
            "age": user.age if user.age is not None else "",
            "location": user.location,
            "about": user.about,
            "joined": user.joined,
            "last_login": user.last_login,
            "avatar": avatar_url(user, settings),
            "url": profile_url(user, settings),
            "vip": user.vip,
        },
        "account": {
            "timezone": prefs.timezone,
            "use_24hr": prefs.use_24hr,
            "protected": user.protected,
        },
        "viewing": {
            "ratings": {"mode": prefs.ratings_mode},
            "shouts": {
                "show_badges": prefs.shouts_show_badges,
                "show_spoilers": prefs.shouts_show_spoilers,
            },
        },
        # Social networks are not connected from a self-hosted server; the shape stays complete.
        "connections": {
            "facebook": _connection(timeline=True),
            "twitter": _connection(),
            "tumblr": _connection(),
            "path": {"connected": False},
            "prowl": {"connected": False},
        },
        "sharing_text": {
            "watching": prefs.sharing_text_watching,
            "watched": prefs.sharing_text_watched,
        },
    }
