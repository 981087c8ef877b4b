"""Small pieces of HTML every page uses. Every value goes through ``escape``; a URL from the
data becomes a link only when it is an absolute http(s) URL (anything else — ``javascript:``,
``data:``, a relative path someone typed — is shown as text, never followed)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from html import escape

from service.core.plan_tree import Source
from service.core.text_rules import url_problem


def web_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host, else ``None``."""
    if not url or url_problem(url) is not None:
        return None
    return url


def external_link(url: str | None, text: str) -> str:
    """A link to a web page from the data, or the text alone when the URL is not one."""
    safe = web_url(url)
    if safe is None:
        return escape(text)
    return f'<a href="{escape(safe)}" rel="noreferrer">{escape(text)}</a>'


def time_element(value: date) -> str:
    return f'<time datetime="{value.isoformat()}">{value.isoformat()}</time>'


_HTML_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")  # a year, month or day <time> accepts


def fuzzy_time(text: str, edtf: str | None) -> str:
    """A date as written; machine-readable when its EDTF value is a plain year, month or day
    (HTML's ``datetime`` has no intervals or seasons)."""
    if edtf is not None and _HTML_DATE.fullmatch(edtf):
        return f'<time datetime="{edtf}">{escape(text)}</time>'
    return escape(text)


def sources_block(sources: Iterable[Source]) -> str:
    """The quotes behind a record, each with the document it is from."""
    items = [
        f"<li><blockquote>{escape(source.quote)}</blockquote>"
        f"<cite>{external_link(source.document_url, source.document_title)}</cite></li>"
        for source in sources
    ]
    if not items:
        return ""
    return f'<ul class="sources" aria-label="Sources">{"".join(items)}</ul>'


def layout(title: str, body: str, *, description: str = "") -> str:
    """A whole page: the shared head (own stylesheet and icon only) around ``body``."""
    meta = f'<meta name="description" content="{escape(description)}">' if description else ""
    return "\n".join(
        [
            "<!doctype html>",
            '<html lang="en"><head><meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>{meta}",
            '<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">',
            '<link rel="stylesheet" href="/assets/site.css"></head><body>',
            '<a class="skip" href="#main">Skip to the content</a>',
            body,
            "</body></html>",
        ]
    )
