#!/usr/bin/env python3
"""Turn files into a C source of (name, bytes) pairs.

usage: embed.py OUT.c SYMBOL FILE...

Writes `const rp_embedded SYMBOL[]`, sorted by file name and closed by an
entry whose name is NULL. Each entry's data is NUL-terminated so that text
files can be used as C strings; `len` excludes that NUL.

embedded_table() is that C table, for tools/embed_web.py too.
"""
import os
import sys


def c_string(s):
    """s as a C string literal."""
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def embedded_table(symbol, entries):
    """The lines of C for `const rp_embedded SYMBOL[]` of entries, a list of
    (name, bytes) in table order: a NUL-terminated array per entry, then the
    table, closed by an entry whose name is NULL."""
    lines = []
    for i, (_, data) in enumerate(entries):
        body = ','.join(str(b) for b in data + b'\0')
        lines.append(f'static const unsigned char d{i}[] = {{{body}}};')
    lines.append(f'const rp_embedded {symbol}[] = {{')
    for i, (name, data) in enumerate(entries):
        lines.append(f'  {{{c_string(name)}, d{i}, {len(data)}}},')
    lines.append('  {0, 0, 0},')
    lines.append('};')
    return lines


def write_source(out, symbol, entries):
    """Writes OUT, a C source of `const rp_embedded SYMBOL[]` of entries."""
    lines = ['#include "base/embedded.h"', ''] + embedded_table(symbol, entries)
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')


def main() -> int:
    out, symbol, files = sys.argv[1], sys.argv[2], sorted(sys.argv[3:], key=os.path.basename)
    entries = []
    for path in files:
        with open(path, 'rb') as f:
            entries.append((os.path.basename(path), f.read()))
    write_source(out, symbol, entries)
    return 0


if __name__ == '__main__':
    sys.exit(main())
