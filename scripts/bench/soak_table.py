#!/usr/bin/env python3
"""The soak run's table: one row per sample (resident memory, threads, open files, the GC pauses since the sample
before), then the load generator's summary.

  soak_table.py SAMPLES GC_LOG WRK_OUT COMMAND LOAD_BEFORE LOAD_AFTER EVERY
"""
import datetime
import re
import sys

PAUSE = re.compile(r"Pause .*?(\d+)M->(\d+)M\((\d+)M\) ([\d.]+)ms")


def main(samples, gc_log, wrk_out, command, before, after, every):
    rows = [line.split("\t") for line in open(samples).read().splitlines() if line]
    gc = open(gc_log).read().splitlines()
    result = next((l for l in open(wrk_out) if l.startswith("RESULT")), "RESULT (none: see wrk.out)")
    out = [
        f"Run of {datetime.date.today().isoformat()}, load average {before} before and {after} after "
        "(1, 5, 15 min) on the shared 2-core machine.",
        "",
        "```sh",
        command,
        "```",
        "",
        "| after s | RSS MB | threads | open fds | GC pauses | longest ms | total ms | heap after last GC MB |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    previous = int(rows[0][4])
    all_pauses = []
    for elapsed, rss, threads, fds, lines in rows:
        pauses = [PAUSE.search(l) for l in gc[previous:int(lines)]]
        pauses = [p for p in pauses if p]
        previous = int(lines)
        all_pauses += [float(p.group(4)) for p in pauses]
        times = [float(p.group(4)) for p in pauses]
        out.append(
            f"| {elapsed} | {rss} | {threads} | {fds} | {len(times)} | "
            f"{max(times):.1f} | {sum(times):.0f} | {pauses[-1].group(2) if pauses else '—'} |"
            if times else f"| {elapsed} | {rss} | {threads} | {fds} | 0 | — | — | — |"
        )
    all_pauses.sort()
    if all_pauses:
        p = lambda q: all_pauses[min(len(all_pauses) - 1, int(q * len(all_pauses)))]
        out += ["", f"GC pauses over the run: {len(all_pauses)}, p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, "
                f"longest {all_pauses[-1]:.1f} ms (G1, `-Xlog:gc`)."]
    out += ["", "Load generator (wrk, closed loop; statuses counted per answer): `" + result.strip() + "`"]
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:8])
