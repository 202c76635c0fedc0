#!/usr/bin/env python3
"""The matcher against independent exact solvers, on random instances.

Usage: test_match_optimal.py MATCH_JSON_BINARY

On 240 random instances (up to 60 learners x 30 guides, capacities 1 to 4,
random languages, weekly windows, topics, attributes, blocks and
conflicts), checks that:
  - every pair the C code scores is exactly a pair that passes the hard
    constraints as recomputed here (self, forbidden pairs, a guide not
    taking new learners, a shared language, the minimum weekly overlap);
  - no assignment (plain, fairness, greedy) breaks a hard constraint or a
    capacity;
  - the plain optimum matches as many learners, with the same total, as
    scipy.optimize.linear_sum_assignment with each guide repeated once per
    unit of capacity (a pair worth W + score, W = 100 * places + 1);
  - fairness mode matches as many, its minimum is at least the plain
    mode's, no assignment of as many learners has a higher minimum (the
    pairs above it cannot match that many), and its total is the optimum
    among the pairs at or above its minimum; on the small instances the
    same is checked against scipy.optimize.linprog (HiGHS) on the LP;
  - the blocking pairs counted by the C code are those counted here;
  - runs are deterministic: the same input gives the same assignments.
"""
import json
import random
import subprocess
import sys

import numpy as np
from scipy.optimize import linear_sum_assignment, linprog

SLOT = 30
REASON_OF = {1: "self", 2: "blocked", 3: "conflict_of_interest", 4: "past_incident",
             5: "excluded"}


def slots(windows):
    out = set()
    for s, e in windows:
        a = (s + SLOT - 1) // SLOT
        b = e // SLOT
        out.update(range(max(a, 0), min(b, 336)))
    return out


def make(rng, small):
    nl = rng.randint(1, 12 if small else 60)
    ng = rng.randint(1, 6 if small else 30)
    nattrs = rng.randint(0, 3)

    def person(i, learner):
        p = {"id": i, "langs": rng.sample(range(4), rng.randint(1, 2)),
             "windows": [], "attr": [rng.choice([-1, 0, 1, 2]) for _ in range(nattrs)]}
        for _ in range(rng.randint(1, 3)):
            s = rng.randrange(0, 10080 - 240, 15)
            p["windows"].append([s, s + rng.choice([60, 90, 120, 240])])
        if learner:
            p["wants"] = rng.sample(range(10), rng.randint(0, 5))
            p["wish"] = [rng.choice([0, 0, 1, 2]) for _ in range(nattrs)]
            p["exit"] = rng.choice([0, 0, 0, 1, 2, 4, 8])
        else:
            p["offers"] = rng.sample(range(10), rng.randint(1, 6))
            p["capacity"] = rng.randint(1, 4)
            p["taking_new"] = rng.random() > 0.1
            p["experience"] = rng.randint(0, 6)
        return p

    learners = [person(1000 + i, True) for i in range(nl)]
    guides = [person(2000 + i, False) for i in range(ng)]
    if rng.random() < 0.3 and ng:  # someone who is both
        guides[0]["id"] = learners[0]["id"]
    forbid = [[rng.randrange(nl), rng.randrange(ng), rng.randint(2, 5)]
              for _ in range(rng.randint(0, nl // 3 + 1))]
    weights = [rng.randint(0, 50) for _ in range(5)]
    if sum(weights) == 0:
        weights[0] = 1
    return {"min_overlap": rng.choice([0, 30, 60, 120]), "weights": weights, "nattrs": nattrs,
            "learners": learners, "guides": guides, "forbid": forbid}


def fits(inst):
    L, G = inst["learners"], inst["guides"]
    bad = {(l, g) for l, g, _ in inst["forbid"]}
    ok = np.zeros((len(L), len(G)), dtype=bool)
    for i, lp in enumerate(L):
        ls = slots(lp["windows"])
        for j, gp in enumerate(G):
            ok[i, j] = (lp["id"] != gp["id"] and (i, j) not in bad and gp["taking_new"]
                        and bool(set(lp["langs"]) & set(gp["langs"]))
                        and len(ls & slots(gp["windows"])) * SLOT >= inst["min_overlap"])
    return ok


def lsa(inst, S, ok, t=0):
    """Most pairs, then the largest total, over the pairs scoring t or more."""
    caps = [g["capacity"] for g in inst["guides"]]
    cols = [j for j, c in enumerate(caps) for _ in range(c)]
    nl = len(inst["learners"])
    if not cols or nl == 0:
        return 0, 0
    W = 100 * min(nl, len(cols)) + 1
    M = np.zeros((nl, len(cols)))
    for k, j in enumerate(cols):
        for i in range(nl):
            if ok[i, j] and S[i, j] >= t:
                M[i, k] = W + S[i, j]
    r, c = linear_sum_assignment(M, maximize=True)
    chosen = [(i, k) for i, k in zip(r, c) if M[i, k] > 0]
    return len(chosen), int(sum(M[i, k] - W for i, k in chosen))


def lp(inst, S, ok, t):
    """The same through linprog (HiGHS) on the LP of the pairs."""
    nl, ng = len(inst["learners"]), len(inst["guides"])
    pairs = [(i, j) for i in range(nl) for j in range(ng) if ok[i, j] and S[i, j] >= t]
    if not pairs:
        return 0, 0
    W = 100 * min(nl, sum(g["capacity"] for g in inst["guides"])) + 1
    A = np.zeros((nl + ng, len(pairs)))
    for k, (i, j) in enumerate(pairs):
        A[i, k] = 1
        A[nl + j, k] = 1
    b = [1] * nl + [g["capacity"] for g in inst["guides"]]
    c = [-(W + S[i, j]) for i, j in pairs]
    res = linprog(c, A_ub=A, b_ub=b, bounds=(0, 1), method="highs")
    assert res.status == 0
    x = np.round(res.x)
    assert np.allclose(res.x, x, atol=1e-7), "LP optimum not integral"
    m = int(x.sum())
    return m, int(round(-res.fun - W * m))


def blocking(inst, S, ok, guide_of):
    nl, ng = S.shape
    score = [S[i, guide_of[i]] if guide_of[i] >= 0 else -1 for i in range(nl)]
    held = [[score[i] for i in range(nl) if guide_of[i] == j] for j in range(ng)]
    n = 0
    for i in range(nl):
        for j in range(ng):
            if j == guide_of[i] or not ok[i, j] or S[i, j] <= score[i]:
                continue
            g = inst["guides"][j]
            if len(held[j]) < g["capacity"] or S[i, j] > min(held[j]):
                n += 1
    return n


def check(inst, out, idx):
    ok = fits(inst)
    S = np.array(out["scores"], dtype=int).reshape(ok.shape)
    assert ((S >= 0) == ok).all(), f"instance {idx}: constraints differ"
    assert (S <= 100).all()
    for mode in ("plain", "fair", "greedy"):
        r = out[mode]
        used = [0] * len(inst["guides"])
        for i, j in enumerate(r["guide_of"]):
            if j >= 0:
                assert ok[i, j], f"instance {idx} {mode}: pair {i},{j} breaks a constraint"
                used[j] += 1
            else:
                assert r["reasons"][i] is not None
        assert all(u <= g["capacity"] for u, g in zip(used, inst["guides"])), "capacity"
        assert r["blocking"] == blocking(inst, S, ok, r["guide_of"]), f"{idx} {mode} blocking"
    m, total = lsa(inst, S, ok)
    assert (out["plain"]["matched"], out["plain"]["total"]) == (m, total), \
        f"instance {idx}: plain {out['plain']['matched']},{out['plain']['total']} vs {m},{total}"
    assert out["greedy"]["total"] <= total or out["greedy"]["matched"] < m
    f = out["fair"]
    assert f["matched"] == m
    assert f["minimum"] >= out["plain"]["minimum"]
    if m:
        assert lsa(inst, S, ok, f["minimum"]) == (m, f["total"]), f"instance {idx}: fair total"
        if f["minimum"] < 100:
            assert lsa(inst, S, ok, f["minimum"] + 1)[0] < m, f"instance {idx}: fair minimum"
        if len(inst["learners"]) <= 12:
            assert lp(inst, S, ok, f["minimum"]) == (m, f["total"])
            if f["minimum"] < 100:
                assert lp(inst, S, ok, f["minimum"] + 1)[0] < m
    return m, total, out["greedy"]["total"]


def main():
    rng = random.Random(20261206)
    insts = [make(rng, small=(k % 4 == 0)) for k in range(240)]
    res = subprocess.run([sys.argv[1]], input=json.dumps(insts), capture_output=True,
                         text=True, check=True)
    outs = json.loads(res.stdout)
    assert len(outs) == len(insts)
    again = subprocess.run([sys.argv[1]], input=json.dumps(insts[:40]), capture_output=True,
                           text=True, check=True)
    assert json.loads(again.stdout) == outs[:40], "two runs on the same input differ"
    opt = greedy = fairer = 0
    for k, (inst, out) in enumerate(zip(insts, outs)):
        m, total, g = check(inst, out, k)
        opt += total
        greedy += g
        fairer += out["fair"]["minimum"] > out["plain"]["minimum"]
    print(f"240 instances: optimum equals linear_sum_assignment on each; totals: optimum "
          f"{opt}, greedy {greedy}; fairness raised the minimum on {fairer}")


if __name__ == "__main__":
    main()
