"""The v1 person object (search/people) and the credit entries of summaries' ``people``."""

from __future__ import annotations

from typing import Any

from opentrakt.catalog.models import Credit, People, Person
from opentrakt.config import Settings
from opentrakt.v1.presenters.fields import number
from opentrakt.v1.presenters.images import image_url


def present_person(person: Person, settings: Settings) -> dict[str, Any]:
    return {
        "name": person.name,
        "url": f"{settings.site_url}/person/{person.slug}",
        "biography": person.biography,
        "birthday": person.birthday,
        "birthplace": person.birthplace,
        "tmdb_id": number(person.tmdb_id),
        "images": {"headshot": image_url(person.headshot_url, "headshot", settings)},
    }


def _credit(credit: Credit, settings: Settings) -> dict[str, Any]:
    data: dict[str, Any] = {"name": credit.person.name}
    if credit.role == "actor":
        data["character"] = credit.character or ""
    elif credit.role == "writer":
        data["job"] = credit.job or ""
    elif credit.role == "producer":
        data["executive"] = credit.executive
    data["images"] = {"headshot": image_url(credit.person.headshot_url, "headshot", settings)}
    return data


def present_people(people: People, settings: Settings, *, actors_only: bool = False) -> dict[str, Any]:
    """Summaries' ``people``: movies list every role, shows only actors."""
    data: dict[str, Any] = {}
    if not actors_only:
        data["directors"] = [_credit(c, settings) for c in people.directors]
        data["writers"] = [_credit(c, settings) for c in people.writers]
        data["producers"] = [_credit(c, settings) for c in people.producers]
    data["actors"] = [_credit(c, settings) for c in people.actors]
    return data
