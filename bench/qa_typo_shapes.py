"""How well the question normaliser restores pack words typed in a hurry, on typos nobody
wrote: every pack word of five letters or more that the tuning sets' questions use, put
through each common slip (a letter left out, two swapped, one doubled, a keyboard neighbour,
the last letter left off, the vowels left out), then corrected by the pack's vocabulary.

    .venv/bin/python bench/qa_typo_shapes.py [--misses KIND]
    .venv/bin/python bench/qa_typo_shapes.py --questions

--questions measures the whole lookup instead: each set's short, chatty and scenario
questions with half their words of five letters or more slipped (one slip each, of a kind
drawn at random, never into a real word), top-1 beside the same questions typed cleanly,
both on the pack without the listed questions that paraphrase the set (as
bench/qa_fit.py --unseen 0.75).

Prints, per kind of slip, how many typos were tried, the share restored (to the word or a
word with its stem) and the share turned into another word (worse than left alone). A typo
that is itself a pack word or a real English word is not tried: the corrector must leave
those alone. The slips are drawn with a fixed seed, so two commits compare run against run.

--questions, e5c7669 -> this commit, top-1 hits clean / slipped, of 760: 635 / 573 ->
638 / 598 (slipped: qa_eval 60 -> 62, seeds 81 -> 82, more 76 -> 77, probes 204 -> 217,
scope 88 -> 91, fresh 64 -> 69): the slips cost 62 questions before and 40 after.

Only the tuning sets' wording is read; the held-out sets are never named here.

Result, 588 words, e5c7669 (before the typo work) -> this commit: left out 81.6% -> 98.9%
restored (turned into another word 2.0% -> 1.1%), last letter off 84.2% -> 98.6% (3.2% ->
1.4%), no vowels 6.0% -> 82.3% (0.9% -> 2.2%); swapped 99.1%, doubled 99.8%, neighbour
98.6%, unchanged. Most of what is left is a four-letter typo with two readings ("thre":
three or there) or a three-letter skeleton ("bld"), which the corrector rightly leaves.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from content import PACK_DIR
from domain.answer_index import AnswerIndex
from domain.content_pack import read_pack
from domain.hr_vocabulary import HrVocabulary, english_words, stem
from services.qa_evaluation import EvalSet, evaluate, without_paraphrases

HERE = Path(__file__).parent
SETS = ("qa_eval", "qa_tuning_seeds", "qa_tuning_more", "qa_tuning_probes", "qa_tuning_scope")
SETS += ("qa_tuning_fresh",)
KEYBOARD = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
MIN_WORD = 5
SEED = 7


def _neighbours(letter: str) -> list[str]:
    for row in KEYBOARD:
        at = row.find(letter)
        if at >= 0:
            return [row[i] for i in (at - 1, at + 1) if 0 <= i < len(row)]
    return []


def slips(word: str, rnd: random.Random) -> dict[str, str]:
    """One typo of each kind for the word (the first letter is kept: people get it right)."""
    out = {}
    at = rnd.randrange(1, len(word))
    out["left out"] = word[:at] + word[at + 1 :]
    at = rnd.randrange(1, len(word) - 1)
    out["swapped"] = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    at = rnd.randrange(1, len(word))
    out["doubled"] = word[:at] + word[at] + word[at:]
    at = rnd.randrange(1, len(word))
    if near := _neighbours(word[at]):
        out["neighbour"] = word[:at] + rnd.choice(near) + word[at + 1 :]
    out["last off"] = word[:-1]
    out["no vowels"] = word[0] + re.sub("[aeiou]", "", word[1:])
    return out


def slipped(question: str, rnd: random.Random, real: frozenset[str]) -> str:
    """The question with about half its words of MIN_WORD letters or more slipped."""

    def slip(match: re.Match[str]) -> str:
        word = match.group()
        if len(word) < MIN_WORD or rnd.random() >= 0.5:
            return word
        options = slips(word.lower(), rnd)
        typo = options[rnd.choice(sorted(options))]
        return word if typo in real else typo

    return re.sub(r"[A-Za-z]+", slip, question)


def questions_slipped() -> None:
    index = AnswerIndex(read_pack(PACK_DIR))
    real = english_words()
    print(f"{'set':<18}{'clean':>10}{'slipped':>10}")
    for name in SETS:
        rnd = random.Random(SEED)
        loaded = EvalSet.load(HERE / f"{name}.json")
        kinds = ("short", "chatty", "scenario")
        clean = EvalSet(tuple(q for q in loaded.questions if q.kind in kinds), ())
        typed = EvalSet(
            tuple(replace(q, question=slipped(q.question, rnd, real)) for q in clean.questions),
            (),
        )
        unseen = AnswerIndex(without_paraphrases(index, clean, 0.75))
        hits = [evaluate(unseen, s).overall.top1_hits for s in (clean, typed)]
        print(f"{name:<18}{hits[0]:>10}{hits[1]:>10}  of {len(clean.questions)}", flush=True)


def pack_words_asked(vocabulary: HrVocabulary) -> list[str]:
    found: set[str] = set()
    for name in SETS:
        data = json.loads((HERE / f"{name}.json").read_text(encoding="utf-8"))
        for question in data["questions"]:
            for word in re.findall(r"[a-z]+", question["question"].lower()):
                if len(word) >= MIN_WORD and vocabulary.in_pack(word):
                    found.add(word)
    return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--misses", metavar="KIND", help="list the typos of this kind missed")
    parser.add_argument("--questions", action="store_true", help="whole questions, slipped")
    args = parser.parse_args()
    if args.questions:
        questions_slipped()
        return
    vocabulary = AnswerIndex(read_pack(PACK_DIR), encoder=None).vocabulary
    real = english_words()
    rnd = random.Random(SEED)
    tally: dict[str, list[int]] = {}
    missed: list[str] = []
    for word in pack_words_asked(vocabulary):
        for kind, typo in slips(word, rnd).items():
            if typo == word or vocabulary.knows(typo) or typo in real:
                continue
            got = vocabulary.correct(typo)
            restored = got == word or stem(got) == stem(word)
            counts = tally.setdefault(kind, [0, 0, 0])
            counts[0] += 1
            counts[1] += restored
            counts[2] += got != typo and not restored
            if kind == args.misses and not restored:
                missed.append(f"  {word} -> {typo} -> {got}")
    print(f"{'slip':<11}{'tried':>6}{'restored':>10}{'wrong':>8}")
    for kind, (tried, restored, wrong) in tally.items():
        print(f"{kind:<11}{tried:>6}{restored / tried:>10.1%}{wrong / tried:>8.1%}")
    print("\n".join(missed))


if __name__ == "__main__":
    main()
