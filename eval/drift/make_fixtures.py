#!/usr/bin/env python3
"""Expected drift statistics, computed with SciPy, for airlock-core's drift tests.

Draws seeded samples, computes each statistic as docs/monitoring.md ("Drift statistics") describes, and writes
samples and expected values as JSON under airlock-core's test resources. The tests read the committed JSON, so the
build never needs Python; run this again only to change the cases:

    apt-get install python3-scipy      # Debian's numpy and SciPy
    python3 eval/drift/make_fixtures.py
"""
import csv
import json
import math
import os

import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "airlock-core", "src", "test", "resources", "drift")
BINS = 10
MIN_STD = 0.001
EMPTY_BIN_SHARE = 1e-4


def quantile_edges(reference):
    """Inner edges: the ceil(k*n/10)-th smallest reference value for k = 1..9, duplicates dropped."""
    s = np.sort(reference)
    n = len(s)
    return sorted({float(s[(k * n + BINS - 1) // BINS - 1]) for k in range(1, BINS)})


def bin_shares(values, edges):
    """Shares in (-inf, e1], (e1, e2], ..., (e_last, inf)."""
    s = np.sort(values)
    cdf = np.searchsorted(s, edges, side="right") / len(s)
    return np.diff(np.concatenate([[0.0], cdf, [1.0]]))


def fill_empty(shares):
    smallest = shares[shares > 0].min()
    fill = smallest / 1e6 if smallest <= EMPTY_BIN_SHARE else EMPTY_BIN_SHARE
    return np.where(shares == 0, fill, shares)


def psi(ref_shares, cur_shares):
    r, c = fill_empty(ref_shares), fill_empty(cur_shares)
    return float(np.sum((r - c) * np.log(r / c)))


def numeric_case(name, reference, current):
    ref = np.asarray(reference, dtype=float)
    cur = np.asarray(current, dtype=float)
    method = "exact" if max(len(ref), len(cur)) < 10000 else "asymp"
    ks = stats.ks_2samp(ref, cur, method=method)
    edges = quantile_edges(ref)
    rs, cs = bin_shares(ref, edges), bin_shares(cur, edges)
    return {
        "name": name,
        "kind": "numeric",
        "reference": ref.tolist(),
        "current": cur.tolist(),
        "expected": {
            "ks_statistic": float(ks.statistic),
            "ks_p_value": float(ks.pvalue),
            "ks_p_method": method,
            "wasserstein": float(stats.wasserstein_distance(ref, cur) / max(np.std(ref), MIN_STD)),
            "edges": edges,
            "psi": psi(rs, cs),
            "jensenshannon": float(jensenshannon(rs, cs)),
        },
    }


def counts_of(values):
    out = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


def categorical_case(name, reference, current):
    rc, cc = counts_of(reference), counts_of(current)
    keys = sorted(set(rc) | set(cc))
    r = np.array([rc.get(k, 0) for k in keys], dtype=float)
    c = np.array([cc.get(k, 0) for k in keys], dtype=float)
    rs, cs = r / r.sum(), c / c.sum()
    expected = {"jensenshannon": float(jensenshannon(rs, cs)), "psi": psi(rs, cs)}
    if len(keys) >= 2:
        chi2, p, _, _ = stats.chi2_contingency(np.array([r, c]), correction=False)
        expected.update(chi_square_statistic=float(chi2), chi_square_p_value=float(p))
    if len(keys) == 2:
        n1, n2 = r.sum(), c.sum()
        p1, p2 = r[1] / n1, c[1] / n2
        pooled = (p1 * n1 + p2 * n2) / (n1 + n2)
        z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        expected.update(z_statistic=float(z), z_p_value=float(2 * stats.norm.sf(abs(z))))
    return {"name": name, "kind": "categorical", "reference": rc, "current": cc, "expected": expected}


def synthetic_cases():
    rng = np.random.default_rng(20260501)
    cases = [
        numeric_case("normal_shifted_small", rng.normal(0, 1, 300), rng.normal(0.5, 1, 250)),
        numeric_case("normal_unshifted_small", rng.normal(0, 1, 400), rng.normal(0, 1, 350)),
        numeric_case("normal_shifted_large", rng.normal(10, 2, 3000), rng.normal(10.6, 2, 2000)),
        numeric_case("normal_unshifted_asymptotic", rng.normal(5, 3, 12000), rng.normal(5, 3, 11000)),
        numeric_case("lognormal_wider", rng.lognormal(0, 0.5, 1500), rng.lognormal(0, 0.8, 1200)),
        numeric_case("rounded_with_ties", np.round(rng.normal(50, 10, 600)), np.round(rng.normal(52, 10, 500))),
    ]
    letters = ["a", "b", "c"]
    cases.append(categorical_case(
        "categorical_new_category",
        list(rng.choice(letters, 900, p=[0.5, 0.3, 0.2])),
        list(rng.choice(letters + ["d"], 700, p=[0.4, 0.3, 0.15, 0.15]))))
    cases.append(categorical_case(
        "categorical_unchanged",
        list(rng.choice(letters, 800, p=[0.5, 0.3, 0.2])),
        list(rng.choice(letters, 600, p=[0.5, 0.3, 0.2]))))
    cases.append(categorical_case(
        "binary_rate_up",
        [str(v) for v in rng.binomial(1, 0.3, 800)],
        [str(v) for v in rng.binomial(1, 0.4, 600)]))
    cases.append(categorical_case(
        "binary_rate_same",
        [str(v) for v in rng.binomial(1, 0.3, 900)],
        [str(v) for v in rng.binomial(1, 0.3, 700)]))
    for case in cases:
        for side in ("reference", "current"):
            if case["kind"] == "categorical":
                case[side] = {str(k): int(v) for k, v in case[side].items()}
    return cases


def parse_number(text):
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def label(v):
    return str(int(v)) if v == int(v) else repr(v)


def loan_risk():
    """Default drift of the loan-risk example's production sample against its training data, column by column."""
    data = os.path.join(ROOT, "examples", "loan-risk", "data")
    with open(os.path.join(data, "train.csv")) as f:
        train = list(csv.DictReader(f))
    with open(os.path.join(data, "production-sample.csv")) as f:
        production = list(csv.DictReader(f))
    columns = {}
    for name in list(train[0].keys())[1:]:  # the first column is the application id
        ref_raw = [r[name] for r in train]
        cur_raw = [r[name] for r in production]
        numeric = all(v == "" or parse_number(v) is not None for v in ref_raw)
        if numeric:
            ref = np.array([parse_number(v) for v in ref_raw if v != "" and parse_number(v) is not None])
            cur = np.array([parse_number(v) for v in cur_raw if v != "" and parse_number(v) is not None])
            distinct = len(set(ref.tolist()) | set(cur.tolist()))
            if distinct > 5:
                value = float(stats.wasserstein_distance(ref, cur) / max(np.std(ref), MIN_STD))
                method = "wasserstein"
            else:
                rc, cc = counts_of(label(v) for v in ref), counts_of(label(v) for v in cur)
                method = "jensenshannon"
                value = js_of_counts(rc, cc)
        else:
            rc = counts_of(v for v in ref_raw if v != "")
            cc = counts_of(v for v in cur_raw if v != "")
            method = "jensenshannon"
            value = js_of_counts(rc, cc)
        columns[name] = {"numeric": numeric, "method": method, "statistic": value, "drifted": value >= 0.1}
    return {"columns": columns, "drifted": sorted(k for k, v in columns.items() if v["drifted"])}


def js_of_counts(rc, cc):
    keys = sorted(set(rc) | set(cc))
    r = np.array([rc.get(k, 0) for k in keys], dtype=float)
    c = np.array([cc.get(k, 0) for k in keys], dtype=float)
    return float(jensenshannon(r / r.sum(), c / c.sum()))


def main():
    os.makedirs(OUT, exist_ok=True)
    import scipy

    header = {"generator": "eval/drift/make_fixtures.py", "scipy": scipy.__version__, "numpy": np.__version__}
    with open(os.path.join(OUT, "fixtures.json"), "w") as f:
        json.dump({**header, "cases": synthetic_cases()}, f)
        f.write("\n")
    with open(os.path.join(OUT, "loan-risk-expected.json"), "w") as f:
        json.dump({**header, **loan_risk()}, f, indent=1)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
