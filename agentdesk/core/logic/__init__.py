"""Conditions on the customer's details: a small expression language of its own.

``dias_mora >= 31 and dias_mora <= 60``, ``segmento == "Premium"``, ``today - fecha <= 2``,
``checked >= 2``. Packs use conditions to show answers, steps, scripts, macros and offers
only when they apply, and to let a decision step route by the data.

Conditions are not templates: they are read by :mod:`.syntax` (a hand-written scanner and
recursive-descent parser, bounded in size and depth, no regular expressions), checked
against the types of the details by :mod:`.checker` when a pack is validated, run by
:mod:`.evaluate` on typed values (numbers, money, days and dates are values, not text) with
three-valued logic (a missing detail makes a comparison unknown, not false), and examined
by :mod:`.analysis` for conditions no value can meet or that always hold.

This part of the core depends on nothing else in it but :mod:`agentdesk.core.text`.
"""
