"""Image URLs: stored artwork, size renditions, and the placeholders this server serves."""

from __future__ import annotations

from opentrakt.config import Settings

# File names keep the substrings old clients test to skip placeholders (poster-small, fanart-summary, …).
PLACEHOLDERS = {
    "poster": "poster-small.jpg",
    "fanart": "fanart-summary.jpg",
    "banner": "banner.jpg",
    "screen": "episode-screen.jpg",
    "headshot": "avatar-large.jpg",
    "avatar": "avatar-large.jpg",
}
# Renditions by width, inserted before the extension: posters-138/-300, fanart -218/-940.
SIZES = {"poster": ("138", "300"), "fanart": ("218", "940")}


def image_url(url: str | None, slot: str, settings: Settings) -> str:
    """The stored URL, or the placeholder for the slot; never null."""
    return url or f"{settings.public_url}/images/{PLACEHOLDERS[slot]}"


def sized(url: str, size: str) -> str:
    """``…/posters/5.jpg`` → ``…/posters/5-300.jpg``."""
    stem, dot, extension = url.rpartition(".")
    if not dot or "/" in extension:
        return f"{url}-{size}"
    return f"{stem}-{size}.{extension}"


def placeholder_names() -> set[str]:
    """Every file name the image route answers: each placeholder and its size renditions."""
    names = set(PLACEHOLDERS.values())
    for slot, sizes in SIZES.items():
        for size in sizes:
            names.add(sized(PLACEHOLDERS[slot], size))
    return names
