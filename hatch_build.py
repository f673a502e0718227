"""Package build hook: compile the interface's catalogs (``agentdesk/locale/*.po`` to
``.mo``) into the package, so the app reads them at once (see ``agentdesk/core/i18n.py``).

The compiled files are not kept in git; ``scripts/setup`` compiles them in a checkout.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogsHook(BuildHookInterface):
    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        # the module alone: the package's own imports need what the build does not install
        spec = importlib.util.spec_from_file_location("i18n", root / "agentdesk/core/i18n.py")
        assert spec is not None and spec.loader is not None
        i18n = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(i18n)
        for mo in i18n.compile_catalogs(root / "agentdesk" / "locale"):
            build_data["artifacts"].append(mo.relative_to(root).as_posix())
