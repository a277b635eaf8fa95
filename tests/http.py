"""Helpers for sending requests and reading responses in tests."""

from django.core.signals import request_finished
from django.db import close_old_connections


def consume(response) -> bytes:
    """The body, read as a server would: streamed to the end, then the response closed (which
    closes a FileResponse's file). Closing fires request_finished; as the test client does, the
    database connection is kept (closing it would end the test's transaction)."""
    try:
        if response.streaming:
            return b"".join(response.streaming_content)
        return response.content
    finally:
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)


def page_html(response) -> str:
    """The page's HTML as text."""
    return response.content.decode()


def signed_in(client, user):
    """The test client, signed in as ``user``."""
    client.force_login(user)
    return client
