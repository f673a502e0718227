"""HTML from a helpdesk editor turned into the plain text an agent pastes.

Paragraphs and line breaks become line breaks, list items get a dash or their number,
links keep their address in brackets when it is not the link text, and entities are
decoded. Scripts, styles and comments are dropped. Built on the standard library's
:class:`html.parser.HTMLParser`, which never raises on broken markup.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_BLOCKS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "ul"}
)
_BLOCKS |= {"ol", "section", "article", "header", "footer", "hr"}
_HIDDEN = frozenset({"script", "style", "head", "title"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0
        self.lists: list[list[int]] = []  # one counter per open list; [-1] for bullets
        self.links: list[tuple[str, int]] = []  # href, where its text starts in parts
        self.pre = 0

    def _break(self, lines: int = 1) -> None:
        self.parts.append("\n" * lines)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self._break()
        elif tag in ("ul", "ol"):
            self.lists.append([0 if tag == "ol" else -1])
            self._break()
        elif tag == "li":
            self._break()
            counter = self.lists[-1] if self.lists else [-1]
            if counter[0] >= 0:
                counter[0] += 1
                self.parts.append(f"{counter[0]}. ")
            else:
                self.parts.append("- ")
        elif tag == "a":
            self.links.append((dict(attrs).get("href") or "", len(self.parts)))
        elif tag in ("td", "th"):
            self.parts.append(" ")
        elif tag == "pre":
            self.pre += 1
            self._break(2)
        elif tag in _BLOCKS:
            self._break(2 if tag in ("p", "blockquote") or tag.startswith("h") else 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in ("br", "hr"):
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self._break()
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            shown = "".join(self.parts[start:]).strip()
            target = href.removeprefix("mailto:")
            if target and target != shown and not target.startswith(("#", "javascript:")):
                self.parts.append(f" ({target})" if shown else target)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self._break(2)
        elif tag in _BLOCKS:
            self._break(2 if tag in ("p", "blockquote") or tag.startswith("h") else 1)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        self.parts.append(data if self.pre else _SPACES.sub(" ", data.replace("\n", " ")))


def html_to_text(html: str) -> str:
    """The text of ``html``: lines trimmed, at most one blank line in a row."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def looks_like_html(text: str) -> bool:
    return bool(re.search(r"<(p|div|br|ul|ol|li|a|b|strong|em|i|span|h\d)\b[^>]*>", text, re.I))
