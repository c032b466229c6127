#!/usr/bin/env python3
"""Turns the peer benchmark's result lines into the Markdown tables of docs/benchmarks.md.

  table.py RESULTS COMMAND LOAD_BEFORE LOAD_AFTER PORTKEY_VERSION   > table.md
  table.py --write docs/benchmarks.md table.md     (replaces what lies between the peers markers)
"""
import datetime
import re
import sys

BEGIN, END = "<!-- peers:begin -->", "<!-- peers:end -->"
LABELS = {
    "direct": "direct to upstream",
    "floor": "nginx proxy_pass (the floor)",
    "portkey": "Portkey gateway {portkey} (Node)",
    "lean": "Airlock lean",
    "full-heuristics": "Airlock full, classifier off",
    "full": "Airlock full",
}


def parse(path):
    closed, sweep, rss = {}, {}, {}
    for line in open(path):
        words = line.split()
        if len(words) < 2:
            continue
        fields = dict(w.split("=", 1) for w in words if "=" in w and not w.startswith("c="))
        name = words[0]
        if words[1].startswith("c=") and "RESULT" in words:
            closed[(name, int(words[1][2:]))] = fields
        elif words[1] == "SWEEP":
            sweep.setdefault(name, []).append(fields)
        elif "rss_kb" in fields:
            rss[name] = int(fields["rss_kb"])
    return closed, sweep, rss


def ms(us):
    if us < 0:  # the target beat the direct path: noise of a busy machine, shown as such
        return "−" + ms(-us)
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.0f} µs"


def ratio(a, b):
    return f"{a / b:.2f}×" if b else "—"


def render(results, command, before, after, portkey):
    closed, sweep, rss = parse(results)
    names = [n for n in LABELS if (n, 1) in closed or (n, 32) in closed]
    direct = closed.get(("direct", 1))
    out = [
        f"Run of {datetime.date.today().isoformat()}, load average {before} before and {after} after "
        "(1, 5, 15 min) on the shared 2-core machine.",
        "",
        "```sh",
        command,
        "```",
        "",
        "| target | c=1 p50 | c=1 p99 | c=32 req/s | added p50 | added p99 | added p50 vs Portkey's |"
        " c=32 vs Portkey | c=32 vs floor | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]

    def added(name, key):
        if not direct or (name, 1) not in closed:
            return None
        return int(closed[(name, 1)][key]) - int(direct[key])

    portkey_added = added("portkey", "p50_us")
    portkey_rps = float(closed[("portkey", 32)]["rps"]) if ("portkey", 32) in closed else 0
    floor_rps = float(closed[("floor", 32)]["rps"]) if ("floor", 32) in closed else 0
    for name in names:
        one, many = closed.get((name, 1), {}), closed.get((name, 32), {})
        rps = float(many.get("rps", 0))
        add50, add99 = added(name, "p50_us"), added(name, "p99_us")
        errors = sum(int(r.get("errors", 0)) + int(r.get("non2xx", 0)) for r in (one, many))
        out.append(
            "| {} | {} | {} | {:,.0f} | {} | {} | {} | {} | {} | {} |".format(
                LABELS[name].format(portkey=portkey),
                ms(int(one["p50_us"])) if one else "—",
                ms(int(one["p99_us"])) if one else "—",
                rps,
                "—" if name == "direct" or add50 is None else ms(add50),
                "—" if name == "direct" or add99 is None else ms(add99),
                "—" if name in ("direct", "portkey") or add50 is None or not portkey_added
                else ratio(add50, portkey_added),
                "—" if name == "portkey" else ratio(rps, portkey_rps),
                "—" if name == "floor" else ratio(rps, floor_rps),
                errors,
            )
        )
    if rss:
        out += ["", "Resident memory of each gateway process at the end of its runs: "
                + ", ".join(f"{LABELS[n].format(portkey=portkey)} {kb / 1024:.0f} MB" for n, kb in rss.items())
                + "."]
    if sweep:
        rates = sorted({s["rate"] for runs in sweep.values() for s in runs}, key=int)
        out += [
            "",
            "Open loop (`RateSweep`: each request timed from its scheduled start), p50 / p99 in ms of the "
            "answered requests, failed or unanswered ones counted apart; a rate over 80% of what the target "
            "carried at c=32 is not swept (\"over capacity\": it would measure a growing queue):",
            "",
            "| target | " + " | ".join(f"{r} req/s" for r in rates) + " |",
            "| --- |" + " ---: |" * len(rates),
        ]
        for name in names:
            cells = []
            by_rate = {s["rate"]: s for s in sweep.get(name, [])}
            for rate in rates:
                s = by_rate.get(rate)
                if s is None:
                    cells.append("over capacity")
                    continue
                bad = int(s["sent"]) - int(s["ok"])
                cells.append(f"{float(s['p50_ms']):.2f} / {float(s['p99_ms']):.2f}" + (f" ({bad} failed)" if bad else ""))
            out.append(f"| {LABELS[name].format(portkey=portkey)} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def write(doc, table):
    text = open(doc).read()
    block = f"{BEGIN}\n{open(table).read()}{END}"
    if BEGIN in text and END in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    open(doc, "w").write(text)


if __name__ == "__main__":
    if sys.argv[1] == "--write":
        write(sys.argv[2], sys.argv[3])
    else:
        sys.stdout.write(render(*sys.argv[1:6]))
