"""The patterns of ids, variable names, pack ids and versions, and how versions compare.

Packs, templates and shipping all follow these rules; they live below all three.
"""

from __future__ import annotations

ID_REGEX = r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$"
ID_HINT = "Use letters, digits, '_', '-' or '.', up to 64 characters, e.g. 'primer-contacto'."
VAR_REGEX = r"^[A-Za-z_][A-Za-z0-9_]{0,63}$"
VAR_HINT = "Use letters, digits and '_', starting with a letter, e.g. 'nombre_cliente'."
PACK_ID_REGEX = r"^[a-z0-9][a-z0-9-]{0,63}$"
PACK_ID_HINT = "Use lowercase letters, digits and '-', e.g. 'migracion-pre-post'."
#: Pack versions, and the AgentDesk versions an archive may require.
VERSION_REGEX = r"^\d{1,6}(\.\d{1,6}){0,3}$"
VERSION_HINT = "Use numbers and dots, e.g. '1.2.0'."


def version_key(version: str) -> tuple[int, ...]:
    """What versions are compared by: their numbers, trailing zeros dropped ('1.2' == '1.2.0')."""
    numbers = [int(part) for part in version.split(".") if part.isdigit()]
    while numbers and numbers[-1] == 0:
        numbers.pop()
    return tuple(numbers)
