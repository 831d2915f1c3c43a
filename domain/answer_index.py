"""Finding the section of the content pack that answers a question, and knowing when none does.

Ranking is BM25 (``bm25s``, numpy only) over each section's title, tags and body, after the
UK HR vocabulary has put questions and sections into the same terms
(:mod:`domain.hr_vocabulary`). Titles and tags are repeated so they weigh more than a
passing mention in the body.

BM25 scores are not comparable between questions, so whether the best section really
answers is judged by its **confidence**: the share of the question's meaning the section
covers, each question term weighted by how specific it is (its IDF in the pack; a term the
pack never uses weighs the most, because nothing in the pack speaks to it). "What's the
weather tomorrow" covers none of its meaning anywhere; "how often should I hold 121s" finds
"onetoone" and "often" in the same section. A section answers when its confidence reaches
:data:`ANSWER_THRESHOLD`.

Listed questions: a section may carry the questions people ask for it
(:attr:`Section.questions`). They join the section's terms, and a new question is matched
against each of them too, by words (the IDF-weighted share of terms the two questions share)
and by meaning (the encoder's cosine), so a phrasing HR has added answers the next person
who asks it, however the section itself is worded.

Meaning: a section's embedding reads its titles, tags and opening words; for ranking, its
body's passages are read too (:mod:`domain.answer_section_passages`), because what tells
sibling sections apart is often further down than their opening.

Every ranker reads the same text: the question as :meth:`HrVocabulary.normalise` writes it.

Audience: a manager may read staff sections and staff may read manager ones, but each is
offered the version written for them first: when a section for the asker (or for all)
answers the question, sections for the other audience rank below it, and staff are not
offered manager-only sections at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache, partial
from typing import TYPE_CHECKING, Literal

import numpy as np

from domain.answer_agreement import agreeing_confidence
from domain.answer_elsewhere import ElsewhereCheck
from domain.answer_everyday import SEPARATOR, as_asked
from domain.answer_listed_match import ListedQuestions
from domain.answer_question_vectors import QUERY_CACHE_SIZE, QuestionVectors
from domain.answer_ranking import bm25_idf as _idf
from domain.answer_ranking import retriever as _retriever
from domain.answer_ranking import top as _top
from domain.answer_scope import ScopeCheck, framework_by_its_words
from domain.answer_section_classifier import SectionClassifier
from domain.answer_section_passages import SectionPassages
from domain.answer_text import (
    STORY_WORDS,
    asked,
    asks_first,
    asks_what_it_is,
    defines,
    embedding_text,
    heading_terms,
    passage_texts,
    scope_text,
    section_terms,
    section_text,
    term_pairs,
    titles_asking,
)
from domain.content_pack import ContentPack, Section
from domain.hr_vocabulary import HrVocabulary, analyse, spell_out_concepts, words
from domain.sentence_encoder import SentenceEncoder, limit_blas_threads, load_encoder

if TYPE_CHECKING:
    import bm25s

# The one threshold: a section whose confidence (0-1) reaches it answers the question.
ANSWER_THRESHOLD = 0.35
# How much a match in a section's own title and tags adds, on top of the whole section.
HEADING_WEIGHT = 1.0
# With the sentence encoder installed (domain.sentence_encoder), a section's relevance is this
# share of its BM25 score (scaled to the best) plus the rest of its similarity to the question
# (its opening's cosine and its closest passage's: domain.answer_section_passages); and a
# section whose opening's cosine reaches SIMILARITY_THRESHOLD answers even when its words
# cover less than ANSWER_THRESHOLD of the question.
BM25_SHARE = 0.3
SIMILARITY_THRESHOLD = 0.40
# A story told before the question (STORY_WORDS or more words) says much that no section
# does, so even the section that answers it is less similar to the whole: it answers from a
# similarity of STORY_SIMILARITY_THRESHOLD.
STORY_SIMILARITY_THRESHOLD = 0.27
LEXICAL_SIMILARITY_FLOOR = 0.30
# A listed question matches a new one by the larger of the share of terms they have in common
# and their cosine; related questions reach 0.6-0.7 ("someone in my team ..."), so only the
# part above LISTED_BASE counts, rescaled to 0-1. It adds QUESTION_WEIGHT times that to the
# section's relevance, and a match of at least QUESTION_MATCH_FLOOR (a paraphrase, or the
# phrasing HR added) makes the section answer with that confidence.
LISTED_BASE = 0.7
QUESTION_MATCH_FLOOR = 0.8
QUESTION_WEIGHT = 0.6
# A situation told in VOTE_WORDS to STORY_WORDS words: listed questions vote (listed_votes).
VOTE_WORDS = 14
VOTE_WEIGHT = 0.3
# For a question of LONG_QUESTION_WORDS or more, the same with lower marks (see
# listed_calibration).
LONG_QUESTION_WORDS = 10
LONG_LISTED_BASE = 0.5
LONG_QUESTION_MATCH_FLOOR = 0.5
# A question of this many words or more is ranked by its sections' passages as well as their
# openings (domain.answer_section_passages): a short one names what it asks about, which a
# section's title and opening say; a longer one describes a situation, told further down.
PASSAGE_QUESTION_WORDS = LONG_QUESTION_WORDS
# A question whose every term a section's title and tags contain answers from that section
# whatever the encoder makes of it ("openness and transparency"): the question names it. One
# whose text holds every term answers from a similarity of FULL_COVERAGE_SIMILARITY_FLOOR: 0.25
# with the encoder tuned on the framework's wording (domain.encoder_tuning), under which
# unrelated text ("tell me a joke") sits about 0.1 nearer every section than it did (0.15
# before); no framework answer of the tuning sets was lost.
FULL_COVERAGE = 0.999
FULL_COVERAGE_SIMILARITY_FLOOR = 0.25
# A definitional question ("what is the employment deal", "council values") ranks the
# section that says what the thing is this much higher than the one on how to use it.
DEFINITION_BONUS = 0.12
# Asking why, when or how to prepare ranks a section whose title says so this much higher.
ASKING_BONUS = 0.12
COVERAGE_WEIGHT = 0.3
# With the encoder, for a question of PASSAGE_QUESTION_WORDS or more, a section's relevance also
# gains this much times the score the classifier fitted on the pack's phrasings gives it
# (domain.answer_section_classifier). A shorter question names what it asks about, which its
# words and the sections' titles already find; a longer one tells a situation, which is where
# the phrasings' shared meaning tells sibling sections apart.
CLASSIFIER_WEIGHT = 1.0
# Whether the encoder reads the framework's words added for an everyday situation.
EVERYDAY_TO_ENCODER = True
# A section for the other audience ranks as if it scored this much less.
OTHER_AUDIENCE_WEIGHT = 0.7
ASKER_AUDIENCES: tuple[str, ...] = ("manager", "staff")


@dataclass(frozen=True)
class _WordScores:
    bm25: np.ndarray  # per section, with its headings' share
    covered: np.ndarray  # share of the question's IDF the section contains
    named: np.ndarray  # share its own title and tags contain


def listed_calibration(normalised: str) -> tuple[float, float]:
    """Where a listed question's match starts to count, and where it makes its section
    answer. A long question ("one of my team keeps turning in sloppy work, what do I do?")
    says more than the short phrasing HR listed, so even a true paraphrase of it reaches a
    cosine of only 0.55-0.75; an unrelated long question stays below 0.5."""
    if len(normalised.split()) >= LONG_QUESTION_WORDS:
        return LONG_LISTED_BASE, LONG_QUESTION_MATCH_FLOOR
    return LISTED_BASE, QUESTION_MATCH_FLOOR


@dataclass(frozen=True)
class Hit:
    section: Section
    score: float  # BM25, after the audience weighting; only comparable within one question
    confidence: float  # 0-1: the larger of coverage and (scaled) similarity
    coverage: float = 0.0  # share of the question's (IDF-weighted) terms the section covers
    similarity: float = 0.0  # cosine similarity of meaning (0 without the sentence encoder)
    elsewhere: str | None = None  # the other service the question looks like one for

    def answers(self, threshold: float = ANSWER_THRESHOLD) -> bool:
        return self.confidence >= threshold


def _audience_weights(audiences: Sequence[str], asker: str) -> np.ndarray:
    return np.array(
        [1.0 if a in (asker, "all") else OTHER_AUDIENCE_WEIGHT for a in audiences],
        dtype=np.float32,
    )


class AnswerIndex:
    """A pack made searchable: build once (tens of milliseconds), query many times."""

    def __init__(
        self,
        pack: ContentPack,
        *,
        threshold: float = ANSWER_THRESHOLD,
        encoder: SentenceEncoder | Literal["packaged"] | None = "packaged",
    ) -> None:
        self.pack = pack
        self.threshold = threshold
        self.sections: tuple[Section, ...] = pack.sections
        self.vocabulary = HrVocabulary(w for s in self.sections for w in words(section_text(s)))
        self._audiences = [s.audience for s in self.sections]
        self._preferred = {
            asker: np.array([a in (asker, "all") for a in self._audiences], dtype=bool)
            for asker in ASKER_AUDIENCES
        }
        self._weights = {
            asker: _audience_weights(self._audiences, asker) for asker in ASKER_AUDIENCES
        }
        self._retriever: bm25s.BM25 | None = None
        self._idf: dict[str, float] = {}
        self._unknown_idf = 1.0
        self._headings: bm25s.BM25 | None = None
        self._encoder = load_encoder() if encoder == "packaged" else encoder
        if self._encoder is not None:
            limit_blas_threads()
        self._vectors: np.ndarray | None = None
        self._passages: SectionPassages | None = None
        self._classifier: SectionClassifier | None = None
        self._definitions = np.array([defines(s) for s in self.sections], dtype=np.float32)
        self._askings = titles_asking([s.title for s in self.sections])
        topic_tags = {t.id: frozenset(t.tags) for t in pack.topics}
        self._scope = ScopeCheck([scope_text(s, topic_tags[s.topic_id]) for s in self.sections])
        listed = [(i, q) for i, s in enumerate(self.sections) for q in s.questions]
        self._listed = ListedQuestions([], [], len(self.sections), {}, 1.0)
        self._questions = (
            QuestionVectors(self._encoder, self.normalise, self.encoder_text)
            if self._encoder is not None
            else None
        )
        # A question as normalise writes it, without and with the framework's words: read once
        # however often one asking needs it (a long two-part question: three or four times).
        spelling = self.vocabulary.normalise
        self._read = lru_cache(QUERY_CACHE_SIZE)(partial(pack.everyday.read, spelling=spelling))
        self._elsewhere = ElsewhereCheck(pack.other_services, None)
        if self.sections:
            self._build([section_terms(s) for s in self.sections])
            self._headings = _retriever([heading_terms(s) for s in self.sections])
            normalised = [self.normalise(q) for _, q in listed]
            self._listed = ListedQuestions(
                [i for i, _ in listed], normalised, len(self.sections), self._idf, self._unknown_idf
            )
            if self._encoder is not None:
                self._embed(self._encoder, normalised)

    def _embed(self, encoder: SentenceEncoder, listed: list[str]) -> None:
        """The meaning of the sections, their passages, their listed questions (normalised)
        and the other services' questions."""
        self._vectors = encoder.encode_cached([embedding_text(s) for s in self.sections])
        passages = [passage_texts(s) for s in self.sections]
        self._passages = SectionPassages(
            encoder.encode_cached([t for p in passages for t in p]), [len(p) for p in passages]
        )
        examples, owners = self._vectors, np.arange(len(self.sections))
        if listed:
            self._listed.vectors = encoder.encode_cached([self.encoder_text(n) for n in listed])
            examples = np.concatenate([self._listed.vectors, examples])
            owners = np.concatenate([self._listed.owners, owners])
        self._classifier = SectionClassifier(examples, owners, len(self.sections))
        if others := self.pack.other_services.questions:
            texts = [self.encoder_text(self.normalise(q)) for q in others]
            self._elsewhere = ElsewhereCheck(self.pack.other_services, encoder.encode_cached(texts))

    def normalise(self, question: str) -> str:
        """What every ranker reads: the question in plain, correctly spelt words
        (:meth:`HrVocabulary.normalise`), followed by the framework's words for any situation
        it describes in everyday ones (the pack's vocabulary, :mod:`domain.answer_everyday`)."""
        return self._read(question)[1]

    @staticmethod
    def encoder_text(normalised: str) -> str:
        """What the encoder reads for a normalised question (tools/tune_encoder.py trains on
        the same): its asking sentences first, then any framework words added."""
        asked, _, added = normalised.partition(SEPARATOR)
        text = asks_first(asked)
        if added and EVERYDAY_TO_ENCODER:
            text = f"{text}{SEPARATOR}{added}"
        return spell_out_concepts(text)

    @property
    def has_encoder(self) -> bool:
        """Whether meaning is ranked as well as words (the sentence encoder is installed)."""
        return self._vectors is not None

    def embed_ahead(self, questions: Sequence[str]) -> None:
        """Embed several questions in one batch (:meth:`QuestionVectors.ahead`)."""
        if (embedding := self._embedding) is not None:
            embedding.ahead(questions)

    def embed_two_part(self, whole: str, parts: Sequence[str]) -> None:
        """Embed a two-part question's halves and whole (:meth:`QuestionVectors.two_part`)."""
        if (embedding := self._embedding) is not None:
            embedding.two_part(whole, parts)

    def forget_questions(self) -> None:
        """Drop the questions' remembered readings and embeddings (benchmarks measure a first
        asking)."""
        if self._questions is not None:
            self._questions.forget()
        self._read.cache_clear()

    def _build(self, corpus: list[list[str]]) -> None:
        retriever = _retriever(corpus)
        self._retriever = retriever
        n = len(corpus)
        indptr = retriever.scores["indptr"]
        self._idf = {
            term: _idf(int(indptr[tid + 1] - indptr[tid]), n)
            for term, tid in retriever.vocab_dict.items()
            if term
        }
        self._unknown_idf = _idf(0, n)

    def __len__(self) -> int:
        return len(self.sections)

    def search(self, question: str, audience: str, k: int = 4) -> list[Hit]:
        """The best ``k`` sections for the question as ``audience`` asks it, best first.

        Only sections sharing at least one term with the question are returned.
        """
        if audience not in ASKER_AUDIENCES:
            raise ValueError(f"audience must be manager or staff, not {audience!r}")
        plain, normalised = self._read(question)
        in_order = analyse(normalised)
        terms = list(dict.fromkeys(in_order))
        if self._retriever is None or not any(t in self._idf for t in terms):
            return []
        words_ = self._word_scores(terms, in_order)
        query = self._meaning_vector(normalised)
        story = len(as_asked(normalised).split()) >= STORY_WORDS
        passages = len(plain.split()) >= PASSAGE_QUESTION_WORDS
        relevance, confidence, similarity = self._combine(words_, query, story, passages)
        votes = VOTE_WORDS <= len(plain.split()) < STORY_WORDS
        listed, voted = self._listed.scores(terms, query, relevance, votes=votes)
        base, floor = listed_calibration(plain)
        relevance = relevance + QUESTION_WEIGHT * np.clip((listed - base) / (1 - base), 0.0, 1.0)
        relevance = relevance + VOTE_WEIGHT * voted
        confidence = np.where(listed >= floor, np.maximum(confidence, listed), confidence)
        if asks_what_it_is(plain, terms):
            relevance = relevance + DEFINITION_BONUS * self._definitions * (relevance > 0)
        for kind in asked(plain):
            relevance = relevance + ASKING_BONUS * self._askings[kind] * (relevance > 0)
        # A story whose best section is first by its words and by its meaning answers.
        weighted, meanings = relevance * self._weights[audience], (similarity, listed)
        agreement = (weighted, words_.bm25, meanings, self.threshold)
        confidence = agreeing_confidence(plain, confidence, *agreement)
        allowed = self._scope.allowed(plain)
        if allowed is not None:
            # Pay, leave, benefits...: only a section that names the subject answers.
            confidence = np.where(allowed, confidence, 0.0)
        # A question nearer one HR listed for another service than anything here is theirs.
        nearest = max(float(similarity.max(initial=0.0)), float(listed.max(initial=0.0)))
        elsewhere = (
            None if framework_by_its_words(plain) else self._elsewhere.service_for(query, nearest)
        )
        if elsewhere:
            confidence = np.zeros_like(confidence)
        hits = self._ranked_hits(audience, k, relevance, confidence, words_.covered, similarity)
        return [replace(h, elsewhere=elsewhere) for h in hits] if elsewhere else hits

    def _word_scores(self, terms: list[str], in_order: list[str]) -> _WordScores:
        """BM25 over whole sections (plus their headings, in proportion to how much of the
        question a heading names), and the share of the question each section covers."""
        retriever = self._retriever
        assert retriever is not None
        known = [t for t in terms if t in self._idf]
        total_idf = sum(self._idf.get(t, self._unknown_idf) for t in terms)
        bm25 = retriever.get_scores(known).astype(np.float32)
        covered = self._covered_idf(retriever, known) / total_idf
        named = np.zeros_like(covered)
        headings = self._headings
        if headings is not None:
            vocab = headings.vocab_dict
            named = self._covered_idf(headings, [t for t in known if t in vocab]) / total_idf
            in_headings = [t for t in [*known, *term_pairs(in_order)] if t in vocab]
            if in_headings and HEADING_WEIGHT:
                # One chance word in a title ("return") must not outweigh the meaning.
                bm25 = bm25 + HEADING_WEIGHT * np.sqrt(named) * headings.get_scores(in_headings)
        return _WordScores(bm25, covered, named)

    def question_vector(self, question: str) -> np.ndarray | None:
        """The question's embedding as the index ranks it (none without the encoder)."""
        return self._meaning_vector(self.normalise(question))

    def listed_vectors(self) -> np.ndarray | None:
        """The listed questions' embeddings, section by section in the pack's order."""
        return self._listed.vectors

    def _meaning_vector(self, normalised: str) -> np.ndarray | None:
        embedding = self._embedding
        return None if embedding is None else embedding.of(normalised)

    @property
    def _embedding(self) -> QuestionVectors | None:
        """The questions' embeddings, when there are sections' vectors to compare them with."""
        return self._questions if self._vectors is not None else None

    def _combine(
        self,
        scores: _WordScores,
        query: np.ndarray | None,
        story: bool = False,
        passages: bool = True,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Relevance (for ranking), confidence (0-1, for answering) and similarity per
        section, from the words and, with the encoder, the meaning."""
        bm25, covered, named = scores.bm25, scores.covered, scores.named
        peak = float(bm25.max())
        scaled = bm25 / peak if peak > 0 else bm25
        similarity = np.zeros_like(covered)
        relevance, confidence = scaled, covered
        if query is not None and self._vectors is not None:
            similarity, ranked = self.similarities(query, scaled, passages)
            relevance = BM25_SHARE * scaled + (1 - BM25_SHARE) * np.maximum(ranked, 0.0)
            if self._classifier is not None and passages:
                relevance = relevance + CLASSIFIER_WEIGHT * self._classifier.scores(query)
            # Words alone are not enough: "join the pension scheme" shares words with the
            # MHFA section but not its meaning. A section whose words cover the question
            # answers only if its meaning is at least LEXICAL_SIMILARITY_FLOOR close, or if
            # its title and tags name every word of the question ("openness and
            # transparency": a two-word question gets a low cosine from any passage), or its
            # text holds every word and its meaning is not far off.
            lexical = np.where(
                (similarity >= LEXICAL_SIMILARITY_FLOOR)
                | (named >= FULL_COVERAGE)
                | ((covered >= FULL_COVERAGE) & (similarity >= FULL_COVERAGE_SIMILARITY_FLOOR)),
                covered,
                np.minimum(covered, similarity * (self.threshold / LEXICAL_SIMILARITY_FLOOR)),
            )
            answers_from = STORY_SIMILARITY_THRESHOLD if story else SIMILARITY_THRESHOLD
            confidence = np.maximum(lexical, similarity * (self.threshold / answers_from))
        # A section holding more of the question's (specific) words ranks higher whatever the
        # encoder makes of an idiom ("not pulling their weight" is capability).
        relevance = relevance + COVERAGE_WEIGHT * covered * covered
        return relevance, confidence, similarity

    def similarities(
        self, query: np.ndarray, scaled_bm25: np.ndarray, passages: bool = True
    ) -> tuple[np.ndarray, np.ndarray]:
        """Per section, the cosine of its opening to the question (what confidence reads),
        and the similarity its ranking reads, its closest passage's too
        (:mod:`domain.answer_section_passages`)."""
        assert self._vectors is not None
        similarity = self._vectors @ query
        if self._passages is None or not passages:
            return similarity, similarity
        first = BM25_SHARE * scaled_bm25 + (1 - BM25_SHARE) * similarity
        return similarity, self._passages.ranking_similarity(query, similarity, first)

    def _ranked_hits(
        self,
        audience: str,
        k: int,
        relevance: np.ndarray,
        confidence: np.ndarray,
        covered: np.ndarray,
        similarity: np.ndarray,
    ) -> list[Hit]:
        weights = self._weights[audience]
        ranked = relevance * weights
        preferred = self._preferred[audience]
        confident_preferred = preferred & (confidence >= self.threshold) & (relevance > 0)
        if confident_preferred.any():
            # The asker's own version answers: the other audience's sections go below it,
            # and staff are not offered manager-only sections at all.
            if audience == "staff":
                ranked = np.where(preferred, ranked, 0.0)
            else:
                ranked = np.where(preferred & (ranked > 0), ranked + float(ranked.max()), ranked)
        return [
            Hit(
                self.sections[i],
                float(relevance[i] * weights[i]),
                float(min(1.0, confidence[i])),
                float(covered[i]),
                float(similarity[i]),
            )
            for i in _top(ranked, k)
            if ranked[i] > 0
        ]

    def _covered_idf(self, retriever: bm25s.BM25, terms: list[str]) -> np.ndarray:
        """Per section, the summed IDF of the question terms it contains."""
        indptr, indices = retriever.scores["indptr"], retriever.scores["indices"]
        covered = np.zeros(len(self.sections), dtype=np.float32)
        for term in terms:
            tid = retriever.vocab_dict[term]
            covered[indices[indptr[tid] : indptr[tid + 1]]] += self._idf[term]
        return covered

    def nearest(self, text: str, audience: str, k: int, exclude: set[str]) -> list[Hit]:
        """Sections near a piece of text (e.g. a section's title), leaving some out."""
        hits = self.search(text, audience, k + len(exclude))
        return [h for h in hits if h.section.id not in exclude][:k]
