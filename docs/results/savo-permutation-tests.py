"""Exact two-sided permutation tests of the final returns in savo-runs.csv (savo-report's output): SAVO (k = 3)
against each method and each other k on each task, SAVO at k = 1 (the single actor without target smoothing)
against TD3, and Wolpertinger against TD3. With 5 seeds against 5 there are 252 splits; p is the
fraction whose |difference of means| is at least the observed one. Run: python3 savo-permutation-tests.py [savo-runs.csv]"""
import csv, itertools, sys

rows = list(csv.DictReader(open(sys.argv[1] if len(sys.argv) > 1 else "savo-runs.csv")))

def finals(env, method, k=None):
    return [float(r["final_return"]) for r in rows
            if r["env"] == env and r["method"] == method and (k is None or r["k"] == str(k))]

def permutation_p(a, b):
    pooled, n = a + b, len(a)
    observed = abs(sum(a) / n - sum(b) / len(b))
    hits = total = 0
    for chosen in itertools.combinations(range(len(pooled)), n):
        x = [pooled[i] for i in chosen]
        y = [pooled[i] for i in range(len(pooled)) if i not in chosen]
        total += 1
        hits += abs(sum(x) / n - sum(y) / len(y)) >= observed - 1e-9
    return hits / total

for env in sorted({r["env"] for r in rows}):
    savo = finals(env, "savo", 3)
    for method in sorted({r["method"] for r in rows if r["env"] == env} - {"savo"}):
        other = finals(env, method)
        print(f"PERMUTATION env={env} a=savo(k=3) b={method} n={len(savo)}/{len(other)} p={permutation_p(savo, other):.3f}")
    for k in sorted({int(r["k"]) for r in rows if r["env"] == env and r["method"] == "savo"} - {3}):
        other = finals(env, "savo", k)
        print(f"PERMUTATION env={env} a=savo(k=3) b=savo(k={k}) n={len(savo)}/{len(other)} p={permutation_p(savo, other):.3f}")
    single, td3 = finals(env, "savo", 1), finals(env, "td3")
    if single and td3:
        print(f"PERMUTATION env={env} a=savo(k=1) b=td3 n={len(single)}/{len(td3)} p={permutation_p(single, td3):.3f}")
    wolpertinger = finals(env, "wolpertinger")
    if wolpertinger and td3:
        print(f"PERMUTATION env={env} a=wolpertinger b=td3 n={len(wolpertinger)}/{len(td3)} p={permutation_p(wolpertinger, td3):.3f}")
