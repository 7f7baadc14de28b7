"""Bytes to text: BOMs, UTF-8, then a maintained detector (charset-normalizer) for the rest."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

# English news in a legacy encoding is nearly always Windows-1252.
PREFERRED_LEGACY = "cp1252"

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAX_CONTROL_SHARE = 0.01
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we can recognise (the message says why)."""


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, with the encoding that was used."""

    text: str
    encoding: str


def decode_bytes(data: bytes) -> Decoded:
    """Decode file contents to text.

    Order: byte-order mark, strict UTF-8, then charset-normalizer's best guess. Binary data
    (NUL bytes outside UTF-16/32, many control characters) is refused rather than turned into
    mojibake.

    Args:
        data: The raw bytes of a file or record.

    Returns:
        The text and the name of the encoding.

    Raises:
        UndecodableError: The data is empty, binary or fits no encoding.
    """
    if not data:
        raise UndecodableError("empty file (0 bytes)")
    for bom, name in _BOMS:
        if data.startswith(bom):
            try:
                return check_text(data.decode(name), name)
            except UnicodeDecodeError as exc:
                raise UndecodableError(
                    f"starts with a {name} byte-order mark but is not {name}: {exc}"
                ) from exc
    try:
        return check_text(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    return check_text(*_detect(data))


def _detect(data: bytes) -> tuple[str, str]:
    matches = charset_normalizer.from_bytes(data)
    best = matches.best()
    if best is None:
        raise UndecodableError("binary data or an unknown encoding (no text encoding fits)")
    # On short texts several code pages are equally clean; the detector may then pick a
    # Baltic or Central European one. English news among them means Windows-1252.
    for match in matches:
        if match.chaos <= best.chaos and PREFERRED_LEGACY in match.could_be_from_charset:
            return str(match), PREFERRED_LEGACY
    return str(best), best.encoding


def check_text(text: str, encoding: str) -> Decoded:
    """Return ``text`` as :class:`Decoded`, refusing binary data that happened to decode.

    Raises:
        UndecodableError: More than 1% of the first 100,000 characters are control characters.
    """
    sample = text[:100_000]
    controls = len(_CONTROL.findall(sample))
    if sample and controls / len(sample) > _MAX_CONTROL_SHARE:
        raise UndecodableError(
            f"binary data ({controls} control characters in the first {len(sample)} "
            f"characters decoded as {encoding})"
        )
    return Decoded(text=text, encoding=encoding)
