"""``GET|HEAD /calendars/milestones.ics?filters``: the milestone feed for calendar apps.

Subscribers poll; most polls find nothing new. The ETag and Last-Modified come from the
data version the database keeps (``feed_version``: one single-row read), never from
rendering the feed, so a ``304 Not Modified`` costs that read and no output.
"""

from __future__ import annotations

import hashlib
import logging
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from exporters.ics import IcsExporter
from service.core.database import failure_kind, first_line
from service.core.dataset_filter import DatasetFilter, DatasetFilterError, filter_to_params
from service.core.dataset_reader import DatasetReader
from service.core.milestone_feed import FeedVersion, feed_version
from service.core.revalidation import etag_matches, listed_etags
from service.core.timestamps import as_utc
from service.web.bodiless import headers_only
from service.web.exports import checked_filter, filter_error_response, streamed_export
from service.web.outage import unavailable_response
from service.web.runtime import runtime_of
from service.web.streaming import Pipe
from service.web.urls import public_base_url

logger = logging.getLogger(__name__)

# Bump when the feed's rendering changes, so cached copies are refetched.
FEED_FORMAT = "ics-2"
SPANS = "spans"  # ?spans=1: each milestone over its whole span, not on its decisive days
_YES, _NO = ("1", "true", "yes"), ("", "0", "false", "no")
MEDIA_TYPE = "text/calendar; charset=utf-8"


def feed_etag(
    version: FeedVersion, dataset_filter: DatasetFilter, public_url: str | None, spans: bool
) -> str:
    key = repr((FEED_FORMAT, version.parts, filter_to_params(dataset_filter), public_url, spans))
    return '"' + hashlib.sha256(key.encode()).hexdigest()[:32] + '"'


def is_not_modified(request: Request, etag: str, version: FeedVersion) -> bool:
    """RFC 9110 §13.1: If-None-Match wins; If-Modified-Since counts only without it, and only
    when the date identifies the version (no other change in the same second)."""
    last_modified = version.last_modified if version.dates_validate else None
    if_none_match = request.headers.get("if-none-match")
    if listed_etags(if_none_match) is not None:
        return etag_matches(if_none_match, etag)
    if_modified_since = request.headers.get("if-modified-since")
    if if_modified_since is None or last_modified is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False  # an unreadable date is ignored, as the RFC says
    return last_modified.replace(microsecond=0) <= as_utc(since)


async def milestones_feed(request: Request) -> Response:
    try:
        spans = _parse_spans(request.query_params.getlist(SPANS))
    except DatasetFilterError as error:
        return filter_error_response(error)
    dataset_filter = await checked_filter(request, options=(SPANS,))
    if isinstance(dataset_filter, Response):
        return dataset_filter
    runtime = runtime_of(request)
    public_url = public_base_url(request)
    try:
        async with runtime.sessions() as session:
            version = await feed_version(session)
    except Exception as error:
        if failure_kind(error) is None:
            raise
        logger.warning("feed: database unavailable: %s", first_line(error))
        return unavailable_response()
    etag = feed_etag(version, dataset_filter, public_url, spans)
    headers = {
        "ETag": etag,
        "Cache-Control": "public, no-cache",  # may be stored, but revalidate (cheap) first
        "Content-Disposition": 'inline; filename="milestones.ics"',
        "X-Content-Type-Options": "nosniff",
    }
    if version.last_modified is not None:
        headers["Last-Modified"] = format_datetime(version.last_modified, usegmt=True)
    if is_not_modified(request, etag, version):
        return headers_only(304, headers, MEDIA_TYPE)
    if request.method == "HEAD":
        return headers_only(200, headers, MEDIA_TYPE)
    exporter = IcsExporter(spans=spans)

    async def run(pipe: Pipe, reader: DatasetReader) -> None:
        await exporter.export(reader, dataset_filter, pipe)

    return await streamed_export(
        runtime,
        lambda session, pause: DatasetReader(session, pause=pause, public_url=public_url),
        run,
        media_type=MEDIA_TYPE,
        headers=headers,
    )


def _parse_spans(values: list[str]) -> bool:
    if len(values) > 1:
        raise DatasetFilterError(SPANS, "give it once")
    value = values[0].strip().lower() if values else ""
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise DatasetFilterError(SPANS, f"{values[0]!r} is not a yes or no; use spans=1 or spans=0")
