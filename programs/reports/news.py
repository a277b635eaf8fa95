"""A district news item composed from confirmed logs, deterministically.

``news_facts`` reduces the sessions of ``selectors.news_sources`` to what a news item says —
the committee and its cells, the partners, the villages as they were named on the day, the
directives implemented, the works with their quantities, the households helped, person-visits
and workdays — reading only prefetched rows. ``compose`` writes the headline, lead and body
from the templates in ``templates/news/text/`` (one set per language: the Vietnamese follows
the register of the source article). No external service and no randomness: the same logs
give the same text.

Privacy is decided here once: a household is named only when it agreed to be
(``Household.publishable``), members are never named, and a free text typed by people (a work's
description, a photo's caption) is used only when it names nobody private and holds no phone
number or e-mail address; otherwise the work type's name stands for it and the caption is left
out. The share card reads the same facts.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from programs.models import Unit
from programs.selectors.news import NewsSources
from programs.text import fold, vn_date, vn_number, vnd

PHONE = re.compile(r"(?:\+?\d[\s.\-]?){8,}")
EMAIL = re.compile(r"\S+@\S+\.\w+")
LANGUAGES = ("vi", "en")


@dataclass
class Work:
    text: str
    quantity: Decimal
    unit: str

    @property
    def quantity_text(self) -> str:
        return f"{vn_number(self.quantity)} {Unit(self.unit).label}"


@dataclass
class Figure:
    """A chosen photo: its number in the item and its caption (empty when not public)."""

    photo: object
    number: int
    caption: str


@dataclass
class NewsFacts:
    language: str
    committee: str = ""
    cells: list[str] = field(default_factory=list)
    partners: list[str] = field(default_factory=list)
    villages: list[tuple[str, str]] = field(default_factory=list)  # (kind word, name)
    communes: list[str] = field(default_factory=list)
    dates: list = field(default_factory=list)
    directives: list = field(default_factory=list)
    works: list[Work] = field(default_factory=list)
    households_named: list[tuple[str, str]] = field(default_factory=list)  # (name, village)
    households_unnamed: int = 0
    person_visits: int = 0
    party_members: int = 0
    villagers: int = 0
    workdays: Decimal = Decimal("0")
    value_vnd: int = 0
    figures: list[Figure] = field(default_factory=list)


@dataclass
class NewsText:
    headline: str
    lead: str
    paragraphs: list[str]
    figures: list[Figure]

    @property
    def body(self) -> str:
        return "\n\n".join(self.paragraphs)


class PrivacyCheck:
    """Tells public text from text naming someone private (folded, so diacritics typed or
    not, upper or lower case, are all caught)."""

    def __init__(self, private_names):
        folded = sorted({fold(name) for name in private_names if name.strip()}, key=len)
        self._patterns = [re.compile(rf"(?<!\w){re.escape(name)}(?!\w)") for name in folded]

    def is_public(self, text: str) -> bool:
        if PHONE.search(text) or EMAIL.search(text):
            return False
        folded = fold(text)
        return not any(pattern.search(folded) for pattern in self._patterns)


def join_words(items, language: str) -> str:
    """ "A, B và C" ("A, B and C")."""
    items = [str(item) for item in items]
    if len(items) < 2:
        return "".join(items)
    word = " và " if language == "vi" else " and "
    return ", ".join(items[:-1]) + word + items[-1]


def _unique(values) -> list:
    return list(dict.fromkeys(values))


def _places(facts: NewsFacts, sources: NewsSources, check: PrivacyCheck) -> None:
    villages, communes, partners, cells = [], [], [], []
    for session in sources.sessions:
        name, commune = session.village.placement_on(session.date)
        villages.append((session.village.KIND_WORDS[session.village.kind], name))
        communes.append(str(commune))
        committee = sources.commune_committees.get(commune.pk) or sources.commune_committees.get(
            session.village.commune_id
        )
        if committee is not None:
            partners.append(committee.name)
        village_cell = sources.village_cells.get(session.village_id)
        if village_cell is not None:
            cells.append(village_cell.name)
    facts.villages = _unique(villages)
    facts.communes = _unique(communes)
    facts.partners = _unique(partners)
    cells = _unique(cells)
    if len(cells) == 1:
        facts.partners.append(cells[0])
    elif cells:
        # The villages are named right after: "chi bộ các thôn" says whose cells they are.
        facts.partners.append("chi bộ các thôn" if facts.language == "vi" else "the village cells")
    if not facts.partners:
        # Free text typed by the cell: it may name a member or a household not to be named.
        facts.partners = _unique(
            s.partner for s in sources.sessions if s.partner.strip() and check.is_public(s.partner)
        )


def _directives(sessions) -> list:
    """Each directive the sessions implement with the higher documents it implements, the
    highest first (the scheme of the Tỉnh ủy, then the district's plan)."""
    found = []
    for session in sessions:
        chain, directive = [], session.directive
        while directive is not None and len(chain) < 3:
            chain.insert(0, directive)
            directive = directive.parent if directive.parent_id else None
        found.extend(chain)
    return _unique(found)


def _works(facts: NewsFacts, sources: NewsSources, check: PrivacyCheck) -> None:
    works: dict[tuple[str, str], Work] = {}
    named, unnamed = {}, set()
    for session in sources.sessions:
        for output in session.outputs.all():
            text = output.description.strip()
            if not text or not check.is_public(text):
                text = str(output.work_type)
            key = (fold(text), output.unit)
            if key in works:
                works[key].quantity += output.quantity
            else:
                works[key] = Work(text[0].lower() + text[1:], output.quantity, output.unit)
            facts.value_vnd += output.value_vnd or 0
            household = output.household
            if household is None:
                continue
            if household.publishable:
                named[household.pk] = (household.head_name, str(session.village))
            else:
                unnamed.add(household.pk)
    facts.works = list(works.values())
    facts.households_named = list(named.values())
    facts.households_unnamed = len(unnamed)


def _people(facts: NewsFacts, sessions) -> None:
    for session in sessions:
        for attendance in session.attendances.all():
            facts.person_visits += 1
            facts.party_members += attendance.is_party_member
            facts.workdays += attendance.workdays
        unlisted = (
            session.unlisted_commune_cadres
            + session.unlisted_armed_forces
            + session.unlisted_villagers
        )
        facts.person_visits += unlisted
        facts.villagers += session.unlisted_villagers


def news_facts(sources: NewsSources, *, photos=(), language: str = "vi") -> NewsFacts:
    """What the news item says about ``sources.sessions`` (no query: everything is
    prefetched). ``photos`` are the chosen photos, in their order."""
    language = language if language in LANGUAGES else "vi"
    facts = NewsFacts(language=language)
    sessions = sources.sessions
    if not sessions:
        return facts
    check = PrivacyCheck(sources.private_names)
    with translation.override(language):
        facts.committee = sessions[0].cell.committee.name
        facts.cells = _unique(s.cell.name for s in sessions)
        facts.dates = _unique(s.date for s in sessions)
        facts.directives = _directives(sessions)
        _places(facts, sources, check)
        _works(facts, sources, check)
        _people(facts, sessions)
        for number, photo in enumerate(photos, start=1):
            caption = photo.caption.strip()
            facts.figures.append(Figure(photo, number, caption if check.is_public(caption) else ""))
    return facts


def _village_phrase(villages, language: str) -> str:
    """ "các thôn Phiêng Luông, Nà Coóc và Chẩu Quân", "thôn Phiêng Luông", or for several
    kinds "thôn Phiêng Luông và bản Nà Muông"."""
    kinds = _unique(kind for kind, _name in villages)
    if len(kinds) == 1 and len(villages) > 1:
        names = join_words([name for _kind, name in villages], language)
        return f"các {kinds[0]} {names}" if language == "vi" else f"{kinds[0]} {names}"
    return join_words([f"{kind} {name}" for kind, name in villages], language)


def _directive_phrase(directives, language: str) -> list[str]:
    if language == "vi":
        return [
            f"{d.get_kind_short()} số {d.symbol} ngày {vn_date(d.issued_on)} của {d.issuing_body}"
            for d in directives
        ]
    return [
        f"{d.get_kind_short()} No. {d.symbol} of {vn_date(d.issued_on)} by {d.issuing_body}"
        for d in directives
    ]


def _context(facts: NewsFacts) -> dict:
    language = facts.language
    return {
        "facts": facts,
        "committee": facts.committee,
        "single_cell": len(facts.cells) == 1,
        "cells": join_words(facts.cells, language),
        "partners": join_words(facts.partners, language),
        "villages": _village_phrase(facts.villages, language),
        "communes": join_words(facts.communes, language),
        "dates": join_words([vn_date(day) for day in facts.dates], language),
        "several_dates": len(facts.dates) > 1,
        "month": facts.dates[0].strftime("%m/%Y") if facts.dates else "",
        "directives": join_words(_directive_phrase(facts.directives, language), language),
        "works": [f"{work.text} ({work.quantity_text})" for work in facts.works],
        "households": join_words(
            [f"{name} ({village})" for name, village in facts.households_named], language
        ),
        "person_visits": vn_number(facts.person_visits),
        "party_members": vn_number(facts.party_members),
        "villagers": vn_number(facts.villagers),
        "workdays": vn_number(facts.workdays),
        "value": vnd(facts.value_vnd) if facts.value_vnd else "",
    }


def _paragraphs(text: str) -> list[str]:
    """Template output as paragraphs: blank lines separate them, other line breaks and runs of
    spaces are the template's layout, not the text's."""
    blocks = re.split(r"\n[ \t]*\n", text.strip())
    # Not str.split(): it would also break the no-break space that keeps "15.000.000 đ" whole.
    return [" ".join(re.split(r"[ \t\n]+", block.strip())) for block in blocks if block.strip()]


def compose(facts: NewsFacts) -> NewsText:
    """The headline, lead and body of the news item in ``facts.language``."""
    language = facts.language
    with translation.override(language):
        context = _context(facts)
        parts = {
            part: _paragraphs(render_to_string(f"news/text/{part}.{language}.txt", context))
            for part in ("headline", "lead", "body")
        }
    return NewsText(
        headline=" ".join(parts["headline"]),
        lead=" ".join(parts["lead"]),
        paragraphs=parts["body"],
        figures=facts.figures,
    )
