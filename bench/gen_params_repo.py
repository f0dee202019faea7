#!/usr/bin/python3
"""Writes a git fast-import stream for the params benchmark: COMMITS commits (default 10,000) on
main; every commit edits one of 100 source files; every 5th also changes one to three values of
config.yaml, a YAML config of about 200 keys (20 sections of 10). Deterministic (seeded).

    gen_params_repo.py [--commits N] | git fast-import --quiet
"""

import argparse
import random
import sys


def config_text(values):
    lines = []
    for s in range(20):
        lines.append(f"section_{s}:")
        for k in range(10):
            lines.append(f"  key_{k}: {values[(s, k)]}")
    return "\n".join(lines) + "\n"


def blob(out, text):
    data = text.encode()
    out.write(b"data %d\n" % len(data))
    out.write(data)
    out.write(b"\n")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--commits", type=int, default=10_000)
    args = parser.parse_args()
    rng = random.Random(5)
    out = sys.stdout.buffer
    values = {(s, k): round(rng.uniform(0, 1), 6) if k % 3 else rng.randint(1, 512)
              for s in range(20) for k in range(10)}
    sources = {i: f"# module {i}\nVERSION = 0\n" for i in range(100)}
    when = 1_600_000_000
    for n in range(args.commits):
        when += 600
        out.write(b"commit refs/heads/main\n")
        out.write(b"author Ada <ada@example.com> %d +0000\n" % when)
        out.write(b"committer Ada <ada@example.com> %d +0000\n" % when)
        changes = []
        if n % 5 == 0:
            for _ in range(1 if n == 0 else rng.randint(1, 3)):
                s, k = rng.randrange(20), rng.randrange(10)
                values[(s, k)] = round(rng.uniform(0, 1), 6) if k % 3 else rng.randint(1, 512)
                changes.append(f"section_{s}.key_{k}")
        blob(out, f"commit {n}: {'tune ' + ', '.join(changes) if changes else 'refactor'}")
        if n == 0:
            for i, text in sources.items():
                out.write(f"M 100644 inline src/mod_{i}.py\n".encode())
                blob(out, text)
        i = n % 100
        sources[i] = f"# module {i}\nVERSION = {n}\n"
        out.write(f"M 100644 inline src/mod_{i}.py\n".encode())
        blob(out, sources[i])
        if n % 5 == 0:
            out.write(b"M 100644 inline config.yaml\n")
            blob(out, config_text(values))
        out.write(b"\n")


if __name__ == "__main__":
    main()
