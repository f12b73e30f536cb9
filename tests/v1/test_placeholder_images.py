"""GET /images/<name>: the placeholder artwork this server serves itself."""

from __future__ import annotations

import struct

import httpx
import pytest

from opentrakt.config import Settings
from opentrakt.v1.presenters.images import image_url, placeholder_names

# (width, height) of each placeholder: posters 2:3, fanart 16:9, banner, episode screen, avatar.
SIZES = {
    "poster-small.jpg": (300, 450),
    "poster-small-138.jpg": (138, 207),
    "poster-small-300.jpg": (300, 450),
    "fanart-summary.jpg": (1920, 1080),
    "fanart-summary-218.jpg": (218, 123),
    "fanart-summary-940.jpg": (940, 529),
    "banner.jpg": (758, 140),
    "episode-screen.jpg": (400, 225),
    "avatar-large.jpg": (140, 140),
}


def jpeg_size(data: bytes) -> tuple[int, int]:
    """Width and height from the first start-of-frame marker."""
    assert data[:2] == b"\xff\xd8", "not a JPEG"
    offset = 2
    while offset < len(data):
        marker, length = data[offset + 1], struct.unpack(">H", data[offset + 2 : offset + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", data[offset + 5 : offset + 9])
            return width, height
        offset += 2 + length
    raise AssertionError("no frame header")


def test_every_placeholder_has_a_file_of_its_size() -> None:
    assert set(SIZES) == placeholder_names()


@pytest.mark.parametrize("name", sorted(SIZES))
async def test_placeholder_is_served_as_a_cacheable_jpeg(client: httpx.AsyncClient, name: str) -> None:
    response = await client.get(f"/images/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/jpeg"
    assert "max-age=31536000" in response.headers["cache-control"]
    assert int(response.headers["content-length"]) == len(response.content)
    assert jpeg_size(response.content) == SIZES[name]


async def test_placeholder_urls_in_responses_are_served(client: httpx.AsyncClient) -> None:
    url = image_url(None, "poster", Settings(public_url="http://testserver"))
    assert (await client.get(url)).status_code == 200


async def test_head_has_headers_but_no_body(client: httpx.AsyncClient) -> None:
    response = await client.head("/images/banner.jpg")
    assert response.status_code == 200
    assert response.content == b""
    assert int(response.headers["content-length"]) > 0


@pytest.mark.parametrize(
    "name", ["nope.jpg", "", "..%2F..%2Fpyproject.toml", "poster-small-999.jpg", "POSTER-SMALL.JPG"]
)
async def test_unknown_image_is_a_404_envelope(client: httpx.AsyncClient, name: str) -> None:
    response = await client.get(f"/images/{name}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json() == {"status": "failure", "error": "image not found"}


async def test_images_are_read_only(client: httpx.AsyncClient) -> None:
    response = await client.post("/images/banner.jpg", content=b"x")
    assert response.status_code == 405
    assert response.json()["status"] == "failure"
