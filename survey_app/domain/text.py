"""Marking text for translation in code that must not import Flask.

`N_("Engaged")` returns the text unchanged; it only tells `pybabel extract` (keyword N_) to put
the string in the catalogues, so the web layer can show it through gettext.
"""


def N_(text: str) -> str:  # noqa: N802 (the conventional name for this marker)
    return text
