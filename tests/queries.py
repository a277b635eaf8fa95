"""Pinned query counts, pretalx's rule: a list, dashboard or report page is rendered with one
item and again with many, and both renders must run the same literal number of queries.

A literal rather than "as many as with one item": a query added to every page (a lookup in
the base template, a middleware reading a row) then fails the test instead of going unseen.
When a change means to add or remove a query, the number in the test changes with it — in
the same commit, where a reviewer sees it.

    with pinned_queries(9):
        response = client.get(url)        # one session
    ...add fifty more...
    with pinned_queries(9):
        response = client.get(url)        # fifty-one

Render the page once before the first count (tests here call it the warm-up): caches a process
fills on its first request (the content types) must not count. Pages that keep what they build
in the cache (reports: ``programs.reports.cache``) are counted ``cold``, with the cache emptied
first, so the count is that of building them; a test of the cache itself counts the hit.
"""

from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def pinned_queries(expected: int, *, cold: bool = False):
    """Fail unless the block runs exactly ``expected`` queries; the failure lists them. With
    ``cold``, the cache is emptied first: what the block builds is built, not read back."""
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        yield captured
    if len(captured) != expected:
        statements = "\n".join(
            f"{n}. {query['sql']}" for n, query in enumerate(captured.captured_queries, 1)
        )
        pytest.fail(f"expected {expected} queries, ran {len(captured)}:\n{statements}")
