"""Start the desktop app."""

from __future__ import annotations

import argparse


def run_app(args: argparse.Namespace) -> int:
    raise NotImplementedError("the desktop app is being built")
