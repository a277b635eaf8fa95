"""The demo loader refuses to run with DEBUG off unless forced. Apart from tests/test_demo.py,
whose tests start from a demo loaded once per module: this one needs an empty database."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError

from programs.models import LabourSession
from tests.demo import load


def test_refuses_with_debug_off_unless_forced(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        load()
    assert not get_user_model().objects.exists()
    assert not LabourSession.objects.exists()

    output = load("--force")
    assert "Demo loaded:" in output
    assert LabourSession.objects.held().exists()
