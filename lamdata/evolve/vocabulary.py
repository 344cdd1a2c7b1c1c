"""What offline concretization may fill in: each app's valued controls and their options.

A :class:`Slot` is a control whose value a step can carry ("the **Font** box" → "Arial"): its
visible label, the nouns a step uses for its value ("a font", "the size you want"), and the
options the app offers. These are the options of the three sample applications
(``samples/README.md``, the shared vocabulary the app models implement); an app without an
entry is simply not concretized offline.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Slot:
    label: str
    nouns: tuple[str, ...]
    options: tuple[str, ...]


_SIZES = ("8", "9", "10", "11", "12", "14", "16", "18", "20", "24", "28", "36", "48", "72")
_COLOURS = ("Red", "Blue", "Green", "Black")

VOCABULARY: dict[str, tuple[Slot, ...]] = {
    "word": (
        Slot("Font Size", ("font size", "size"), _SIZES),
        Slot("Font Color", ("font color", "font colour", "color", "colour"), _COLOURS),
        Slot("Font", ("font", "typeface"), ("Calibri", "Arial", "Times New Roman", "Georgia")),
        Slot("Line and Paragraph Spacing", ("line spacing", "spacing"), ("1.0", "1.15", "1.5")),
        Slot("Margins", ("margins", "margin setting"), ("Normal", "Narrow", "Wide")),
        Slot("Orientation", ("orientation",), ("Portrait", "Landscape")),
        Slot("Size", ("paper size", "page size"), ("Letter", "A4", "Legal")),
        Slot("Columns", ("number of columns", "column layout"), ("One", "Two", "Three")),
    ),
    "excel": (
        Slot(
            "Number Format",
            ("number format", "format"),
            ("Number", "Currency", "Percentage", "Date", "Text"),
        ),
        Slot("Freeze Panes", ("freeze option",), ("Freeze Top Row", "Freeze First Column")),
    ),
    "powerpoint": (
        Slot("Font Size", ("font size", "size"), _SIZES),
        Slot("Design", ("theme", "design"), ("Office Theme", "Facet", "Ion", "Retrospect")),
        Slot("Transitions", ("transition", "transition effect"), ("Fade", "Push", "Wipe")),
        Slot("Slide Size", ("slide size",), ("Standard (4:3)", "Widescreen (16:9)")),
        Slot(
            "Layout",
            ("layout", "slide layout"),
            ("Title Slide", "Title and Content", "Section Header", "Two Content", "Blank"),
        ),
    ),
}


def slots_for(app: str | None) -> tuple[Slot, ...]:
    return VOCABULARY.get((app or "").strip().lower(), ())
