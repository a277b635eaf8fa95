from .directives import Directive, Weekday
from .geography import Commune, District, Household, Province, Village, VillageName
from .organisations import Assignment, Member, PartyCell, PartyCommittee, Role
from .sessions import (
    Attendance,
    FundingSource,
    LabourSession,
    Photo,
    Unit,
    WorkOutput,
    WorkType,
)

__all__ = [
    "Assignment",
    "Attendance",
    "Commune",
    "Directive",
    "District",
    "FundingSource",
    "Household",
    "LabourSession",
    "Member",
    "PartyCell",
    "PartyCommittee",
    "Photo",
    "Province",
    "Role",
    "Unit",
    "Village",
    "VillageName",
    "Weekday",
    "WorkOutput",
    "WorkType",
]
