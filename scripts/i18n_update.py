"""Keep the Spanish catalog in step with the code.

    .venv/bin/python scripts/i18n_update.py          # add new messages to es.po (empty)
    .venv/bin/python scripts/i18n_update.py --check  # exit 1 if any message lacks a translation

Messages are the string literals passed to ``_()`` anywhere in the ``agentdesk`` package.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "agentdesk" / "locale" / "es.po"
sys.path.insert(0, str(ROOT))

from agentdesk.core.i18n import read_po  # noqa: E402


def messages() -> dict[str, str]:
    """Every message in the code, with where it first appears."""
    found: dict[str, str] = {}
    for source in sorted((ROOT / "agentdesk").rglob("*.py")):
        tree = ast.parse(source.read_text(encoding="utf-8"), str(source))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "_"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                where = f"{source.relative_to(ROOT)}:{node.lineno}"
                found.setdefault(node.args[0].value, where)
    return found


def _quote(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    )
    return f'"{escaped}"'


def main() -> int:
    code = messages()
    catalog = read_po(CATALOG)
    missing = [m for m in code if not catalog.get(m)]
    if "--check" in sys.argv:
        for message in missing:
            print(f"{code[message]}: no Spanish translation for {message!r}")
        return 1 if missing else 0
    text = CATALOG.read_text(encoding="utf-8")
    new = [m for m in missing if f"msgid {_quote(m)}" not in text]
    with CATALOG.open("a", encoding="utf-8") as f:
        for message in new:
            f.write(f'\n#: {code[message]}\nmsgid {_quote(message)}\nmsgstr ""\n')
    unused = sorted(set(catalog) - set(code))
    print(f"{len(new)} new message(s) added to {CATALOG.relative_to(ROOT)}")
    for message in unused:
        print(f"not used any more: {message!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
