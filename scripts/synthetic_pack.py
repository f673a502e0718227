"""Generate a large, realistic pack for benchmarks: 10,000 steps and 5,000 macros (or any
number of steps, in flows of 500, with a macro per two steps and a script per ten).

The mix follows the bundled packs: questions with 2–4 answers, procedure steps with
checklists and timers, outcomes with scripts and macros; about half of the texts use
variables and filters, a few use ``if`` or snippets.

Run it to write one: ``.venv/bin/python scripts/synthetic_pack.py FOLDER [--steps N]``.
"""

from __future__ import annotations

import random
from pathlib import Path

STEPS = 10_000
STEPS_PER_FLOW = 500
MACROS_PER_FILE = 5000


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_synthetic_pack(root: Path, seed: int = 7, steps: int = STEPS) -> Path:
    flows_count = max(1, steps // STEPS_PER_FLOW)
    macros, scripts = flows_count * STEPS_PER_FLOW // 2, flows_count * STEPS_PER_FLOW // 10
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "pack.yaml").write_text(
        "id: sintetico\ntitle: Pack sintético de prueba de carga\nversion: '1.0.0'\n"
        "locale: es-MX\naudiences: [desk, kiosk]\n"
        "synonyms:\n  - [migración, migracion, cambio de plan]\n",
        encoding="utf-8",
    )
    (root / "variables.yaml").write_text(
        "variables:\n"
        "  nombre: {label: Nombre del cliente, fallback: cliente}\n"
        "  cedula: {label: Cédula, type: id_number, pattern: '^\\d{10}$'}\n"
        "  monto: {label: Monto, type: money, fallback: '0'}\n"
        "  fecha: {label: Fecha, type: date, fallback: '2024-01-01'}\n"
        "  plan: {label: Plan, fallback: Básico}\n"
        "snippets:\n"
        "  despedida: 'Gracias por comunicarse, {{ nombre }}. ¡Que tenga un buen día!'\n",
        encoding="utf-8",
    )
    texts = [
        "Estimado(a) {{ nombre }}, su solicitud número %d fue registrada.",
        "Hola {{ nombre | title }}, el cobro %d de {{ monto | money }} del {{ fecha | date }}.",
        "Verifique la cédula {{ cedula }} del titular antes de continuar (%d).",
        "Procedimiento %d: revise el historial de tickets y los servicios asociados.",
        "{%% if plan == 'Plus' %%}Plan Plus con beneficios."
        "{%% else %%}Plan {{ plan }}.{%% endif %%} %d",
        "Informe al cliente los canales de pago disponibles (%d). {%% include 'despedida' %%}",
    ]
    lines = ["scripts:"]
    for i in range(scripts):
        lines.append(f"  s{i}:")
        lines.append(f"    title: Guion {i}")
        lines.append(f"    text: {_q(rng.choice(texts) % i)}")
    files = 1
    for i in range(macros):
        if i % MACROS_PER_FILE == 0:  # a pack's files are up to 8 MiB
            if i:
                (root / f"content-{files}.yaml").write_text("\n".join(lines) + "\n", "utf-8")
                lines, files = [], files + 1
            lines.append("macros:")
        lines.append(f"  m{i}:")
        lines.append(f"    title: 'Macro {i}: Seguimiento'")
        lines.append(
            f'    path: "Móvil :: WhatsApp :: Migración Pre a Post :: Grupo {i // 50} :: Paso {i}"'
        )
        lines.append(f"    text: {_q(rng.choice(texts) % i)}")
        lines.append("    ticket_status: En Espera")
        lines.append('    order_status: "En progreso :: Datos Insuficientes"')
    name = "content.yaml" if files == 1 else f"content-{files}.yaml"
    (root / name).write_text("\n".join(lines) + "\n", encoding="utf-8")

    flows = root / "flows"
    flows.mkdir(exist_ok=True)
    used_macros = iter(range(macros))  # flows x 500 steps: every macro and script is used
    used_scripts = iter(range(scripts))
    for f in range(flows_count):
        out = ["flows:", f"  f{f}:", f"    title: Flujo sintético {f}", "    steps:"]
        for s in range(STEPS_PER_FLOW):
            sid = f"p{s}"
            out.append(f"      {sid}:")
            out.append(f"        title: Paso {s}")
            last = s == STEPS_PER_FLOW - 1
            kind = (
                "outcome"
                if last or (s > 10 and rng.random() < 0.1)
                else rng.choice(["ask", "ask", "ask", "proc"])
            )
            out.append(f"        text: {_q(rng.choice(texts) % s)}")
            if kind == "ask":
                out.append(f"        ask: ¿Qué respondió {{{{ nombre }}}} en el paso {s}?")
                out.append("        choices:")
                for c in range(rng.randint(2, 4)):
                    target = min(STEPS_PER_FLOW - 1, s + 1 + rng.randint(0, 5) * c)
                    label = f"Respuesta {c} del paso {s}"
                    out.append(f"          - {{id: c{c}, label: {label}, go: p{target}}}")
            elif kind == "proc":
                out.append("        checklist: [Cédula (anverso y reverso), Selfie con la cédula]")
                out.append("        timers: [{label: Vigencia del token, minutes: 10}]")
                out.append(f"        next: p{s + 1}")
            m = next(used_macros, None)
            if m is not None:
                out.append(f"        macros: [m{m}]")
            sc = next(used_scripts, None)
            if sc is not None:
                out.append(f"        scripts: [s{sc}]")
        (flows / f"f{f}.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return root


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Write a synthetic pack for benchmarks.")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--steps", type=int, default=STEPS, help="steps (in flows of 500)")
    args = parser.parse_args()
    print(write_synthetic_pack(args.folder, steps=args.steps))
