#!/usr/bin/env python3
"""A toy external scorer for the tests: speaks emorl's JSON-lines protocol (see data/scorers/README.md).

Usage: toy_scorer.py [MODE]. MODE `length` (default) scores a response by its word count, min(1, words / 20);
the others misbehave on purpose: `error`, `die`, `malformed`, `short` (one score too few), `range` (a score of 2).
"""
import json
import sys

mode = sys.argv[1] if len(sys.argv) > 1 else "length"
for line in sys.stdin:
    request = json.loads(line)
    scores = [min(1.0, len(r.split()) / 20) for r in request["responses"]]
    if mode == "error":
        reply = {"error": "the toy scorer refuses"}
    elif mode == "die":
        sys.exit(3)
    elif mode == "malformed":
        print("this is not json", flush=True)
        continue
    elif mode == "short":
        reply = {"scores": scores[1:]}
    elif mode == "range":
        reply = {"scores": [2.0] + scores[1:]}
    else:
        reply = {"scores": scores}
    print(json.dumps(reply), flush=True)
