"""What an import found: counts of new, changed, unchanged and rejected rows, and every
rejected row with its Excel row number, its column and the reason."""

from dataclasses import dataclass, field

from openpyxl.utils import get_column_letter


@dataclass(frozen=True)
class Rejection:
    row: int
    column: str  # the column's header, "" for the row as a whole
    letter: str  # the column's letter in the file, "" when not known
    reason: str


@dataclass
class ImportReport:
    kind: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    file_error: str = ""
    applied: bool = False

    @property
    def rejected(self) -> int:
        """The number of rejected rows (a row may have several rejected cells)."""
        return len({rejection.row for rejection in self.rejections})

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.rejections

    @property
    def writes(self) -> int:
        return self.new + self.changed

    def reject(self, row: int, column: str, position: int | None, reason: str) -> None:
        letter = get_column_letter(position + 1) if position is not None else ""
        self.rejections.append(Rejection(row, column, letter, str(reason)))

    def lines(self) -> list[str]:
        """The report as lines of text, for the command."""
        from django.utils.translation import gettext as _

        if self.file_error:
            return [self.file_error]
        lines = [
            _(
                "New: %(new)s · changed: %(changed)s · unchanged: %(unchanged)s · rejected: "
                "%(rejected)s"
            )
            % {
                "new": self.new,
                "changed": self.changed,
                "unchanged": self.unchanged,
                "rejected": self.rejected,
            }
        ]
        for item in self.rejections:
            where = f"{item.letter} ({item.column})" if item.column else ""
            lines.append(
                _("Row %(row)s %(column)s: %(reason)s")
                % {"row": item.row, "column": where, "reason": item.reason}
            )
        return lines
