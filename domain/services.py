"""The domain services one running Charter uses, built once from a database and a clock."""

from __future__ import annotations

from dataclasses import dataclass

from domain.clock import Clock
from domain.directory import Directory
from domain.feedback import FeedbackService
from storage.database import Database
from storage.feedback import FeedbackRepository


@dataclass(frozen=True)
class Services:
    database: Database
    clock: Clock
    directory: Directory
    feedback: FeedbackService

    @classmethod
    def build(cls, database: Database, clock: Clock) -> Services:
        return cls(
            database=database,
            clock=clock,
            directory=Directory(database, clock),
            feedback=FeedbackService(FeedbackRepository(database)),
        )
