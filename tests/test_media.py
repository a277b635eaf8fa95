"""Uploaded files by their storage URL: the same checks as the pages, no path tricks."""

import pytest
from django.core.files.base import ContentFile

from programs.models import Photo
from tests import factories
from tests.http import consume


@pytest.fixture
def photo(world):
    session = factories.world_session(world)
    photo = Photo(session=session, caption="Đổ nền nhà")
    photo.image.save("a.jpg", ContentFile(factories.jpeg()), save=False)
    photo.thumbnail.save("a-thumb.jpg", ContentFile(factories.jpeg()), save=False)
    photo.save()
    return photo


def test_photo_by_media_url_for_the_cell_secretary(client, world, photo):
    client.force_login(world["secretary"])
    response = client.get(photo.image.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    with photo.image.open("rb") as stored:
        assert consume(response) == stored.read()
    thumbnail = client.get(photo.thumbnail.url)
    assert thumbnail.status_code == 200
    consume(thumbnail)


def test_photo_by_media_url_hidden_from_outsiders(client, world, photo):
    client.force_login(world["secretary2"])
    assert client.get(photo.image.url).status_code == 404
    client.logout()
    assert client.get(photo.image.url).status_code == 302


@pytest.mark.parametrize(
    "path",
    [
        "/media/../civic_labour/settings.py",
        "/media/sessions/../../civic_labour/settings.py",
        "/media/%2e%2e/%2e%2e/etc/passwd",
        "/media/..%2F..%2Fetc%2Fpasswd",
        "/media//etc/passwd",
        "/media/directives/../../manage.py",
        "/media/sessions/2026/03/1/not-a-photo.jpg",
    ],
)
def test_path_traversal_finds_nothing(client, world, photo, path):
    client.force_login(world["admin"])
    response = client.get(path)
    assert response.status_code == 404


def test_directive_attachment_is_downloaded_not_shown(client, world):
    directive = world["directive"]
    directive.attachment.save("ke-hoach.html", ContentFile(b"<script>alert(1)</script>"), save=True)
    client.force_login(world["viewer"])
    response = client.get(directive.attachment.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    consume(response)
