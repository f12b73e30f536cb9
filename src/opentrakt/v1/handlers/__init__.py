"""One module per v1 section; importing them registers their methods."""

import importlib

SECTIONS = ("account", "server")


def load_handlers() -> None:
    for section in SECTIONS:
        importlib.import_module(f"{__name__}.{section}")
