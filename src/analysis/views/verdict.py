"""The verdict a report opens with: a few sentences, each in words and a colour.

Why: a manager reads the first screen only. Each view builds its verdict as plain data
(:class:`Line`: text and tone) so tests read the words; this module turns it into escaped HTML.
Tones are the report's: "over" (bad news, red), "under" (good news, green), "warn" (needs
action, amber) or None.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from analysis import report

#: Colour per tone: the same red, green and amber as table rows and tiles (report.CSS).
COLOURS = {"over": "#c0392b", "under": "#1e8449", "warn": "#b9770e"}


@dataclass(frozen=True)
class Line:
    """One sentence of a verdict and its tone ("over", "under", "warn" or None)."""

    text: str
    tone: str | None = None


def html(lines: Iterable[Line], *, show: bool = False) -> str | None:
    """The verdict as a box of sentences, each with a coloured bar when it has a tone."""
    parts = []
    for line in lines:
        colour = COLOURS.get(line.tone or "", "#9aa5b1")
        weight = "600" if line.tone else "400"
        parts.append(
            f'<li class="tone-{line.tone or "none"}" style="border-left:4px solid {colour};'
            f"padding:2px 8px;margin:3px 0;list-style:none;font-weight:{weight}"
            f'">{report.esc(line.text)}</li>'
        )
    if not parts:
        return None
    body = (
        '<ul class="verdict" style="margin:.4em 0 1em;padding:0;font-size:1.02em">'
        + "".join(parts)
        + "</ul>"
    )
    return report.html_block(body, show=show)


def show(lines: Iterable[Line]) -> None:
    """Display the verdict in the report (returns None so a cell echoes nothing)."""
    html(lines, show=True)
