"""Who a notice goes to. Users are reached on every channel; members who have no account
only by e-mail, at the address in their member record, in Vietnamese (the working language)."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from programs.models import LabourSession, Member, PartyCommittee, Role


@dataclass(frozen=True)
class Recipient:
    user: object = None
    member: Member | None = None
    email: str = ""
    language: str = "vi"

    @property
    def ident(self) -> str:
        """The recipient's part of a notification's unique key."""
        return f"u{self.user.pk}" if self.user is not None else f"m{self.member.pk}"


def _user_language(user) -> str:
    profile = getattr(user, "civic_profile", None)
    return profile.language if profile is not None else "vi"


def _users(queryset) -> list[Recipient]:
    users = queryset.filter(is_active=True).select_related("civic_profile").order_by("pk")
    return [Recipient(user=u, email=u.email, language=_user_language(u)) for u in users]


def secretaries(cell_id: int) -> list[Recipient]:
    """The cell's secretaries (users with the secretary role on it)."""
    User = get_user_model()
    ids = Role.objects.filter(kind=Role.Kind.SECRETARY, cell_id=cell_id).values("user_id")
    return _users(User.objects.filter(pk__in=ids))


def session_people_by_cell(cell_ids) -> dict[int, list[Recipient]]:
    """``session_people`` for many cells at once, in two queries (the month planner)."""
    cell_ids = set(cell_ids)
    people = {cell_id: [] for cell_id in cell_ids}
    roles = (
        Role.objects.filter(kind=Role.Kind.SECRETARY, cell_id__in=cell_ids, user__is_active=True)
        .select_related("user__civic_profile")
        .order_by("cell_id", "user_id")
    )
    for role in roles:
        user = role.user
        if all(p.user.pk != user.pk for p in people[role.cell_id]):
            people[role.cell_id].append(
                Recipient(user=user, email=user.email, language=_user_language(user))
            )
    taken = {
        cell_id: {p.email.lower() for p in found if p.email} for cell_id, found in people.items()
    }
    members = (
        Member.objects.filter(cell_id__in=cell_ids, active=True)
        .exclude(email="")
        .order_by("cell_id", "pk")
    )
    for member in members:
        if member.email.lower() not in taken[member.cell_id]:
            taken[member.cell_id].add(member.email.lower())
            people[member.cell_id].append(Recipient(member=member, email=member.email))
    return people


def officers(committee: PartyCommittee) -> list[Recipient]:
    """The officers who answer for ``committee``: those of the committee itself, else of the
    nearest committee above it that has officers (a cell of a committee without its own office
    is followed from above)."""
    User = get_user_model()
    current = committee
    while current is not None:
        ids = Role.objects.filter(kind=Role.Kind.OFFICER, committee=current).values("user_id")
        found = _users(User.objects.filter(pk__in=ids))
        if found:
            return found
        current = current.parent
    return []


def session_people(session: LabourSession) -> list[Recipient]:
    """A session's cell: its secretaries, and its active members with an e-mail address that
    no secretary already uses (one person is told once)."""
    people = secretaries(session.cell_id)
    taken = {person.email.lower() for person in people if person.email}
    members = (
        Member.objects.filter(cell_id=session.cell_id, active=True).exclude(email="").order_by("pk")
    )
    for member in members:
        if member.email.lower() not in taken:
            taken.add(member.email.lower())
            people.append(Recipient(member=member, email=member.email))
    return people


def without(people: list[Recipient], user) -> list[Recipient]:
    """``people`` without the user who caused the notice (nobody is told of their own act)."""
    if user is None:
        return people
    return [p for p in people if p.user is None or p.user.pk != user.pk]
