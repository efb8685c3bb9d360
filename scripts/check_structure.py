#!/usr/bin/env python3
"""The house rules that a reader of the code relies on (issue 23, README "Architecture"):

- no Python file of an addon is longer than 500 lines (tests included: split by responsibility);
- at most 1.2 ``sudo()`` per 100 lines of addon code (tests excluded): rights come from groups,
  record rules and the one token door (``klusheeren.token.mixin._klusheeren_from_token``);
- every ``sudo()`` in a controller names its check in a comment on its line or just above it.

Run by pre-commit (scripts/lint.sh); prints each breach and exits 1.
"""

import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MAX_LINES = 500
MAX_SUDO_PER_100 = 1.2
SUDO = re.compile(r"\.sudo\(")


def main():
    problems = []
    code_lines = sudo_count = 0
    for path in sorted((ROOT / "addons").glob("*/**/*.py")):
        rel = path.relative_to(ROOT)
        lines = path.read_text(encoding="utf-8").splitlines()
        if len(lines) > MAX_LINES:
            problems.append(f"{rel}: {len(lines)} lines (at most {MAX_LINES}: split it by responsibility)")
        if "tests" in rel.parts:
            continue
        code_lines += len(lines)
        for number, line in enumerate(lines, 1):
            if not SUDO.search(line) or line.lstrip().startswith("#"):
                continue
            sudo_count += len(SUDO.findall(line))
            if "controllers" in rel.parts:
                above = lines[max(0, number - 4) : number - 1]
                if "#" not in line and not any(a.lstrip().startswith("#") for a in above):
                    problems.append(f"{rel}:{number}: sudo() in a controller without a comment naming its check")
    ratio = 100.0 * sudo_count / max(code_lines, 1)
    print(f"{sudo_count} sudo() in {code_lines} lines of addon code: {ratio:.2f} per 100 lines")
    if ratio > MAX_SUDO_PER_100:
        problems.append(f"{ratio:.2f} sudo() per 100 lines of addon code (at most {MAX_SUDO_PER_100})")
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
