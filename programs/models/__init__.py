"""The domain's models, one module per aggregate, importable as ``programs.models.<Name>``."""

from .demo import DemoRecord
from .directives import Directive, Weekday
from .geography import Commune, District, Household, Province, Village, VillageName
from .opinions import OpinionField, OpinionStatus, VillagerOpinion
from .organisations import Assignment, CalendarFeed, Member, PartyCell, PartyCommittee, Role
from .reports import IssuedReport, ReportSettings, ReportText
from .sessions import (
    Attendance,
    FormSubmission,
    FundingSource,
    LabourSession,
    Photo,
    SessionChange,
    Unit,
    WorkOutput,
    WorkType,
)

__all__ = [
    "Assignment",
    "Attendance",
    "CalendarFeed",
    "Commune",
    "DemoRecord",
    "Directive",
    "District",
    "FormSubmission",
    "FundingSource",
    "Household",
    "IssuedReport",
    "LabourSession",
    "Member",
    "OpinionField",
    "OpinionStatus",
    "PartyCell",
    "PartyCommittee",
    "Photo",
    "Province",
    "ReportSettings",
    "ReportText",
    "Role",
    "SessionChange",
    "Unit",
    "Village",
    "VillageName",
    "VillagerOpinion",
    "Weekday",
    "WorkOutput",
    "WorkType",
]
