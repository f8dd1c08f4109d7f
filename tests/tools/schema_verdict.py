#!/usr/bin/env python3
"""Judges suite files against a JSON Schema with python3-jsonschema, independently
of edgeprobe's own loader. Usage: schema_verdict.py SCHEMA FILE...
Prints one line per file: "valid FILE" or "invalid FILE: first error".
Suites may hold // and /* */ comments; they are removed outside strings first."""
import json
import sys

import jsonschema


def strip_comments(text):
    out, i, n, in_string = [], 0, len(text), False
    while i < n:
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\" and i + 1 < n:
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            out.append(c)
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            i = n if end < 0 else end + 2
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            doc = json.loads(strip_comments(f.read()))
        error = next(iter(sorted(validator.iter_errors(doc), key=lambda e: list(e.path))), None)
        if error is None:
            print(f"valid {path}")
        else:
            print(f"invalid {path}: /{'/'.join(str(p) for p in error.path)}: {error.message[:200]}")


if __name__ == "__main__":
    main()
