"""The demo's logins: ``load_demo --password`` sets every demo user's password and prints the
logins after the summary.

These tests only read what one run of the command left, so they share it: the command runs
once for the module, in a transaction rolled back after the module (as the ``demo`` fixture
does), instead of once per test (it takes some seconds; the loader's own behaviour — re-runs,
people's changes, DEBUG — is tested in tests/test_demo.py, each test with its own load).
"""

import pytest

from tests.conftest import demo_loaded_in_a_transaction
from tests.demo import DEMO_USERS

PASSWORD = "s3cret-demo"


@pytest.fixture(scope="module")
def _printed(django_db_setup, django_db_blocker, tmp_path_factory):
    # DEBUG on, as in development (pytest-django turns it off): the command runs unforced.
    media_root = tmp_path_factory.mktemp("demo-media")
    loaded = demo_loaded_in_a_transaction(
        django_db_blocker, media_root, "--password", PASSWORD, debug=True
    )
    with loaded as output:
        yield output


@pytest.fixture
def printed(_printed, db):
    """What ``load_demo --password s3cret-demo`` printed; its rows are in the database."""
    return _printed


def test_prints_a_summary_and_the_logins(printed):
    lines = printed.splitlines()
    assert lines[0].startswith("Demo loaded:")
    for username in DEMO_USERS:
        assert any(line.split()[0] == username and PASSWORD in line for line in lines[1:])


@pytest.mark.parametrize("username", DEMO_USERS)
def test_demo_users_can_log_in_with_the_given_password(printed, client, username):
    assert client.login(username=username, password=PASSWORD)
    assert not client.login(username=username, password="demo")
