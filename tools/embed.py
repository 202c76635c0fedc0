#!/usr/bin/env python3
"""Turn files into a C source of (name, bytes) pairs.

usage: embed.py OUT.c SYMBOL FILE...

Writes `const rp_embedded SYMBOL[]`, sorted by file name and closed by an
entry whose name is NULL. Each entry's data is NUL-terminated so that text
files can be used as C strings; `len` excludes that NUL.
"""
import os
import sys


def main() -> int:
    out, symbol, files = sys.argv[1], sys.argv[2], sorted(sys.argv[3:], key=os.path.basename)
    lines = ['#include "base/embedded.h"', '']
    for i, path in enumerate(files):
        with open(path, 'rb') as f:
            data = f.read()
        body = ','.join(str(b) for b in data + b'\0')
        lines.append(f'static const unsigned char d{i}[] = {{{body}}};')
    lines.append(f'const rp_embedded {symbol}[] = {{')
    for i, path in enumerate(files):
        size = os.path.getsize(path)
        lines.append(f'  {{"{os.path.basename(path)}", d{i}, {size}}},')
    lines.append('  {0, 0, 0},')
    lines.append('};')
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')
    return 0


if __name__ == '__main__':
    sys.exit(main())
