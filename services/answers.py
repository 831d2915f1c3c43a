"""Answers to "what good looks like" questions: the passage, its source, and what people made of it.

:class:`ContentLibrary` keeps the pack being served and swaps in a new one when HR changes
the files or runs `charter content reload`; a broken change never replaces a good pack.
:class:`AnswerService` answers (``lookup`` for tools, ``ask`` for people, which is recorded so
HR can see what the pack does not answer), and takes the asker's 👍/👎 and "ask HR".
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from datetime import time as day_time
from pathlib import Path

from domain.answer_index import ANSWER_THRESHOLD, AnswerIndex, Hit
from domain.answer_passages import Answer, passage_of
from domain.clock import Clock
from domain.content_pack import (
    ContentPack,
    ContentProblem,
    load_pack,
    pack_files,
)
from domain.errors import Invalid, Refused
from domain.people import Person
from storage.content_reloads import ContentReloadRequests
from storage.database import Database
from storage.questions import QuestionReportRow, QuestionRepository

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 500
RELATED_COUNT = 3
# How many ranked sections a lookup considers: enough for three nearest distinct topics.
SEARCH_DEPTH = 12
# How often, at most, a running bot looks for changed files and for reload requests.
FILE_CHECK_SECONDS = 2.0
RELOAD_REQUEST_CHECK_SECONDS = 5.0


def clean_question(text: str | None) -> str:
    """The question as asked, spaces tidied, capped at MAX_QUESTION_CHARS."""
    return " ".join((text or "").split())[:MAX_QUESTION_CHARS].strip()


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Phone numbers, payroll and NI-like numbers: six or more digits, spaces allowed between.
_LONG_NUMBER = re.compile(r"\+?\d(?:[\s-]?\d){5,}")


def redact_for_hr(text: str) -> str:
    """The question as HR's report keeps it: email addresses and long numbers masked.

    People sometimes type personal details into a question; the report is for improving
    the guidance and needs neither.
    """
    return _LONG_NUMBER.sub("[number]", _EMAIL.sub("[email]", text))


def normalise_question(text: str) -> str:
    """What the HR report groups by: lower case, spaces collapsed."""
    return clean_question(text).lower()[:500]


def answer_from_hits(question: str, hits: list[Hit], threshold: float) -> Answer:
    """The answer the hits make: the best passage and "more on this", or the nearest topics."""
    if hits and not hits[0].answers(threshold):
        hits = _with_topic_confidence(hits, threshold)
    if hits and hits[0].answers(threshold):
        best = hits[0]
        # "More on this" only offers sections that would answer the question themselves.
        related = [h for h in hits[1:] if h.section.id != best.section.id and h.answers(threshold)]
        return Answer(
            question=question,
            answered=True,
            score=best.confidence,
            best=passage_of(best.section),
            related=[passage_of(h.section) for h in related[:RELATED_COUNT]],
        )
    nearest: list[Hit] = []
    topics: set[str] = set()
    for hit in hits:
        if hit.section.topic_id not in topics:
            topics.add(hit.section.topic_id)
            nearest.append(hit)
    return Answer(
        question=question,
        answered=False,
        score=hits[0].confidence if hits else 0.0,
        best=None,
        related=[passage_of(h.section) for h in nearest[:RELATED_COUNT]],
        elsewhere=hits[0].elsewhere if hits else None,
    )


# How close (a share of the best's score) a confident section of the same topic must rank for
# the best section to answer with its confidence.
SAME_TOPIC_MARGIN = 0.95


def _with_topic_confidence(hits: list[Hit], threshold: float) -> list[Hit]:
    """Whether the pack answers is a question about the topic; which of its sections, one of
    ranking. When the best-ranked section falls just short of confidence but the runner-up,
    from the same topic and all but level with it, is confident ("remind me what the values
    are": the values themselves, or how to use them), the best answers with that confidence."""
    best, runner_up = hits[0], hits[1] if len(hits) > 1 else None
    if (
        runner_up is not None
        and runner_up.section.topic_id == best.section.topic_id
        and runner_up.answers(threshold)
        and runner_up.score >= SAME_TOPIC_MARGIN * best.score
    ):
        return [replace(best, confidence=runner_up.confidence), *hits[1:]]
    return hits


# Where a question asks two things: "...? And ...", "what does X promise and what does it want".
_SECOND_PART = re.compile(
    r"\?\s+(?=\S)|[,;]?\s+(?:and|also|plus)\s+(?=(?:what|how|when|where|who|why|which|is|are|"
    r"can|do|does|should|will)\b)",
    re.IGNORECASE,
)
MIN_PART_WORDS = 3
# A first half's subject longer than this is a clause, not a name to put in place of "it".
MAX_SUBJECT_WORDS = 4
TWO_PART_DEPTH = 4


# A second half that points back at the first ("...and how do I use them?").
_BACK_REFERENCE = re.compile(r"\b(?:it|them|they|this|these|those|that one)\b", re.IGNORECASE)
# The asking words in front of a half's subject: "what are" the council values.
_ASKING = re.compile(
    r"^(?:(?:what|whats|what's|how|when|where|who|why|which|is|are|do|does|did|can|should|"
    r"will|would|could|happens|happen|goes|go|on|at|in|i|we|you|me|tell|explain|about|so|and|"
    r"exactly|just|please|remind)\s+)+",
    re.IGNORECASE,
)


def question_parts(question: str) -> list[str]:
    """The two halves of a two-part question, or [] for a question that asks one thing.

    A second half that refers back ("what are the council values, and how do I use them")
    names the first half's subject in place of "them", so it can be searched on its own."""
    parts = [p.strip(" ?,;") for p in _SECOND_PART.split(question, maxsplit=1)]
    if len(parts) != 2 or not all(len(p.split()) >= MIN_PART_WORDS for p in parts):
        return []
    first, second = parts
    subject = _ASKING.sub("", first).strip()
    if 0 < len(subject.split()) <= MAX_SUBJECT_WORDS and _BACK_REFERENCE.search(second):
        second = _BACK_REFERENCE.sub(subject, second, count=1)
    return [first, second]


def answer_question(index: AnswerIndex, question: str, audience: str) -> tuple[Answer, list[Hit]]:
    """The answer to a question from an index, and the ranked sections it was made from (the
    one path people's questions, `charter content eval` and the benchmark all take).

    A two-part question whose halves are answered by different sections gets both."""
    text = clean_question(question)
    parts = question_parts(text)
    # The halves go through the encoder together; the whole is read from them.
    if parts:
        index.embed_two_part(text, parts)
    hits = index.search(text, audience, k=SEARCH_DEPTH) if text else []
    answer = answer_from_hits(text, hits, index.threshold)
    if answer.best is None:
        return answer, hits
    # The half's answer must also rank near the top for the whole question: a half read on
    # its own ("what does it want back") can mean anything.
    near_top = {h.section.id: h.section for h in hits[:TWO_PART_DEPTH]}
    index.embed_ahead(parts)  # together, unless embed_two_part did (then a no-op)
    halves = []
    for part in parts:
        part_hits = index.search(part, audience, k=1)
        if part_hits and part_hits[0].answers(index.threshold):
            halves.append(part_hits[0].section)
    halves = [s for s in halves if s.id in near_top]
    ids = list(dict.fromkeys(s.id for s in halves))
    if len(ids) == 2:
        first, second = (near_top[i] for i in ids)
    elif len(ids) == 1 and ids[0] != answer.best.section_id:
        first, second = near_top[answer.best.section_id], near_top[ids[0]]
    else:
        return answer, hits
    best_hit = next(h for h in hits if h.section.id == first.id)
    related = [p for p in answer.related if p.section_id not in (first.id, second.id)]
    return replace(
        answer,
        best=passage_of(first),
        second=passage_of(second),
        score=best_hit.confidence,
        related=related,
    ), hits
    return answer, hits


# --- the pack being served --------------------------------------------------------------


@dataclass(frozen=True)
class LoadedPack:
    index: AnswerIndex
    signature: tuple[tuple[str, int, int], ...]

    @property
    def pack(self) -> ContentPack:
        return self.index.pack


def folder_signature(folder: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, modification times and sizes of the pack's files: cheap to read, and changes
    whenever HR saves, adds or removes a topic."""
    try:
        paths = pack_files(folder)
        return tuple((p.name, (stat := os.stat(p)).st_mtime_ns, stat.st_size) for p in paths)
    except OSError:
        return ()


class ContentLibrary:
    """The content pack being served, swapped for a new one only when the new one is good.

    Safe to share between threads: readers take the current snapshot (one reference read);
    reloads are serialised and swap the snapshot in one assignment.
    """

    def __init__(
        self,
        folder: Path,
        *,
        threshold: float = ANSWER_THRESHOLD,
        file_check_seconds: float = FILE_CHECK_SECONDS,
        request_check_seconds: float = RELOAD_REQUEST_CHECK_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.folder = Path(folder)
        self.threshold = threshold
        self._file_check_seconds = file_check_seconds
        self._request_check_seconds = request_check_seconds
        self._monotonic = monotonic
        self._reload_lock = threading.Lock()
        self._current: LoadedPack | None = None
        self._problems: list[ContentProblem] = []
        self._rejected_signature: tuple[tuple[str, int, int], ...] | None = None
        self._files_checked_at = -1e18
        self._requests_checked_at = -1e18
        self._seen_generation: int | None = None
        self._watch_files = True

    @classmethod
    def of_pack(cls, pack: ContentPack, *, threshold: float = ANSWER_THRESHOLD) -> ContentLibrary:
        """A library serving a pack built in memory, never reloaded (benchmarks, tools)."""
        return cls.of_index(AnswerIndex(pack, threshold=threshold))

    @classmethod
    def of_index(cls, index: AnswerIndex) -> ContentLibrary:
        """A library serving an index built elsewhere, never reloaded (benchmarks, tools)."""
        library = cls(index.pack.folder or Path("."), threshold=index.threshold)
        library._current = LoadedPack(index, ())
        library._watch_files = False
        return library

    @property
    def index(self) -> AnswerIndex:
        """The index to answer from, after a cheap check that the files have not changed."""
        self.refresh_if_changed()
        current = self._current
        assert current is not None
        return current.index

    @property
    def pack(self) -> ContentPack:
        return self.index.pack

    @property
    def problems(self) -> list[ContentProblem]:
        """What was wrong with the pack the last time a load failed (empty after a good one)."""
        return list(self._problems)

    def lookup(self, question: str, audience: str) -> Answer:
        """Answer a question for an audience ("manager" or "staff") from the current pack."""
        return answer_question(self.index, question, audience)[0]

    def reload(self) -> list[ContentProblem]:
        """Re-read the folder; serve it if it is good, else keep the last good pack.

        Returns the new pack's problems (empty when it was swapped in)."""
        with self._reload_lock:
            return self._reload_locked()

    def _reload_locked(self) -> list[ContentProblem]:
        signature = folder_signature(self.folder)
        pack, problems = load_pack(self.folder)
        self._files_checked_at = self._monotonic()
        if problems:
            self._problems = problems
            self._rejected_signature = signature
            if self._current is None:
                self._current = LoadedPack(AnswerIndex(ContentPack.empty()), ())
                log.error(
                    "content pack %s has %d problem(s); answering nothing until it is fixed. "
                    "First: %s",
                    self.folder,
                    len(problems),
                    problems[0],
                )
            else:
                log.warning(
                    "content pack %s changed but has %d problem(s); still serving the last "
                    "good version. First: %s",
                    self.folder,
                    len(problems),
                    problems[0],
                )
            return problems
        self._current = LoadedPack(AnswerIndex(pack, threshold=self.threshold), signature)
        self._problems = []
        self._rejected_signature = None
        log.info("content pack %s: %d sections", self.folder, len(pack.sections))
        return []

    def refresh_if_changed(self) -> None:
        """Reload if the files changed since the last look (at most every couple of seconds)."""
        if self._current is None:
            with self._reload_lock:
                if self._current is None:
                    self._reload_locked()
            return
        if not self._watch_files:
            return
        now = self._monotonic()
        if now - self._files_checked_at < self._file_check_seconds:
            return
        if not self._reload_lock.acquire(blocking=False):
            return  # another thread is reloading: keep serving what we have
        try:
            self._files_checked_at = now
            signature = folder_signature(self.folder)
            if signature not in (self._current.signature, self._rejected_signature):
                self._reload_locked()
        finally:
            self._reload_lock.release()

    async def honour_reload_requests(self, requests: ContentReloadRequests) -> None:
        """Reload when `charter content reload` was run since we last looked (every few s)."""
        now = self._monotonic()
        if now - self._requests_checked_at < self._request_check_seconds:
            return
        self._requests_checked_at = now
        try:
            generation = await requests.generation()
        except Exception:  # the database being away must not stop answers
            log.warning("could not read content reload requests", exc_info=True)
            return
        if self._seen_generation is None:
            self._seen_generation = generation  # what we loaded at start-up is current
            return
        if generation > self._seen_generation:
            self._seen_generation = generation
            await asyncio.to_thread(self.reload)


# --- the service ------------------------------------------------------------------------

NOT_YOURS = (
    "I can't find that question among the ones you asked, so I can't change it. "
    "Ask it again and I'll answer afresh."
)


class AnswerService:
    def __init__(self, database: Database, clock: Clock, library: ContentLibrary) -> None:
        self._clock = clock
        self.library = library
        self._questions = QuestionRepository(database)
        self._reloads = ContentReloadRequests(database)

    def lookup(self, question: str, audience: str) -> Answer:
        """Answer a question for an audience ("manager" or "staff"); nothing is recorded."""
        return self.library.lookup(question, audience)

    async def ask(self, question: str, asker: Person, channel: str = "chat") -> Answer:
        """Answer a person's question and record it for HR's report."""
        text = clean_question(question)
        if not text:
            raise Invalid("There's no question there yet: type what you'd like to know.")
        await self.refresh()
        audience = audience_of(asker)
        # Off the event loop: embedding the question is milliseconds of CPU, and a reload
        # that refresh() started may still be indexing.
        answer = await asyncio.to_thread(self.lookup, text, audience)
        question_id = await self._questions.add(
            asked_at=self._clock.now(),
            employee_pk=asker.id,
            channel=channel[:20],
            audience=audience,
            question=redact_for_hr(text),
            normalised=normalise_question(redact_for_hr(text)),
            answered=answer.answered,
            section_id=answer.best.section_id if answer.best else None,
            score=answer.score,
        )
        return replace(answer, question_id=question_id)

    async def refresh(self) -> None:
        """Pick up changed files and `charter content reload` requests (cheap; rate-limited)."""
        await self.library.honour_reload_requests(self._reloads)
        await asyncio.to_thread(self.library.refresh_if_changed)

    async def warm(self) -> None:
        """Load and index the pack now (at start-up) rather than on the first question."""
        try:
            # Note the reload generation now, so a `charter content reload` run before the
            # first question is not mistaken for the one this start-up already loaded.
            await self.library.honour_reload_requests(self._reloads)
            await asyncio.to_thread(self.library.refresh_if_changed)
        except Exception:  # a broken pack is reported when it is used; never stop start-up
            log.exception("could not load the content pack at start-up")

    async def show_section(self, section_id: str, asker: Person) -> Answer | None:
        """A section in full-answer form (the "more on this" buttons); None if unknown."""
        await self.refresh()
        index = self.library.index
        section = index.pack.section(str(section_id))
        if section is None:
            return None
        near = await asyncio.to_thread(
            index.nearest,
            f"{section.title} {' '.join(section.tags[:5])}",
            audience_of(asker),
            RELATED_COUNT,
            {section.id},
        )
        return Answer(
            question=section.title,
            answered=True,
            score=1.0,
            best=passage_of(section),
            related=[passage_of(h.section) for h in near],
        )

    async def rate(self, question_id: int, asker: Person, helpful: bool) -> None:
        """The asker's 👍 or 👎 (a second rating replaces the first)."""
        rating = "up" if helpful else "down"
        if not await self._questions.rate(question_id, asker.id, rating, self._clock.now()):
            raise Refused(NOT_YOURS)

    async def refer_to_hr(self, question_id: int, asker: Person) -> str:
        """Mark the asker's question for HR; returns the question as asked."""
        record = await self._questions.get(question_id)
        if record is None or record.employee_pk != asker.id:
            raise Refused(NOT_YOURS)
        if not await self._questions.refer(question_id, asker.id):
            raise Refused(NOT_YOURS)
        return record.question

    async def question_report(self, since: date | None = None) -> list[QuestionReportRow]:
        """Questions to improve the pack with: unanswered, 👎 or passed to HR (no names)."""
        start = datetime.combine(since, day_time(0), tzinfo=self._clock.tz) if since else None
        return await self._questions.report(start)


def audience_of(person: Person) -> str:
    return "manager" if person.is_manager else "staff"
