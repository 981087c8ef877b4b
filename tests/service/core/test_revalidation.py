"""If-None-Match is read one way for every ETag the service sends (RFC 9110 §13.1.2)."""

from __future__ import annotations

import pytest

from service.core.revalidation import etag_matches, listed_etags

ETAG = '"abc"'


@pytest.mark.parametrize(
    "header",
    [
        '"abc"',
        'W/"abc"',
        ' "x" , W/"abc" ',
        '"x","abc"',
        "*",
        " * ",
        '"a,b", "abc"',  # a tag may contain a comma
    ],
)
def test_matches(header: str) -> None:
    assert etag_matches(header, ETAG)


@pytest.mark.parametrize(
    "header", [None, "", "  ", '"abcd"', "abc", '"x", *', '"a,b"', 'W/"ab"', '"ABC"']
)
def test_does_not_match(header: str | None) -> None:
    assert not etag_matches(header, ETAG)


def test_listed_tags() -> None:
    assert listed_etags('W/"a", "b,c"') == frozenset({'"a"', '"b,c"'})
    assert listed_etags("*") == frozenset({"*"})
    assert listed_etags("") is None
    assert listed_etags("garbage") is None
    assert listed_etags(None) is None
