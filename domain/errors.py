"""The two kinds of "no" every service gives, so the chat layer can answer them alike."""

from __future__ import annotations


class Refused(Exception):
    """The person may not do this (not theirs, not their team's). Safe to show them."""


class Invalid(ValueError):
    """What was submitted can't be saved as it is. The message is safe to show."""
