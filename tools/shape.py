#!/usr/bin/env python3
"""shape.py BUILD_DIR: checks that every arrow in src/ runs one way.

Reads the object files of a meson build of Rapport (`nm -P`), ties each
undefined symbol of one file to the file that defines it, and reports:

  - upward arrows between layers, whose order (top first) is DESIGN.md's:
    main, cli, http, app, store, trust, domain, crypto, base;
  - upward arrows between the rooms of app/, whose order (top first) is
    app/app.h's: the top of app/ (app.c, jobs.c), yourdata, alumni, feedback360, circles, org,
    matching, reach, practices,
    trust, people, privacy, core;
  - circles of files (strongly connected components of the file graph),
    with the symbols that tie them.

Prints `shape: N problems` last and exits 1 when N > 0, so `make test`
fails on the first circle or upward arrow (docs/architecture.md).
"""
import collections
import os
import subprocess
import sys

LAYERS = ["main", "cli", "http", "app", "store", "trust", "domain", "crypto", "base"]
APP_ROOMS = ["top", "yourdata", "alumni", "feedback360", "circles", "org", "matching", "reach",
             "practices", "trust", "people", "privacy", "core"]


def sources(src):
    """Meson's object name for each .c file under src/ ("app/trust/view.c"
    compiles to "app_trust_view.c.o"), mapped to the file's path."""
    names = {}
    for root, _, files in os.walk(src):
        for f in files:
            if f.endswith(".c"):
                rel = os.path.relpath(os.path.join(root, f), src)
                key = rel.replace(os.sep, "_") + ".o"
                if key in names:
                    sys.exit(f"shape: {rel} and {names[key]} compile to one object name")
                names[key] = rel
    return names


def objects(build, names):
    """(path, object file) for every object of src/ in the build."""
    out = []
    for root, _, files in os.walk(os.path.join(build, "src")):
        if not root.endswith(".p"):
            continue
        for f in files:
            if f in names:
                out.append((names[f], os.path.join(root, f)))
    return out


def graph(objs):
    defs, undefs = {}, collections.defaultdict(set)
    for path, obj in objs:
        nm = subprocess.run(["nm", "-P", obj], capture_output=True, text=True, check=True)
        for line in nm.stdout.splitlines():
            f = line.split()
            if len(f) < 2:
                continue
            if f[1] == "U":
                undefs[path].add(f[0])
            elif f[1] in "TDBRC":
                defs[f[0]] = path
    edges = collections.defaultdict(lambda: collections.defaultdict(set))
    for path, names in undefs.items():
        for n in names:
            d = defs.get(n)
            if d and d != path:
                edges[path][d].add(n)
    return edges


def layer(path):
    return path.split("/")[0] if "/" in path else path[: -len(".c")]


def room(path):
    parts = path.split("/")
    return parts[1] if len(parts) > 2 else "top"


def upward(edges):
    found = []
    for s in sorted(edges):
        for d in sorted(edges[s]):
            ls, ld = layer(s), layer(d)
            if ls in LAYERS and ld in LAYERS and LAYERS.index(ld) < LAYERS.index(ls):
                found.append((s, d))
            elif ls == ld == "app" and APP_ROOMS.index(room(d)) < APP_ROOMS.index(room(s)):
                found.append((s, d))
    return found


def circles(edges):
    """Tarjan's strongly connected components of more than one file."""
    index, low, on, stack, comps = {}, {}, set(), [], []
    counter = [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(sorted(comp))

    nodes = set(edges) | {d for e in edges.values() for d in e}
    for v in sorted(nodes):
        if v not in index:
            visit(v)
    return comps


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: shape.py BUILD_DIR")
    build = sys.argv[1]
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
    objs = objects(build, sources(src))
    if not objs:
        sys.exit(f"shape: no object files of src/ under {build}: build it first")
    edges = graph(objs)
    problems = 0
    for s, d in upward(edges):
        problems += 1
        print(f"upward arrow: {s} -> {d}: {', '.join(sorted(edges[s][d])[:4])}")
    for comp in circles(edges):
        problems += 1
        print(f"circle of {len(comp)} files:")
        for s in comp:
            for d in comp:
                if d in edges.get(s, {}):
                    print(f"  {s} -> {d}: {', '.join(sorted(edges[s][d])[:4])}")
    print(f"shape: {len(objs)} files, {problems} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
