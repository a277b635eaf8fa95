"""Session photos are served only through a view that checks the session's scope."""

import datetime

import pytest
from django.urls import reverse

from tests.test_session_page import add_photo, held_session


@pytest.fixture
def session(world):
    return held_session(world)


@pytest.fixture
def photo(session):
    return add_photo(session, caption="Lắp đặt kênh mương")


def _url(session, photo, **query):
    url = reverse("programs:session-photo", args=[session.pk, photo.pk])
    return url + ("?size=thumb" if query.get("thumb") else "")


def _body(response) -> bytes:
    """The served bytes. Reading to the end also closes the response and its file."""
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("who", ["secretary", "officer", "viewer", "admin"])
def test_people_who_see_the_session_get_the_photo(client, world, session, photo, who):
    client.force_login(world[who])

    response = client.get(_url(session, photo))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("inline")
    with photo.image.open("rb") as original:
        assert _body(response) == original.read()


def test_thumbnail(client, world, session, photo):
    client.force_login(world["secretary"])

    response = client.get(_url(session, photo, thumb=True))

    assert response.status_code == 200
    with photo.thumbnail.open("rb") as thumbnail:
        assert _body(response) == thumbnail.read()
    with photo.image.open("rb") as original:
        assert _body(client.get(_url(session, photo, thumb=True))) != original.read()


def test_thumbnail_falls_back_to_the_image_when_there_is_none(client, world, session):
    photo = add_photo(session)
    photo.thumbnail.delete(save=True)
    client.force_login(world["secretary"])

    response = client.get(_url(session, photo, thumb=True))

    assert response.status_code == 200
    with photo.image.open("rb") as original:
        assert _body(response) == original.read()


def test_outsider_gets_404(client, world, session, photo):
    client.force_login(world["secretary2"])
    assert client.get(_url(session, photo)).status_code == 404
    assert client.get(_url(session, photo, thumb=True)).status_code == 404


def test_photo_of_another_session_under_this_sessions_id_is_404(client, world, session):
    """The secretary sees both sessions, but a photo is only served under its own session."""
    other = held_session(world, date=datetime.date(2026, 3, 14))
    foreign_photo = add_photo(other)
    client.force_login(world["secretary"])

    assert client.get(_url(session, foreign_photo)).status_code == 404
    response = client.get(_url(other, foreign_photo))
    assert response.status_code == 200
    _body(response)  # read to the end, so the served file is closed


def test_photo_of_a_session_the_user_cannot_see_is_404(client, world, session):
    foreign = held_session(world, cell=world["other_cell"], village=world["other_village"])
    foreign_photo = add_photo(foreign)
    client.force_login(world["secretary"])

    assert client.get(_url(foreign, foreign_photo)).status_code == 404
    assert client.get(_url(session, foreign_photo)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, session, photo):
    response = client.get(_url(session, photo))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_missing_file_is_404(client, world, session, photo):
    photo.image.storage.delete(photo.image.name)
    client.force_login(world["secretary"])

    assert client.get(_url(session, photo)).status_code == 404


def test_unknown_photo_is_404(client, world, session, photo):
    client.force_login(world["secretary"])
    url = reverse("programs:session-photo", args=[session.pk, photo.pk + 100])
    assert client.get(url).status_code == 404


def test_post_is_refused(client, world, session, photo):
    client.force_login(world["secretary"])
    assert client.post(_url(session, photo)).status_code == 405
