"""The formats an agreement (and any negplan document) is written in."""

from __future__ import annotations

from typing import Final, Literal

DocFormat = Literal["md", "html", "pdf"]
FORMATS: Final[tuple[DocFormat, ...]] = ("md", "html", "pdf")
