"""The domain's models, one module per aggregate, importable as ``programs.models.<Name>``."""

from .demo import DemoRecord
from .directives import Directive, Weekday
from .geography import Commune, District, Household, Province, Village, VillageName
from .news import NewsDraft
from .notifications import (
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
    NotificationRules,
    PushSubscription,
    UserProfile,
)
from .opinions import OpinionField, OpinionStatus, VillagerOpinion
from .organisations import Assignment, CalendarFeed, Member, PartyCell, PartyCommittee, Role
from .reports import IssuedReport, ReportSettings, ReportText
from .rollups import CellMonthRollup, DataVersion, RollupDirty
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
    "CellMonthRollup",
    "Commune",
    "DataVersion",
    "DemoRecord",
    "Directive",
    "District",
    "FormSubmission",
    "FundingSource",
    "Household",
    "IssuedReport",
    "LabourSession",
    "Member",
    "NewsDraft",
    "Notification",
    "NotificationChannel",
    "NotificationKind",
    "NotificationPreference",
    "NotificationRules",
    "OpinionField",
    "OpinionStatus",
    "PartyCell",
    "PartyCommittee",
    "Photo",
    "Province",
    "PushSubscription",
    "ReportSettings",
    "ReportText",
    "Role",
    "RollupDirty",
    "SessionChange",
    "Unit",
    "UserProfile",
    "Village",
    "VillageName",
    "VillagerOpinion",
    "Weekday",
    "WorkOutput",
    "WorkType",
]
