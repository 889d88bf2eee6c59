#!/usr/bin/env python3
"""Writes Tests/EvalCoreTests/Fixtures/JSONTestSuite/vectors.json from a checkout of nst/JSONTestSuite (MIT): every
file of its test_parsing/ folder, base64-encoded (many are not UTF-8), with what the suite says a parser must do:
`y_` accept, `n_` reject, `i_` either (implementation-defined; the test documents what evalgate's scanner does).

It copies bytes and the expectation in the file name and nothing else, so that it stays independent of the Swift
code it checks. Stdlib only.

Usage: scripts/json-test-suite.py --repo DIR [--out FILE]
  DIR is a git checkout (or bare repository) of https://github.com/nst/JSONTestSuite; the commit read is recorded.
"""

import argparse
import base64
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_OUT = os.path.join(ROOT, "Tests", "EvalCoreTests", "Fixtures", "JSONTestSuite", "vectors.json")


def git(repo, *args):
    return subprocess.run(["git", "--git-dir", repo, *args], check=True, capture_output=True).stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", required=True)
    parser.add_argument("--out", default=DEFAULT_OUT)
    options = parser.parse_args()
    repo = options.repo
    if os.path.isdir(os.path.join(repo, ".git")):
        repo = os.path.join(repo, ".git")
    commit = git(repo, "rev-parse", "HEAD").decode().strip()
    names = git(repo, "ls-tree", "--name-only", "HEAD", "test_parsing/").decode().split("\n")
    expectations = {"y": "accept", "n": "reject", "i": "either"}
    vectors = []
    for path in sorted(name for name in names if name.endswith(".json")):
        name = os.path.basename(path)
        expected = expectations[name[0]]
        data = git(repo, "show", f"HEAD:{path}")
        vectors.append({"name": name, "expected": expected, "base64": base64.b64encode(data).decode("ascii")})
    fixture = {
        "source": "https://github.com/nst/JSONTestSuite test_parsing/ (y_ must be accepted, n_ rejected, i_ either)",
        "commit": commit,
        "license": "MIT, see LICENSE.JSONTestSuite beside this file",
        "generated_by": "scripts/json-test-suite.py",
        "vectors": vectors,
    }
    license_text = git(repo, "show", "HEAD:LICENSE")
    with open(os.path.join(os.path.dirname(options.out), "LICENSE.JSONTestSuite"), "wb") as handle:
        handle.write(license_text)
    with open(options.out, "w", encoding="utf-8") as handle:
        json.dump(fixture, handle, indent=0, sort_keys=True)
        handle.write("\n")
    print(f"{options.out}: {len(vectors)} vectors from {commit}")


if __name__ == "__main__":
    main()
