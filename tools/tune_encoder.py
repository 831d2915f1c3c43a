"""Tune the sentence encoder on the content pack's wording (domain/encoder_tuning.py):
``make tune-encoder`` runs both steps.

    .venv/bin/python tools/tune_encoder.py export DATA.json [--pack DIR]
        the pack's phrasings (the shipped pack, or a council's own) as the encoder reads
        them (normalised, as AnswerIndex does), each with its section, and every section's
        texts (opening and passages)
    .venv-tune/bin/python tools/tune_encoder.py train DATA.json domain/encoder_tuning.npz
        train all-MiniLM-L6-v2 further on them (needs torch and transformers, which Charter
        itself does not: make tune-encoder installs them in .venv-tune), then store what
        changed, compressed (domain.encoder_tuning.compress)

Training: each step takes BATCH phrasings from BATCH different sections, pairs each with
another text of its own section (another phrasing, or the section's opening or a passage),
and minimises the in-batch contrastive loss both ways (a phrasing must be nearer its own
pair than any other section's, scale 20); AdamW, learning rate LEARNING_RATE with a tenth of
the steps warming up and a linear decay, EPOCHS passes over the phrasings; the word-piece
embeddings are frozen (the stored change leaves them out). Each step also holds HOLD_BATCH of
the other services' questions (the pack's _other_services.md) near the packaged model's
embedding of them: without that, unrelated text drifted about 0.1 nearer every section and
questions for other services were answered. Seeded: the same pack gives the
same file on the same machine. About five minutes on two cores.

Only the pack is read: never a question set of bench/ (those measure it).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

EPOCHS = 2
BATCH = 32
LEARNING_RATE = 2e-5
SCALE = 20.0
QUESTION_TOKENS = 64
SECTION_TOKENS = 128
SEED = 7
# Each step, this many of the other services' questions are held near the packaged model's
# embedding of them, weighted so (see train).
HOLD_BATCH = 16
HOLD_WEIGHT = 10.0


def pack_texts(folder: Path | None = None, unlabelled: list[str] | None = None) -> dict[str, Any]:
    """What the tuning learns from, as the answer engine gives it to the encoder (normalised,
    framework words marked): each section's opening and passages, its listed questions as
    [text, section number], the other services' questions, and any ``unlabelled`` questions
    read the same way (bench/qa_distil.py)."""
    from content import PACK_DIR
    from domain.answer_index import AnswerIndex
    from domain.answer_text import embedding_text, passage_texts
    from domain.content_pack import read_pack

    pack = read_pack(folder or PACK_DIR)
    index = AnswerIndex(pack, encoder=None)

    def read(question: str) -> str:
        return index.encoder_text(index.normalise(question))

    data: dict[str, Any] = {
        "sections": [[embedding_text(s), *passage_texts(s)] for s in pack.sections],
        "questions": [
            [read(q), number] for number, s in enumerate(pack.sections) for q in s.questions
        ],
        "elsewhere": [read(q) for q in pack.other_services.questions],
    }
    if unlabelled is not None:
        data["unlabelled"] = [read(line) for line in unlabelled if line.strip()]
    return data


def export(out: Path, folder: Path | None = None) -> None:
    from domain.sentence_encoder import PINNED_SHA256, model_dir

    model = model_dir()
    if model is None:
        raise SystemExit("the sentence encoder is not installed: run make venv first")
    data: dict[str, Any] = {
        "model_dir": str(model),
        "base_sha256": PINNED_SHA256["model.safetensors"],
        **pack_texts(folder),
    }
    out.write_text(json.dumps(data), encoding="utf-8")
    print(f"{out}: {len(data['questions'])} phrasings of {len(data['sections'])} sections")


def train(data_file: Path, out: Path) -> None:
    import numpy as np
    import torch
    from safetensors.numpy import load_file
    from transformers import BertModel, BertTokenizerFast

    from domain.encoder_tuning import compress

    data = json.loads(data_file.read_text(encoding="utf-8"))
    folder = Path(data["model_dir"])
    random.seed(SEED)
    torch.manual_seed(SEED)
    torch.set_num_threads(2)
    tokenizer = BertTokenizerFast.from_pretrained(folder)
    model = BertModel.from_pretrained(folder, add_pooling_layer=False)
    model.embeddings.word_embeddings.weight.requires_grad_(False)
    texts = texts_by_section(data)
    phrasings = [(text, section) for text, section in data["questions"]]

    def embed(batch: list[str], tokens: int) -> torch.Tensor:
        encoded = tokenizer(
            batch, padding=True, truncation=True, max_length=tokens, return_tensors="pt"
        )
        hidden = model(**encoded).last_hidden_state
        mask = encoded["attention_mask"].unsqueeze(-1).float()
        pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=-1)

    # What the packaged model makes of the other services' questions: the tuned model is held
    # to it, so questions that are not the framework's stay as far from its sections as before
    # (the refusal thresholds were set on the packaged model's cosines).
    model.eval()
    elsewhere: list[str] = data["elsewhere"]
    held = embedded(lambda batch: embed(batch, QUESTION_TOKENS), elsewhere)
    trained = [p for p in model.parameters() if p.requires_grad]
    steps = int(EPOCHS * len(phrasings) / BATCH)
    optimiser, schedule = optimiser_for(trained, LEARNING_RATE, steps)
    model.train()
    started = time.monotonic()
    queue: list[tuple[str, int]] = []
    for step in range(steps):
        if len(queue) < BATCH * 3:
            more = phrasings[:]
            random.shuffle(more)
            queue += more
        batch = _distinct_sections(queue, BATCH)
        loss = batch_loss(embed, batch, texts, elsewhere, held)
        take_step(optimiser, schedule, loss, (step, steps), started)
    tuned = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    base = load_file(str(folder / "model.safetensors"))
    stored = compress(tuned, base, data["base_sha256"])
    # numpy's stubs type savez's keyword arrays as its allow_pickle flag.
    np.savez_compressed(out, **stored)  # type: ignore[arg-type]
    print(f"{out}: {out.stat().st_size / 1e6:.1f} MB")


def texts_by_section(data: dict[str, Any]) -> dict[int, list[str]]:
    """Every text of each section: its listed questions, then its opening and passages (a
    phrasing's positive is another of these)."""
    texts: dict[int, list[str]] = {}
    for text, section in data["questions"]:
        texts.setdefault(section, []).append(text)
    for section, own in enumerate(data["sections"]):
        texts.setdefault(section, []).extend(own)
    return texts


def embedded(embed: Any, texts: list[str]) -> Any:
    """``embed(texts)`` over all of ``texts`` in batches of 64, without gradients: one
    tensor, a row per text."""
    import torch

    with torch.no_grad():
        return torch.cat([embed(texts[i : i + 64]) for i in range(0, len(texts), 64)])


def batch_loss(
    embed: Any,
    batch: list[tuple[str, int]],
    texts: dict[int, list[str]],
    elsewhere: list[str],
    held: Any,
) -> Any:
    """The tuning's loss on a batch of phrasings of distinct sections: in-batch contrastive
    from each phrasing to another text of its section, both ways; plus HOLD_BATCH of the
    other services' questions held near ``held`` (their vectors before tuning), weighted
    HOLD_WEIGHT. ``embed(texts, tokens)`` gives unit vectors, cutting texts to ``tokens``."""
    import torch

    pairs = [random.choice([t for t in texts[s] if t != text]) for text, s in batch]
    anchors = embed([text for text, _ in batch], QUESTION_TOKENS)
    positives = embed(pairs, SECTION_TOKENS)
    logits = SCALE * anchors @ positives.T
    labels = torch.arange(len(batch))
    loss = (
        torch.nn.functional.cross_entropy(logits, labels)
        + torch.nn.functional.cross_entropy(logits.T, labels)
    ) / 2
    if elsewhere and HOLD_WEIGHT:
        picked = random.sample(range(len(elsewhere)), min(HOLD_BATCH, len(elsewhere)))
        now = embed([elsewhere[i] for i in picked], QUESTION_TOKENS)
        drift = 1 - (now * held[picked]).sum(dim=-1)
        loss = loss + HOLD_WEIGHT * drift.mean()
    return loss


def optimiser_for(trained: list[Any], rate: float, steps: int) -> tuple[Any, Any]:
    """AdamW at ``rate`` with a tenth of the ``steps`` warming up, then a linear decay."""
    import torch

    optimiser = torch.optim.AdamW(trained, lr=rate, weight_decay=0.01)
    warm = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / warm) * max(0.0, 1 - s / steps)
    )
    return optimiser, schedule


def take_step(
    optimiser: Any, schedule: Any, loss: Any, step: tuple[int, int], since: float
) -> None:
    """One optimiser step on ``loss``; the loss and the time so far every 20 steps."""
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    schedule.step()
    done, steps = step
    if done % 20 == 0 or done == steps - 1:
        spent = time.monotonic() - since
        print(f"step {done + 1}/{steps}: loss {loss.item():.3f}, {spent:.0f} s", flush=True)


def _distinct_sections(queue: list[tuple[str, int]], size: int) -> list[tuple[str, int]]:
    """Take up to ``size`` phrasings from the front of the queue, no two of one section (a
    second phrasing of the same section would be counted wrong as another's)."""
    batch: list[tuple[str, int]] = []
    seen: set[int] = set()
    position = 0
    while len(batch) < size and position < len(queue):
        section = queue[position][1]
        if section in seen:
            position += 1
            continue
        seen.add(section)
        batch.append(queue.pop(position))
    return batch


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    steps = parser.add_subparsers(dest="step", required=True)
    export_step = steps.add_parser("export")
    export_step.add_argument("out", type=Path)
    export_step.add_argument(
        "--pack", type=Path, help="the content pack (default: the shipped one)"
    )
    train_step = steps.add_parser("train")
    train_step.add_argument("data", type=Path)
    train_step.add_argument("out", type=Path)
    args = parser.parse_args()
    if args.step == "export":
        export(args.out, args.pack)
    else:
        train(args.data, args.out)


if __name__ == "__main__":
    main()
