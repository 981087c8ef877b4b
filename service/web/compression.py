"""Which responses are gzip-compressed: text (JSON, iCalendar, GraphQL answers, HTML), not
formats that are compressed already (the workbook is a zip file).

``service.web.response_manners`` compresses on the way out; an export built in a worker
process is compressed there instead (``gzip_wanted``).
"""

from __future__ import annotations

from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES
from starlette.requests import Request

ALREADY_COMPRESSED = (
    *DEFAULT_EXCLUDED_CONTENT_TYPES,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


def gzip_wanted(request: Request, media_type: str) -> bool:
    """Whether the response would be gzipped on the way out: the client accepts gzip (the
    test ``response_manners`` makes) and the media type is not compressed already. An export
    built in a worker process is compressed there instead, off this process's event loop."""
    compressed = media_type.partition(";")[0].strip().lower() in ALREADY_COMPRESSED
    return "gzip" in request.headers.get("accept-encoding", "") and not compressed
