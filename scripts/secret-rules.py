#!/usr/bin/env python3
"""Generates Sources/Scoring/PII/PIISecretRules.swift from gitleaks' config/gitleaks.toml (MIT).

No regular expression runs in the scan: each gitleaks pattern is parsed here and expanded into plain sequences of
character classes with counts (every alternation and optional group becomes its own sequence, up to 64 per rule).
Two shapes are taken:

- prefix rules: a sequence that starts with a literal of at least three characters beginning with a letter or `_`
  (`glptt-`, `AKIA`, `xoxb-`), found at a word start through a two-byte prefix table, as before;
- keyword rules: gitleaks' "semi-generic" template `KEYWORD … = VALUE` (adafruit, heroku, snyk, sonar, sumologic…),
  found at the assignment (`=`, `:`, `:=`, `=>`, `?=`, `||`, `,`, `>`) when a keyword of the rule ends within 20
  characters before it (gitleaks' keyword pre-filter, case-insensitive unless gitleaks says `(?-i:…)`), the value
  being one of the rule's sequences followed by gitleaks' terminator (a quote, space, `;`, `\\n` or the end).

A rule whose pattern is an alternation of the two (atlassian) yields both. Rules that need a leading character
class (azure-ad-client-secret), a negated class, look-around or a file path are left out, and so is generic-api-key:
its keywords (`key`, `token`, `auth`…) and any 10-character value would flag ordinary code; the file lists how many.
Rule allowlists that parse the same way (vault's `s\\.[A-Za-z]{24}`) are kept: a match that is one of them is no secret.

Usage: python3 scripts/secret-rules.py gitleaks.toml VERSION > Sources/Scoring/PII/PIISecretRules.swift
Updating is regenerating.
"""

import re
import sys
import tomllib

WORD = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
SPACE = set(" \t\n\r\f\v")
ANY = {chr(c) for c in range(32, 127)} | SPACE
MAX_VARIANTS = 64
LEFT_OUT = {"generic-api-key"}

TERMINATORS = [
    r"(?:[\x60'" '"' r"\s;]|\\[nr]|$)",
    r"(?:[^a-zA-Z0-9+/]|\z)",
    r"(?:$|[\\'" '"' r"\x60\s<),])",
    r"\b",
    r"$",
]
HEADS = [r"(?i)[\w.-]{0,50}?", r"[\w.-]{0,50}?(?i:[\w.-]{0,50}?", r"[\w.-]{0,50}?"]
MARKER = r"(?:[ \t\w.-]{0,20})[\s'" '"' "]{0,3}"
OPERATOR = r"(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[\x60'" '"' r"\s=]{0,5}"


class Unsupported(Exception):
    pass


class Parser:
    """A recursive-descent parser of the RE2 subset gitleaks uses, producing variants: lists of tokens
    ("lit", char, insensitive) and ("set", frozenset, min, max)."""

    def __init__(self, text, insensitive=False):
        self.text = text
        self.i = 0
        self.insensitive = insensitive

    def peek(self, n=0):
        return self.text[self.i + n] if self.i + n < len(self.text) else ""

    def parse(self):
        variants = self.alternation()
        if self.i != len(self.text):
            raise Unsupported("trailing " + self.text[self.i :])
        return variants

    def alternation(self):
        saved = self.insensitive
        branches = [self.sequence()]
        while self.peek() == "|":
            self.i += 1
            branches.append(self.sequence())
        self.insensitive = saved
        out = [v for b in branches for v in b]
        if len(out) > MAX_VARIANTS:
            raise Unsupported("too many variants")
        return out

    def sequence(self):
        variants = [[]]
        while self.i < len(self.text) and self.peek() not in "|)":
            if self.text.startswith("(?i)", self.i):
                self.insensitive = True
                self.i += 4
                continue
            if self.text.startswith("(?-i)", self.i):
                self.insensitive = False
                self.i += 5
                continue
            atom = self.atom()
            atom = self.quantified(atom)
            variants = [v + a for v in variants for a in atom]
            if len(variants) > MAX_VARIANTS:
                raise Unsupported("too many variants")
        return variants

    def atom(self):
        """-> list of variants (each a token list)."""
        c = self.peek()
        if c == "(":
            saved = self.insensitive
            if self.text.startswith("(?:", self.i):
                self.i += 3
            elif self.text.startswith("(?i:", self.i):
                self.i += 4
                self.insensitive = True
            elif self.text.startswith("(?-i:", self.i):
                self.i += 5
                self.insensitive = False
            elif self.text.startswith("(?s:", self.i) or self.text.startswith("(?P<", self.i):
                raise Unsupported("group flags")
            elif self.peek(1) == "?":
                raise Unsupported("group " + self.text[self.i : self.i + 4])
            else:
                self.i += 1
            inner = self.alternation()
            if self.peek() != ")":
                raise Unsupported("unclosed group")
            self.i += 1
            self.insensitive = saved
            return inner
        if c == "[":
            return [[("set", self.char_class(), 1, 1)]]
        if c == "\\":
            nxt = self.peek(1)
            self.i += 2
            if nxt == "d":
                return [[("set", frozenset("0123456789"), 1, 1)]]
            if nxt == "w":
                return [[("set", frozenset(WORD), 1, 1)]]
            if nxt == "s":
                return [[("set", frozenset(SPACE), 1, 1)]]
            if nxt in "bz":
                return [[("assert", nxt)]]
            if nxt == "x":
                code = self.text[self.i : self.i + 2]
                self.i += 2
                return [[("lit", chr(int(code, 16)), False)]]
            if nxt.isalnum():
                raise Unsupported("escape " + nxt)
            return [[("lit", nxt, False)]]
        if c == "$" or c == "^":
            self.i += 1
            return [[("assert", c)]]
        if c == ".":
            self.i += 1
            return [[("set", frozenset(ANY - {"\n"}), 1, 1)]]
        if c in "*+?{":
            raise Unsupported("quantifier without atom")
        self.i += 1
        return [[("lit", c, self.insensitive and c.isalpha())]]

    def char_class(self):
        self.i += 1
        if self.peek() == "^":
            raise Unsupported("negated class")
        chars = set()
        first = True
        while self.peek() != "]" or first:
            first = False
            if self.text.startswith("[:alnum:]", self.i):
                chars |= WORD - {"_"}
                self.i += 9
                continue
            c = self.peek()
            if c == "":
                raise Unsupported("unclosed class")
            if c == "\\":
                nxt = self.peek(1)
                self.i += 2
                if nxt == "w":
                    chars |= WORD
                    continue
                if nxt == "d":
                    chars |= set("0123456789")
                    continue
                if nxt == "s":
                    chars |= SPACE
                    continue
                if nxt == "x":
                    c = chr(int(self.text[self.i : self.i + 2], 16))
                    self.i += 2
                else:
                    c = nxt
            else:
                self.i += 1
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                self.i += 1
                end = self.peek()
                if end == "\\":
                    end = self.peek(1)
                    self.i += 1
                self.i += 1
                chars |= {chr(code) for code in range(ord(c), ord(end) + 1)}
            else:
                chars.add(c)
        self.i += 1
        if self.insensitive:
            chars |= {c.upper() for c in chars} | {c.lower() for c in chars}
        if any(ord(c) > 127 for c in chars):
            raise Unsupported("non-ASCII")
        return frozenset(chars)

    def quantified(self, atom):
        c = self.peek()
        if not c or c not in "*+?{":
            return atom
        if c == "{":
            end = self.text.index("}", self.i)
            parts = self.text[self.i + 1 : end].split(",")
            low = int(parts[0])
            high = low if len(parts) == 1 else (int(parts[1]) if parts[1] else 1000)
            self.i = end + 1
        else:
            low, high = {"*": (0, 1000), "+": (1, 1000), "?": (0, 1)}[c]
            self.i += 1
        if self.peek() == "?":  # lazy: the same set of strings
            self.i += 1
        single = len(atom) == 1 and len(atom[0]) == 1 and atom[0][0][0] in ("set", "lit")
        if single:
            token = atom[0][0]
            chars = token[1] if token[0] == "set" else lit_chars(token)
            return [[("set", chars, token[2] * low if token[0] == "set" else low,
                      min(1000, token[3] * high) if token[0] == "set" else high)]]
        if high > 4:
            raise Unsupported("repeated group")
        out = []
        for count in range(low, high + 1):
            seqs = [[]]
            for _ in range(count):
                seqs = [s + a for s in seqs for a in atom]
            out.extend(seqs)
        if len(out) > MAX_VARIANTS:
            raise Unsupported("too many variants")
        return out


def lit_chars(token):
    _, c, insensitive = token
    return frozenset({c.lower(), c.upper()} if insensitive else {c})


def strip_asserts(variant):
    """Word boundaries and anchors: at a word start and before a non-word byte the scan checks them anyway."""
    return [t for t in variant if t[0] != "assert"]


def elements(tokens):
    out = []
    for t in tokens:
        if t[0] == "lit":
            out.append((lit_chars(t), 1, 1))
        else:
            if any(ord(c) > 127 for c in t[1]):
                raise Unsupported("non-ASCII")
            out.append((t[1], t[2], t[3]))
    if not out:
        raise Unsupported("no body")
    return out


def strip_terminator(rx):
    for term in TERMINATORS:
        if rx.endswith(term) and not rx.endswith("\\" + term):
            return rx[: -len(term)]
    return rx


def split_top(rx):
    """The top-level alternatives of `rx`."""
    depth, start, parts, i = 0, 0, [], 0
    in_class = False
    while i < len(rx):
        c = rx[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if rx[i + 1 : i + 2] == "]":
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(rx[start:i])
            start = i + 1
        i += 1
    parts.append(rx[start:])
    return parts


def keyword_branch(branch, insensitive):
    """(keywords, exact keywords, body variants) of a semi-generic branch, or None."""
    head = next((h for h in HEADS if branch.startswith(h)), None)
    if head is None or MARKER not in branch or OPERATOR not in branch:
        return None
    keyword_part = branch[len(head) : branch.index(MARKER)]
    rest = branch[branch.index(MARKER) + len(MARKER) :]
    if rest.startswith(")"):
        rest = rest[1:]
    if not rest.startswith(OPERATOR):
        return None
    body = strip_terminator(rest[len(OPERATOR) :])
    keywords, exact = set(), set()
    for variant in Parser(keyword_part, True).parse():
        # `[Ss]umo`, `linked[_-]?in`: small classes expand into every spelling; a wider class drops the variant
        spellings = [""]
        case_sensitive = False
        for t in strip_asserts(variant):
            if t[0] == "lit":
                options = [t[1].lower()] if t[2] else [t[1]]
                case_sensitive |= not t[2] and t[1].isalpha()
            elif len(t[1]) <= 3 and t[3] <= 1:
                options = ([""] if t[2] == 0 else []) + sorted(t[1])
                case_sensitive |= any(c.isalpha() for c in t[1])
            else:
                spellings = []
                break
            spellings = [e + o for e in spellings for o in options]
        (exact if case_sensitive else keywords).update(w for w in spellings if w)
    if not keywords and not exact:
        raise Unsupported("no keyword")
    bodies = [elements(strip_asserts(v)) for v in Parser(body, insensitive).parse()]
    return sorted(keywords), sorted(exact), bodies


def prefix_variants(branch, insensitive):
    """[(prefix, elements)] of the variants of `branch` that start with a literal of three or more characters."""
    out = []
    for variant in Parser(strip_terminator(branch), insensitive).parse():
        variant = strip_asserts(variant)
        prefix = ""
        while variant and variant[0][0] == "lit":
            prefix += variant[0][1]
            variant = variant[1:]
        if len(prefix) < 3 or not (prefix[0].isalpha() or prefix[0] == "_"):
            continue
        if not variant:
            continue
        out.append((prefix, elements(variant)))
    return out


def rule_shapes(regex):
    rx = regex
    insensitive = rx.startswith("(?i)")
    # a `\b(...)` group around a whole alternation: open it
    prefixes, keyword_rules = [], []
    for branch in split_top(rx):
        branch_insensitive = insensitive
        shape = keyword_branch(branch, branch.startswith("(?i)")) if branch.startswith(tuple(HEADS)) else None
        if shape:
            keyword_rules.append(shape)
            continue
        if branch.startswith("(?i)"):
            branch = branch[4:]
        try:
            prefixes.extend(prefix_variants(branch, branch_insensitive))
        except Unsupported:
            continue
    return prefixes, keyword_rules


def allow_variants(rule):
    out = []
    for allowlist in rule.get("allowlists", []):
        if allowlist.get("regexTarget", "secret") != "secret" or allowlist.get("paths"):
            continue
        for regex in allowlist.get("regexes", []):
            try:
                variants = Parser(regex.removesuffix("$")).parse()
                out.extend(elements(strip_asserts(v)) for v in variants)
            except (Unsupported, ValueError, IndexError):
                continue
    return out


def bitmap(chars):
    low = high = 0
    for c in chars:
        code = ord(c)
        if code < 64:
            low |= 1 << code
        else:
            high |= 1 << (code - 64)
    return low, high


def swift_elements(elements_):
    return "[" + ", ".join(f"E(0x{bitmap(c)[0]:X}, 0x{bitmap(c)[1]:X}, {lo}, {hi})" for c, lo, hi in elements_) + "]"


def swift_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    path, version = sys.argv[1], sys.argv[2]
    config = tomllib.load(open(path, "rb"))
    prefix_rules, keyword_rules, left_out = [], [], []
    for rule in config["rules"]:
        regex = rule.get("regex")
        if not regex or rule["id"] in LEFT_OUT:
            left_out.append(rule["id"])
            continue
        try:
            prefixes, keywords = rule_shapes(regex)
            allow = allow_variants(rule)
        except (Unsupported, ValueError, IndexError):
            left_out.append(rule["id"])
            continue
        if not prefixes and not keywords:
            left_out.append(rule["id"])
            continue
        entropy = float(rule.get("entropy", 0))
        for prefix, body in prefixes:
            prefix_rules.append((rule["id"], prefix, body, entropy, allow))
        for words, exact, bodies in keywords:
            keyword_rules.append((rule["id"], words, exact, bodies, entropy, allow))
    taken = len({r[0] for r in prefix_rules} | {r[0] for r in keyword_rules})
    print("// Generated by scripts/secret-rules.py from gitleaks' config/gitleaks.toml, version " + version + ".")
    print(f"// Do not edit: regenerate. {taken} of {len(config['rules'])} rules taken; left out (a leading character")
    print("// class, a negated class, look-around, a file path, or generic-api-key, too loose for prose and code):")
    line = "//"
    for rule_id in left_out:
        if len(line) + len(rule_id) + 2 > 120:
            print(line)
            line = "//"
        line += " " + rule_id + ","
    print(line.rstrip(","))
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
    print("// swift-format-ignore-file")
    print("extension PIISecretRule {")
    print("    /// The gitleaks version the rules were generated from.")
    print(f"    static let gitleaksVersion = \"{version}\"")
    print()
    print("    /// gitleaks' patterns that start with a literal prefix, one entry per expanded alternative.")
    print("    static let gitleaks: [PIISecretRule] = [")
    for rule_id, prefix, body, entropy, allow in prefix_rules:
        print("        PIISecretRule(")
        print(f"            id: \"{rule_id}\", prefix: {swift_string(prefix)}, entropy: {entropy},")
        suffix = f",\n            allow: [{', '.join(swift_elements(a) for a in allow)}])" if allow else ")"
        print(f"            elements: {swift_elements(body)}{suffix},")
    print("    ]")
    print("}")
    print()
    print("extension PIIKeywordRule {")
    print("    /// gitleaks' semi-generic patterns: a keyword, an assignment, a value.")
    print("    static let gitleaks: [PIIKeywordRule] = [")
    for rule_id, words, exact, bodies, entropy, allow in keyword_rules:
        print("        PIIKeywordRule(")
        print(f"            id: \"{rule_id}\", keywords: [{', '.join(swift_string(w) for w in words)}],")
        print(f"            exactKeywords: [{', '.join(swift_string(w) for w in exact)}], entropy: {entropy},")
        suffix = f",\n            allow: [{', '.join(swift_elements(a) for a in allow)}])" if allow else ")"
        print(f"            bodies: [{', '.join(swift_elements(b) for b in bodies)}]{suffix},")
    print("    ]")
    print("}")


main()
