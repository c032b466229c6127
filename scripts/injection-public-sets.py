#!/usr/bin/env python3
"""Converts public prompt-injection, jailbreak and benign sets into Airlock's labelled JSON Lines.

Each input is a git directory of a public repository (a bare clone or a mirror); files are read from its HEAD with
`git show`, so nothing is unpacked. Every output row is {"id", "text", "label": injection|benign, "source":
user|document, "set"}; `airlock guard eval-injection` reports per "set".

    scripts/injection-public-sets.py OUT_DIR \
        --gptfuzz GIT_DIR --banking77 GIT_DIR --clinc GIT_DIR --tensor-trust GIT_DIR --dan GIT_DIR --bipia GIT_DIR --snips GIT_DIR \
        --rust-book GIT_DIR --sec-filings GIT_DIR --flask GIT_DIR

Deterministic: the same repositories at the same commits give the same files. Which file is for training, which
for validation and which is held out is written in eval/README.md.
"""
import argparse
import csv
import io
import json
import random
import re
import subprocess
from pathlib import Path


def show(repo, path):
    return subprocess.check_output(["git", "-C", repo, "show", "HEAD:" + path]).decode("utf-8")


def write(out, name, rows):
    path = Path(out) / (name + ".jsonl")
    with path.open("w", encoding="utf-8") as f:
        for i, (text, label, source) in enumerate(rows):
            f.write(json.dumps({"id": f"{name}-{i:05d}", "text": text, "label": label, "source": source,
                                "set": name}, ensure_ascii=False) + "\n")
    print(f"{path}: {len(rows)} rows")


# Short bank documents a tool could return; the attack goes between two of their sentences (indirect injection).
DOCUMENTS = [
    ("Statement summary for account ending 4471. Opening balance 2,310.55 EUR on 1 March.",
     "Card payments this month: 41, total 1,204.10 EUR. Closing balance 1,876.02 EUR on 31 March."),
    ("Fee schedule, personal current account. Monthly account fee 4.50 EUR, waived with a salary credit.",
     "International transfers cost 0.2% with a minimum of 5 EUR. Replacement cards are free once a year."),
    ("Mortgage offer reference MO-88213. Loan amount 240,000 EUR over 25 years at a fixed rate of 3.1%.",
     "The offer is valid for 60 days. An early repayment charge of 1% applies in the first five years."),
    ("Branch notice: the Market Street branch is closed on 24 December.",
     "Cash machines stay available. For urgent help call the number on the back of your card."),
    ("Dispute case 55-1290: a card payment of 89.99 EUR to an online retailer was disputed on 3 May.",
     "A temporary credit has been applied while the merchant responds. We will write within 45 days."),
]


def in_document(attack, i):
    before, after = DOCUMENTS[i % len(DOCUMENTS)]
    return before + "\n" + attack.strip() + "\n" + after


def gptfuzz(repo):
    questions = [r["text"] for r in csv.DictReader(io.StringIO(show(repo, "datasets/questions/question_list.csv")))]
    templates = [r["text"] for r in csv.DictReader(io.StringIO(show(repo, "datasets/prompts/GPTFuzzer.csv")))]
    templates += [r["text"] for r in csv.DictReader(io.StringIO(show(repo, "datasets/prompts/seed_short_25.csv")))]
    rows = []
    for i, t in enumerate(templates):
        q = questions[i % len(questions)]
        rows.append((t.replace("[INSERT PROMPT HERE]", q), "injection", "user"))
    return rows


def banking77(repo, split):
    return [(r["text"], "benign", "user")
            for r in csv.DictReader(io.StringIO(show(repo, f"banking_data/{split}.csv")))]


def clinc(repo, split):
    data = json.loads(show(repo, "data/data_full.json"))
    return [(t, "benign", "user") for t, _ in data[split] + data["oos_" + split]]


def clinc_banking(repo, split):
    data = json.loads(show(repo, "data/data_full.json"))
    domains = json.loads(show(repo, "data/domains.json"))
    keep = set(domains["banking"]) | set(domains["credit_cards"])
    return [(t, "benign", "user") for t, intent in data[split] if intent in keep]


def tensor_trust(repo, kind):
    path = f"benchmarks/{kind}-robustness/v1/{kind}_robustness_dataset.jsonl"
    rows = []
    for line in show(repo, path).splitlines():
        attack = json.loads(line)["attack"]
        if attack.strip():
            rows.append((attack, "injection", "user"))
    return rows


def dan(repo):
    """The prompts of the README's <details> blocks (in-the-wild jailbreaks), markup removed."""
    readme = show(repo, "README.md")
    rows = []
    for block in re.findall(r"<details>\s*<summary>[^<]*</summary>(.*?)</details>", readme, re.S):
        if "<details>" in block:
            continue
        text = re.sub(r"<blockquote>.*?</blockquote>", "", block, flags=re.S)
        text = re.sub(r"<[^>]+>", "", text).strip()
        if len(text) > 200:
            rows.append((text, "injection", "user"))
    return rows


def bipia_email(repo, split):
    rows = []
    for line in show(repo, f"benchmark/email/{split}.jsonl").splitlines():
        context = json.loads(line)["context"]
        rows.append((context.replace("|", "\n"), "benign", "document"))
    return rows


def sample(rows, n, seed=2026):
    """A deterministic sample of n rows, in their original order."""
    if len(rows) <= n:
        return rows
    keep = set(random.Random(seed).sample(range(len(rows)), n))
    return [r for i, r in enumerate(rows) if i in keep]


def sentence_pairs(text):
    """The guard's sentence windows (SentenceWindows): two consecutive sentences or lines, overlapping by one."""
    parts = [p.strip() for p in re.split(r"(?<=[.!?;:])\s+|\s*\n\s*", text) if p.strip()]
    return [parts[i] + " " + parts[i + 1] for i in range(len(parts) - 1)]


def clinc_wiki(repo):
    return [(t.strip(), "benign", "user") for t in show(repo, "data/all_wiki_sents.txt").splitlines() if t.strip()]


def clinc_val(repo):
    data = json.loads(show(repo, "data/data_full.json"))
    return [(t, "benign", "user") for t, _ in data["val"] + data["oos_val"]]


def nlupp(repo):
    rows = []
    for domain in ["banking", "hotels"]:
        for fold in range(20):
            for ex in json.loads(show(repo, f"nlupp/data/{domain}/fold{fold}.json")):
                rows.append((ex["text"], "benign", "user"))
    return rows


def snips(repo):
    rows = []
    for intent in ["AddToPlaylist", "BookRestaurant", "GetWeather", "PlayMusic", "RateBook", "SearchCreativeWork",
                   "SearchScreeningEvent"]:
        data = json.loads(show(repo, f"2017-06-custom-intent-engines/{intent}/validate_{intent}.json"))
        for ex in data[intent]:
            rows.append(("".join(part["text"] for part in ex["data"]), "benign", "user"))
    return rows


def paragraphs(lines):
    """Paragraphs of running prose: wrapped lines joined, blank lines between paragraphs."""
    out, current = [], []
    for line in lines + [""]:
        if line.strip():
            current.append(line.strip())
        elif current:
            out.append(" ".join(current))
            current = []
    return out


def documents(paras, words=110):
    """Consecutive paragraphs gathered into documents of about `words` words, as a tool or a retriever returns them."""
    docs, current = [], []
    for para in paras:
        current.append(para)
        if sum(len(p.split()) for p in current) >= words:
            docs.append("\n".join(current))
            current = []
    if current:
        docs.append("\n".join(current))
    return docs


def markdown_prose(text):
    """Prose of a Markdown chapter: no code blocks, headings, HTML, tables or link definitions."""
    lines, fenced = [], False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            lines.append("")
            continue
        if fenced or line.startswith(("#", "<", "|", "[", "    ")) or "-->" in line:
            lines.append("")
            continue
        line = re.sub(r"\[([^\]]*)\]\[[^\]]*\]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or m.group(2) or "", line)
        lines.append(line)
    return [p for p in paragraphs(lines) if len(p.split()) >= 8]


def rst_prose(text):
    """Prose of a reStructuredText page: no directives, literal blocks, titles or their underlines."""
    lines, literal = [], False
    for line in text.splitlines():
        if literal and (not line.strip() or line.startswith((" ", "\t"))):
            lines.append("")
            continue
        literal = False
        stripped = line.strip()
        if stripped.startswith("..") or re.fullmatch(r"[=\-~^*#+`]{3,}", stripped) or line.startswith((" ", "\t")):
            lines.append("")
            literal = stripped.startswith("..")
            continue
        if stripped.endswith("::"):
            literal = True
            line = line.rstrip(":") + ":"
        line = re.sub(r":\w+:`([^`<]*)(?:<[^>]*>)?`", r"\1", line).replace("``", "")
        lines.append(line)
    return [p for p in paragraphs(lines) if len(p.split()) >= 8]


def rust_book(repo):
    names = subprocess.check_output(["git", "-C", repo, "ls-tree", "-r", "--name-only", "HEAD", "src"]).decode().split()
    paras = []
    for name in sorted(n for n in names if re.match(r"src/ch\d\d-.*\.md$", n)):
        paras += markdown_prose(show(repo, name))
    return [(d, "benign", "document") for d in documents(paras)]


def flask_docs(repo):
    names = subprocess.check_output(["git", "-C", repo, "ls-tree", "-r", "--name-only", "HEAD", "docs"]).decode().split()
    paras = []
    for name in sorted(n for n in names if n.endswith(".rst")):
        paras += rst_prose(show(repo, name))
    return [(d, "benign", "document") for d in documents(paras)]


def conll_sentences(text):
    """Sentences of a CoNLL file (a token per line, first column), detokenised."""
    sentences, tokens = [], []
    for line in text.splitlines() + [""]:
        if line.strip() and not line.startswith("-DOCSTART-"):
            tokens.append(line.split()[0])
        elif tokens:
            s = " ".join(tokens)
            s = re.sub(r" ([.,;:%)'\]])", r"\1", s)
            s = re.sub(r"([($\[]) ", r"\1", s)
            sentences.append(s.replace(" n't", "n't").replace(" 's", "'s"))
            tokens = []
    return [s for s in sentences if len(s.split()) >= 6]


def sec_filings(repo, split, name):
    sentences = conll_sentences(show(repo, f"data/SEC-filings/CONLL-format/data/{split}/{name}"))
    docs = [" ".join(sentences[i:i + 5]) for i in range(0, len(sentences), 5)]
    return [(d, "benign", "document") for d in docs]


def indirect(rows, seed):
    rnd = random.Random(seed)
    picked = rnd.sample(rows, min(len(rows), 300))
    return [(in_document(t, i), "injection", "document") for i, (t, _, _) in enumerate(picked)]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out")
    for name in ["gptfuzz", "banking77", "clinc", "tensor-trust", "dan", "bipia", "snips", "rust-book", "sec-filings",
                 "flask"]:
        p.add_argument("--" + name)
    a = p.parse_args()
    Path(a.out).mkdir(parents=True, exist_ok=True)
    # trained on (the shipped weights): small, licensed for redistribution, committed under eval/public/
    if a.gptfuzz:
        write(a.out, "train-gptfuzz-jailbreaks", gptfuzz(a.gptfuzz))
    if a.banking77:
        write(a.out, "train-banking77", sample(banking77(a.banking77, "train"), 1500))
        write(a.out, "validation-banking77", sample(banking77(a.banking77, "test"), 1000))
        write(a.out, "heldout-nlupp", nlupp(a.banking77))
    if a.clinc:
        write(a.out, "train-clinc150", sample(clinc(a.clinc, "train"), 2000))
        write(a.out, "train-clinc-wiki", sample(clinc_wiki(a.clinc), 500))
        write(a.out, "validation-clinc150", sample(clinc_val(a.clinc), 1000))
    if a.bipia:
        docs = bipia_email(a.bipia, "train")
        pairs = [(w, "benign", "user") for t, _, _ in docs for w in sentence_pairs(t)]
        write(a.out, "train-bipia-email", docs + sample(pairs, 600))
        write(a.out, "heldout-bipia-email", bipia_email(a.bipia, "test"))
    # benign technical and business prose, the kind of document a tool or a retriever hands the model
    if a.rust_book:
        docs = sample(rust_book(a.rust_book), 400)
        pairs = [(w, "benign", "user") for t, _, _ in docs for w in sentence_pairs(t)]
        write(a.out, "train-rust-book", docs + sample(pairs, 400))
    if a.sec_filings:
        docs = sample(sec_filings(a.sec_filings, "train", "FIN5.txt"), 200)
        pairs = [(w, "benign", "user") for t, _, _ in docs for w in sentence_pairs(t)]
        write(a.out, "train-sec-filings", docs + sample(pairs, 200))
        write(a.out, "heldout-sec-filings", sec_filings(a.sec_filings, "test", "FIN3.txt"))
    if a.flask:
        write(a.out, "heldout-flask-docs", flask_docs(a.flask))
    # held out only: never trained on, never tuned on
    if a.tensor_trust:
        for kind in ["extraction", "hijacking"]:
            rows = tensor_trust(a.tensor_trust, kind)
            write(a.out, f"heldout-tensortrust-{kind}", rows)
            write(a.out, f"heldout-tensortrust-{kind}-in-document", indirect(rows, 2026))
    if a.dan:
        rows = dan(a.dan)
        write(a.out, "heldout-dan-jailbreaks", rows)
        write(a.out, "heldout-dan-jailbreaks-in-document", indirect(rows, 2026))
    if a.snips:
        write(a.out, "heldout-snips", snips(a.snips))
    write(a.out, "heldout-bank-documents", [(a + "\n" + b, "benign", "document") for a, b in DOCUMENTS])


if __name__ == "__main__":
    main()
