"""The migrations: they match the models, and a database an older checkout left partway
through the squashed ones is refused by ``migrate`` instead of being left without tables."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from programs.checks import check_squashed_migrations

pytestmark = pytest.mark.django_db

SQUASHED = ("programs", "0001_squashed_0008_data_versions")


def test_the_migrations_match_the_models():
    # Exits with status 1 when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_a_migrated_database_passes():
    applied = MigrationRecorder(connection).applied_migrations()
    assert SQUASHED in applied
    assert ("programs", "0008_data_versions") in applied  # recorded for the replaced ones too
    assert check_squashed_migrations(databases=["default"]) == []


def test_a_database_partway_through_the_squashed_migrations_is_refused():
    # As a checkout of 3 December left it: the first squash applied, 0003-0008 not yet.
    MigrationRecorder.Migration.objects.filter(
        app="programs", name__gte="0003", name__lte="0008_data_versions"
    ).delete()
    MigrationRecorder.Migration.objects.filter(app="programs", name=SQUASHED[1]).delete()

    errors = check_squashed_migrations(databases=["default"])

    assert [error.id for error in errors] == ["programs.E001"]
    assert "1 of the 7 migrations that programs.0001_squashed_0008_data_versions" in errors[0].msg
    with pytest.raises(SystemCheckError, match=r"programs\.E001"):
        call_command("migrate", skip_checks=False, verbosity=0)


def test_only_commands_that_name_a_database_run_the_check():
    MigrationRecorder.Migration.objects.filter(app="programs", name="0005_monthly_rollups").delete()
    assert check_squashed_migrations(databases=None) == []
    assert len(check_squashed_migrations(databases=["default"])) == 1
