"""One way to say that an argument is wrong, so every message reads the same."""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any


class ParameterError(ValueError):
    """An argument or notebook parameter has a value that cannot be used."""


def invalid(name: str, value: Any, expected: str) -> ParameterError:
    """Build the error for argument ``name``.

    Example: ``invalid("window", "page", "one of ['sentence', 'paragraph']")`` reads
    "`window` value = 'page' is invalid; value must be one of ['sentence', 'paragraph']."
    """
    return ParameterError(f"`{name}` value = {value!r} is invalid; value must be {expected}.")


def check_choice(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``allowed``, else raise :class:`ParameterError`."""
    allowed = list(allowed)
    if value not in allowed:
        raise invalid(name, value, f"one of {allowed}")
    return value


def check_number(
    name: str, value: Any, *, minimum: float | None = None, maximum: float | None = None
) -> Any:
    """Return ``value`` if it is a number within the bounds, else raise :class:`ParameterError`."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise invalid(name, value, "a finite number")
    if minimum is not None and value < minimum:
        raise invalid(name, value, f">= {minimum}")
    if maximum is not None and value > maximum:
        raise invalid(name, value, f"<= {maximum}")
    return value


def check_flag(name: str, value: Any) -> bool:
    """Return ``value`` if it is ``True`` or ``False``, else raise :class:`ParameterError`."""
    if not isinstance(value, bool):
        raise invalid(name, value, "True or False")
    return value


def check_existing_path(name: str, value: str | Path) -> Path:
    """Return ``value`` as a Path if it exists, else raise :class:`ParameterError` naming it."""
    path = Path(value).expanduser()
    if not path.exists():
        raise invalid(name, str(value), "an existing file or folder (not found)")
    return path


def check_list(
    name: str, value: str, allowed: Iterable[str], *, upper: bool = False, required: bool = False
) -> list[str]:
    """Split a comma-separated parameter and check every item against ``allowed``.

    With ``required``, an empty list is an error too.

    Example: ``check_list("types", "org,place", ENTITY_TYPES, upper=True)`` → ``["ORG", "PLACE"]``.
    """
    allowed = list(allowed)
    items = [v.strip().upper() if upper else v.strip() for v in str(value).split(",") if v.strip()]
    if required and not items:
        raise invalid(name, value, f"a comma-separated list of {allowed}")
    for item in items:
        check_choice(name, item, allowed)
    return items


def check_sources(
    corpus: str, metadata: str, aliases: str
) -> tuple[Path, Path | None, Path | None]:
    """Check the notebooks' input parameters, each of which must exist.

    The corpus (empty: the bundled seeds), an optional metadata file, an optional alias registry.
    """
    from corpus_tools.paths import resolve_corpus

    return (
        check_existing_path("corpus", resolve_corpus(corpus)),
        check_existing_path("metadata", metadata) if metadata else None,
        check_existing_path("aliases", aliases) if aliases else None,
    )
