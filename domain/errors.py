"""The two kinds of "no" every service gives, so the chat layer can answer them alike.

They are Charter's own exceptions, not ``ValueError``: a ``ValueError`` from a bug must never
be shown to someone as "please check the form". The chat layer catches them once, at its
boundary (``dialogs.router``); anything else is a bug, logged with a reference.
"""

from __future__ import annotations


class CharterNo(Exception):
    """A polite answer for the person, not a fault. The message is safe to show them."""


class Refused(CharterNo):
    """The person may not do this (not theirs, not their team's). Safe to show them."""


class Invalid(CharterNo):
    """What was submitted can't be saved as it is. The message is safe to show."""
