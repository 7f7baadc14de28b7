import codecs

import pytest

from corpus_tools.encoding import UndecodableError, decode_bytes

TEXT = "The university’s “partnership” with Zürich was signed – in Köln."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16"),
    ],
)
def test_unicode_encodings_round_trip(data, encoding):
    decoded = decode_bytes(data)
    assert decoded.text == TEXT
    assert decoded.encoding == encoding


def test_cp1252_smart_quotes_are_decoded():
    decoded = decode_bytes(("Soochow University said: " + TEXT * 3).encode("cp1252"))
    assert "“partnership”" in decoded.text
    assert "university’s" in decoded.text
    assert decoded.encoding == "cp1252"


def test_latin1_accents_are_decoded():
    text = "Café de la Universidade de São Paulo and Besançon agreed on an exchange. " * 3
    decoded = decode_bytes(text.encode("latin-1"))
    assert "São Paulo" in decoded.text and "Besançon" in decoded.text


def test_empty_bytes_are_refused():
    with pytest.raises(UndecodableError, match="empty"):
        decode_bytes(b"")


def test_binary_data_is_refused():
    with pytest.raises(UndecodableError, match="binary"):
        decode_bytes(bytes(range(256)) * 8)


def test_bytes_that_decode_to_control_characters_are_refused():
    with pytest.raises(UndecodableError, match="binary"):
        decode_bytes(b"\x00\x01\x02\x03" * 100 + b"text")
