"""Writes that touch several rows: keyword-only, transactional, and they record history.

Callers import the module they need:

- ``sessions``: plan one session, edit, postpone or cancel it;
- ``planner``: the month planner's preview and its creation of a month's sessions;
- ``logbook``: a session's log (attendance, work done, photos) and its sign-off;
- ``places``: renaming or moving villages and communes while keeping their former names;
- ``preferences``: a user's calendar feed address, a committee's printed-report header;
- ``tokens``: the one-time tokens that keep a re-sent form from being carried out twice.

``_history`` (private) owns the sequence every write to a session follows: lock the row, claim
the form's token, refuse a stale version, then bump the version, validate, save and record a
history entry.
"""
