"""Reminders and notices: who gets what, when, on which channel, sent exactly once.

- ``recipients``: the people a notice goes to (a cell's secretary and members with an address,
  a committee's officers), each with their language;
- ``rules``: the notices that fall due with time (reminders before a session, late logs, the
  month's cells that held nothing), planned on every run of the sender;
- ``events``: the notices a change to a session causes (created, moved, postponed, cancelled,
  a log submitted, returned or confirmed), queued in the transaction of the change;
- ``queue``: writing the rows (one per recipient and channel, unique by key) and people's
  preferences;
- ``messages``: the text of a message in the recipient's language (plain text and HTML);
- ``channels``: one backend per channel behind one interface, in ``channels.registry``;
- ``sender``: claiming due rows, sending them, retrying with back-off
  (``manage.py send_notifications``).
"""
