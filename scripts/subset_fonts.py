"""Subset the Urdu Nastaliq webfont to the characters the platform's Nastaliq texts use.

    .venv/bin/python scripts/subset_fonts.py OUT.woff2

Called by scripts/build-frontend.mjs. Reads every Urdu (and Shahmukhi Punjabi, also written in
Nastaliq) text the platform shows: the page catalogues, the consent documents, the instrument
translations and the languages' own names; keeps the Arabic-script characters among them that the
font has, plus the digits and punctuation numbers and dates use; writes OUT.woff2 and prints, as
JSON, the `unicode-range` that matches it, so a browser downloads the font only for a page that
shows one of those characters. With no such text yet, it keeps the whole Arabic block (U+0600-06FF),
which Urdu is written in.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml
from babel import Locale
from babel.messages.pofile import read_po
from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "node_modules/@fontsource/noto-nastaliq-urdu/files/noto-nastaliq-urdu-arabic-400-normal.woff2"
NASTALIQ_LOCALES = ("ur", "pa_Arab")
# The scripts' ranges the font is used for (the rest of a page, Latin included, keeps the device's font).
ARABIC_SCRIPT = [*range(0x0600, 0x0700), *range(0x0750, 0x0780), *range(0x08A0, 0x0900),
                 *range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)]
# Always kept: Arabic-Indic and Urdu digits (numbers and dates may be shown in either), the Arabic
# comma, semicolon and question mark, the Urdu full stop, and the joiners and direction marks.
ALWAYS = [*range(0x0660, 0x066A), *range(0x06F0, 0x06FA), 0x060C, 0x061B, 0x061F, 0x06D4,
          0x200C, 0x200D, 0x200E, 0x200F]
URDU_BLOCK = range(0x0600, 0x0700)


def texts() -> list[str]:
    """Every Nastaliq text the platform has, as strings."""
    found = []
    for code in NASTALIQ_LOCALES:
        catalogue = ROOT / "translations" / code / "LC_MESSAGES" / "messages.po"
        if catalogue.exists():
            with catalogue.open("rb") as file:
                for message in read_po(file):
                    found.extend(_strings(message.string))
        for path in [*ROOT.glob(f"consent/*/*/{code}.yaml"), *ROOT.glob(f"instruments/*/*.{code}.yaml")]:
            found.extend(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return found


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _strings(item)]
    return []


def characters(found: list[str], script: set[int]) -> set[int]:
    """The characters to keep: those of the texts, else the whole Urdu block, with the languages'
    own names (the language control shows them) and the digits and punctuation always."""
    used = {ord(c) for text in found for c in text} & script or set(URDU_BLOCK)
    names = {ord(c) for code in NASTALIQ_LOCALES for c in Locale.parse(code).get_display_name(code)} & script
    return used | names | set(ALWAYS)


def unicode_range(points: set[int]) -> str:
    """`U+0627,U+062A-062C,…`: the code points as few ranges as they make."""
    ranges, ordered = [], sorted(points)
    start = previous = ordered[0]
    for point in [*ordered[1:], None]:
        if point is not None and point == previous + 1:
            previous = point
            continue
        ranges.append(f"U+{start:04X}" if start == previous else f"U+{start:04X}-{previous:04X}")
        if point is not None:
            start = previous = point
    return ",".join(ranges)


def main(out: str) -> None:
    font = TTFont(SOURCE, recalcTimestamp=False)  # the same texts give the same file, so the same name
    kept = characters(texts(), set(ARABIC_SCRIPT)) & set(font.getBestCmap())
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]  # Nastaliq's joining and stacking need every feature it has
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=kept)
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(out)
    print(json.dumps({"unicode_range": unicode_range(kept), "characters": len(kept),
                      "bytes": Path(out).stat().st_size, "before": SOURCE.stat().st_size}))


if __name__ == "__main__":
    main(sys.argv[1])
