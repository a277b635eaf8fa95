"""Abstract bases: creation and change timestamps, a folded name kept for searching without
diacritics, and check constraints validated in one query."""

from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connections, models, router, transaction
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.db.models.sql import Query
from django.db.models.sql.constants import SINGLE
from django.utils.translation import gettext_lazy as _

from programs.text import fold


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class FoldedNameModel(models.Model):
    """Keeps ``search_name``, the diacritic-free lower-case form of the name field.

    SQLite has no ``unaccent``, so search without diacritics ("na cooc" for "Nà Coóc") compares
    against this stored copy on both databases. Bulk inserts must fill it themselves
    (``fold(name)``), since ``save()`` does not run for them.
    """

    folded_field = "name"
    search_name = models.CharField(
        _("search name"), max_length=255, editable=False, db_index=True, default=""
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.search_name = fold(self.folded_source())[:255]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    def folded_source(self) -> str:
        return getattr(self, self.folded_field)


class ChecksInOneQuery(models.Model):
    """Checks the model's check constraints in ``full_clean`` with one query between them.

    Django asks the database about each check constraint with a query of its own, in a
    savepoint of its own (three round trips on PostgreSQL each): nine of the fifty-one
    statements of a log save went to the session's three checks. Here they are one ``SELECT``
    of a boolean per check, in one savepoint; the messages, their codes and their order are
    Django's. A check that names a field left out (``exclude``) is skipped, as Django skips it;
    should the query fail, each check is asked on its own, as Django does.
    """

    class Meta:
        abstract = True

    def validate_constraints(self, exclude=None):
        using = router.db_for_write(self.__class__, instance=self)
        failing = _failing_checks(self, exclude, using)
        if failing is None:
            return super().validate_constraints(exclude=exclude)
        errors = {}
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    if isinstance(constraint, models.CheckConstraint):
                        if constraint in failing:
                            raise ValidationError(
                                constraint.get_violation_error_message(),
                                code=constraint.violation_error_code,
                            )
                        continue
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    # As Model.validate_constraints: a one-field unique error goes to the field.
                    fields = getattr(constraint, "fields", ())
                    if getattr(error, "code", None) == "unique" and len(fields) == 1:
                        errors.setdefault(fields[0], []).append(error)
                    else:
                        errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)


def _failing_checks(instance, exclude, using) -> list | None:
    """The check constraints of ``instance`` it breaks, asked in one query; None when they
    cannot be (a parent model's constraints, or a database error): the caller asks Django."""
    checks = [
        (model_class, constraint)
        for model_class, constraints in instance.get_constraints()
        for constraint in constraints
        if isinstance(constraint, models.CheckConstraint)
    ]
    if not checks:
        return []
    if any(model_class is not instance.__class__ for model_class, _ in checks):
        return None
    against = instance._get_field_expression_map(meta=instance._meta, exclude=exclude)
    query = Query(None)
    for name, value in against.items():
        if not hasattr(value, "resolve_expression"):
            value = Value(value)
        query.add_annotation(value, name, select=False)
    asked = []
    for _model_class, constraint in checks:
        condition = Q(constraint.condition)
        if not condition.referenced_base_fields <= against.keys():
            continue  # names a field left out: Django skips it (its FieldError)
        query.add_annotation(
            Coalesce(condition, True, output_field=models.BooleanField()),
            f"_check_{len(asked)}",
        )
        asked.append(constraint)
    if not asked:
        return []
    connection = connections[using]
    savepoint = transaction.atomic(using=using) if connection.in_atomic_block else nullcontext()
    try:
        with savepoint:
            row = query.get_compiler(using=using).execute_sql(SINGLE)
    except DatabaseError:
        return None
    return [constraint for constraint, holds in zip(asked, row, strict=True) if not holds]
