"""The news item of the demo's article session reads like the source article (issue 15)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from programs.models import Household, Photo
from tests.http import consume, signed_in


@pytest.fixture(autouse=True)
def _debug(settings):
    settings.DEBUG = True  # as the demo is served: `make run` turns DEBUG on


def _article_session():
    return Photo.objects.filter(caption__startswith="Cán bộ, đảng viên").latest("pk").session


def test_the_demo_marks_only_ong_thinhs_household_publishable(demo):
    assert list(Household.objects.filter(publishable=True).values_list("head_name", flat=True)) == [
        "Quan Văn Thính"
    ]


def test_the_draft_of_the_article_session_names_what_the_article_names(client, demo):
    session = _article_session()
    signed_in(client, get_user_model().objects.get(username="officer"))
    response = client.get(reverse("programs:session-news", args=[session.pk]))
    shown = response.context["page"].shown
    text = "\n".join([shown["headline"], shown["lead"], shown["body"]])
    assert "Đảng ủy Cơ quan Chính quyền huyện" in shown["headline"]
    assert "các thôn Phiêng Luông, Nà Coóc và Chẩu Quân" in shown["headline"]
    assert "Đảng ủy xã Bình An" in shown["lead"]
    assert "Đề án số 02-ĐA/TU ngày 23/05/2021" in shown["lead"]
    assert "Kế hoạch số 54-KH/HU" in shown["lead"]
    assert "kênh mương bê tông đúc sẵn (250 m)" in text
    assert "đổ bê tông nền nhà" in text
    assert "Quan Văn Thính" in text
    # Three cells' confirmed logs of the same Saturday, the article's session first.
    assert len(response.context["page"].coverage.sessions) == 3
    assert response.context["page"].coverage.sessions[0] == session.pk
    # The two article photos, captions as figure captions.
    captions = [figure.caption for figure in response.context["page"].facts.figures]
    assert any("kênh mương" in caption for caption in captions)
    docx = consume(client.get(reverse("programs:session-news", args=[session.pk]) + "?format=docx"))
    assert docx[:2] == b"PK"
    assert not re.search("Hoàng Văn Thắng", text)  # the first cell's secretary is not named
