#!/usr/bin/env python3
"""Generates Sources/Scoring/PII/PIISecretRules.swift from gitleaks' config/gitleaks.toml (MIT).

Only rules whose pattern starts with a literal prefix of at least three characters (after an optional `\\b` and an
optional group around the whole token) and continues as a plain sequence of character classes with counts are taken:
they can be found by their prefix at a word start, which keeps the scan fast. Rules that need alternation,
groups or context words (the generic ones) are left out; the file lists how many.

Usage: python3 scripts/secret-rules.py gitleaks.toml VERSION > Sources/Scoring/PII/PIISecretRules.swift
Updating is regenerating.
"""

import re
import sys
import tomllib

TERMINATOR = re.compile(r"\(\?:\[[^\]]*\]\|\\\\\[nr\]\|\$\)$")


class Unsupported(Exception):
    pass


def parse_class(body, insensitive):
    chars = set()
    i = 0
    negate = body.startswith("^")
    if negate:
        raise Unsupported("negated class")
    while i < len(body):
        c = body[i]
        if c == "\\":
            nxt = body[i + 1]
            i += 2
            if nxt == "w":
                chars |= set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
            elif nxt == "d":
                chars |= set("0123456789")
            elif nxt == "s":
                raise Unsupported("space class")
            else:
                chars.add(nxt)
            continue
        if i + 2 < len(body) and body[i + 1] == "-" and body[i + 2] != "]":
            for code in range(ord(c), ord(body[i + 2]) + 1):
                chars.add(chr(code))
            i += 3
            continue
        chars.add(c)
        i += 1
    if insensitive:
        chars |= {c.upper() for c in chars} | {c.lower() for c in chars}
    if any(ord(c) > 127 for c in chars):
        raise Unsupported("non-ASCII")
    return chars


def parse(regex):
    """-> (prefix, [(chars, min, max)], needs_boundary)"""
    rx = regex
    insensitive = False
    if rx.startswith("(?i)"):  # the prefix is matched as written (`npm_`), the rest case-insensitively
        insensitive = True
        rx = rx[4:]
    boundary = False
    if rx.startswith("\\b"):
        rx = rx[2:]
    m = TERMINATOR.search(rx)
    if m:
        rx = rx[: m.start()]
        boundary = True
    if rx.endswith("\\b"):
        rx = rx[:-2]
        boundary = True
    if rx.startswith("(") and rx.endswith(")") and rx.count("(") - rx.count("(?i)") == 1:
        rx = rx[1:-1]
        if rx.startswith("?:"):
            rx = rx[2:]
    prefix = ""
    i = 0
    while i < len(rx):
        c = rx[i]
        if c == "\\" and rx[i + 1] in ".-_/:=+":
            prefix += rx[i + 1]
            i += 2
        elif c.isalnum() or c in "-_:=/":
            if i + 1 < len(rx) and rx[i + 1] in "?*+{":
                break
            prefix += c
            i += 1
        else:
            break
    if len(prefix) < 3 or not (prefix[0].isalpha() or prefix[0] == "_"):
        raise Unsupported("prefix")
    elements = []
    while i < len(rx):
        if rx.startswith("(?i)", i):
            insensitive = True
            i += 4
            continue
        c = rx[i]
        if c == "[":
            end = i + 1
            while rx[end] != "]" or rx[end - 1] == "\\" and rx[end - 2] != "\\":
                end += 1
            chars = parse_class(rx[i + 1 : end], insensitive)
            i = end + 1
        elif c == "\\":
            nxt = rx[i + 1]
            if nxt == "d":
                chars = set("0123456789")
            elif nxt == "w":
                chars = parse_class("\\w", False)
            elif nxt in ".-_/:=+":
                chars = {nxt}
            else:
                raise Unsupported("escape " + nxt)
            i += 2
        elif c.isalnum() or c in "-_:=/":
            chars = {c} if not insensitive else {c.lower(), c.upper()}
            i += 1
        else:
            raise Unsupported("token " + c)
        low, high = 1, 1
        if i < len(rx) and rx[i] in "?*+{":
            q = rx[i]
            if q == "?":
                low, high, i = 0, 1, i + 1
            elif q == "*":
                low, high, i = 0, 1000, i + 1
            elif q == "+":
                low, high, i = 1, 1000, i + 1
            else:
                end = rx.index("}", i)
                parts = rx[i + 1 : end].split(",")
                low = int(parts[0])
                high = low if len(parts) == 1 else (int(parts[1]) if parts[1] else 1000)
                i = end + 1
        elements.append((chars, low, high))
    if not elements:
        raise Unsupported("no body")
    return prefix, elements, boundary


def bitmap(chars):
    low = high = 0
    for c in chars:
        code = ord(c)
        if code < 64:
            low |= 1 << code
        else:
            high |= 1 << (code - 64)
    return low, high


def main():
    path, version = sys.argv[1], sys.argv[2]
    config = tomllib.load(open(path, "rb"))
    taken, skipped = [], 0
    for rule in config["rules"]:
        regex = rule.get("regex")
        if not regex:
            skipped += 1
            continue
        try:
            prefix, elements, boundary = parse(regex)
        except (Unsupported, ValueError, IndexError):
            skipped += 1
            continue
        taken.append((rule["id"], prefix, elements, boundary, float(rule.get("entropy", 0))))
    print("// Generated by scripts/secret-rules.py from gitleaks' config/gitleaks.toml, version " + version + ".")
    print("// Do not edit: regenerate. " + f"{len(taken)} rules taken, {skipped} left out (alternation,")
    print("// groups, context-word rules).")
    print("//")
    print("// gitleaks: MIT License, Copyright (c) 2019 Zachary Rice. Permission is hereby granted, free of charge, to any")
    print("// person obtaining a copy of this software and associated documentation files (the \"Software\"), to deal in")
    print("// the Software without restriction, including without limitation the rights to use, copy, modify, merge,")
    print("// publish, distribute, sublicense, and/or sell copies of the Software, and to permit persons to whom the")
    print("// Software is furnished to do so, subject to the following conditions: The above copyright notice and this")
    print("// permission notice shall be included in all copies or substantial portions of the Software. THE SOFTWARE IS")
    print("// PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE")
    print("// WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE")
    print("// AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF")
    print("// CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER")
    print("// DEALINGS IN THE SOFTWARE.")
    print()
    print("extension PIISecretRule {")
    print(f"    /// The gitleaks version the rules were generated from.")
    print(f"    static let gitleaksVersion = \"{version}\"")
    print()
    print("    /// gitleaks' rules that start with a literal prefix, as prefix, elements and entropy threshold.")
    print("    static let gitleaks: [PIISecretRule] = [")
    for rule_id, prefix, elements, boundary, entropy in taken:
        parts = ", ".join(f"E(0x{bitmap(c)[0]:X}, 0x{bitmap(c)[1]:X}, {lo}, {hi})" for c, lo, hi in elements)
        prefix_literal = prefix.replace("\\", "\\\\").replace('"', '\\"')
        print(f"        PIISecretRule(")
        print(f"            id: \"{rule_id}\", prefix: \"{prefix_literal}\", boundary: {str(boundary).lower()}, entropy: {entropy},")
        print(f"            elements: [{parts}]),")
    print("    ]")
    print("}")


main()
