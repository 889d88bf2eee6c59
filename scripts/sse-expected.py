#!/usr/bin/env python3
"""Writes Tests/EvalRunnerTests/Fixtures/sse_expected.json: what each recorded OpenAI stream in
../shared/conformance/openai/sse/*.bin must reassemble to.

It is deliberately independent of the Swift code it checks: it splits each body on blank lines, takes the
`data: ` lines of each block, and reassembles per choice index the content, refusal, tool calls (merged by their
index, arguments concatenated) and finish reason, plus usage and the model/id/system_fingerprint. Stdlib only.

Usage: scripts/sse-expected.py [--conformance DIR] [--out FILE]
"""

import argparse
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CONFORMANCE = os.path.join(os.path.dirname(ROOT), "shared", "conformance", "openai", "sse")
DEFAULT_OUT = os.path.join(ROOT, "Tests", "EvalRunnerTests", "Fixtures", "sse_expected.json")


def events(body: str):
    """The data of each event: blocks separated by a blank line, `data: ` lines joined with a newline."""
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    for block in body.split("\n\n"):
        lines = [line for line in block.split("\n") if line.startswith("data:")]
        if not lines:
            continue
        yield "\n".join(line[len("data:"):].removeprefix(" ") for line in lines)


def reassemble(body: str) -> dict:
    result = {"id": None, "model": None, "system_fingerprint": None, "usage": None}
    choices = {}
    saw_done = False
    event_count = 0
    for data in events(body):
        event_count += 1
        if data == "[DONE]":
            saw_done = True
            continue
        chunk = json.loads(data)
        for key in ("id", "model", "system_fingerprint"):
            if chunk.get(key) is not None:
                result[key] = chunk[key]
        if chunk.get("usage") is not None:
            usage = chunk["usage"]
            result["usage"] = {
                "prompt_tokens": usage.get("prompt_tokens", 0),
                "completion_tokens": usage.get("completion_tokens", 0),
                "total_tokens": usage.get("total_tokens", 0),
                "reasoning_tokens": (usage.get("completion_tokens_details") or {}).get("reasoning_tokens"),
                "cached_tokens": (usage.get("prompt_tokens_details") or {}).get("cached_tokens"),
            }
        for choice in chunk["choices"]:
            state = choices.setdefault(
                choice["index"], {"content": "", "refusal": None, "tool_calls": {}, "finish_reason": None}
            )
            delta = choice.get("delta") or {}
            if delta.get("content") is not None:
                state["content"] += delta["content"]
            if delta.get("refusal") is not None:
                state["refusal"] = (state["refusal"] or "") + delta["refusal"]
            for call in delta.get("tool_calls") or []:
                merged = state["tool_calls"].setdefault(
                    call["index"], {"id": None, "type": None, "name": None, "arguments": ""}
                )
                function = call.get("function") or {}
                for key, value in (("id", call.get("id")), ("type", call.get("type")), ("name", function.get("name"))):
                    if value is not None:
                        merged[key] = value
                merged["arguments"] += function.get("arguments") or ""
            if choice.get("finish_reason") is not None:
                state["finish_reason"] = choice["finish_reason"]
    result["choices"] = [
        {
            "index": index,
            "content": state["content"],
            "refusal": state["refusal"],
            "tool_calls": [state["tool_calls"][i] for i in sorted(state["tool_calls"])],
            "finish_reason": state["finish_reason"],
        }
        for index, state in sorted(choices.items())
    ]
    result["saw_done"] = saw_done
    result["event_count"] = event_count
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conformance", default=DEFAULT_CONFORMANCE)
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()

    with open(os.path.join(args.conformance, "INDEX.json"), encoding="utf-8") as f:
        index = json.load(f)
    streams = {}
    for name in sorted(index["files"]):
        with open(os.path.join(args.conformance, name), "rb") as f:
            body = f.read().decode("utf-8")
        expected = reassemble(body)
        expected["tests"] = index["files"][name]
        streams[name] = expected
    fixture = {
        "generated_by": "scripts/sse-expected.py",
        "source": index["source"],
        "commit": index["commit"],
        "license": "MIT, see LICENSE.openai-python beside this file",
        "streams": streams,
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(fixture, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(streams)} streams to {os.path.relpath(args.out)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
