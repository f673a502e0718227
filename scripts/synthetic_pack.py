"""Generate a large, realistic pack for benchmarks: 10,000 steps and 5,000 macros.

The mix follows the bundled packs: questions with 2–4 answers, procedure steps with
checklists and timers, outcomes with scripts and macros; about half of the texts use
variables and filters, a few use ``if`` or snippets.
"""

from __future__ import annotations

import random
from pathlib import Path

FLOWS = 20
STEPS_PER_FLOW = 500
MACROS = 5000
SCRIPTS = 1000


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_synthetic_pack(root: Path, seed: int = 7) -> Path:
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
    for i in range(SCRIPTS):
        lines.append(f"  s{i}:")
        lines.append(f"    title: Guion {i}")
        lines.append(f"    text: {_q(rng.choice(texts) % i)}")
    lines.append("macros:")
    for i in range(MACROS):
        lines.append(f"  m{i}:")
        lines.append(f"    title: 'Macro {i}: Seguimiento'")
        lines.append(
            f'    path: "Móvil :: WhatsApp :: Migración Pre a Post :: Grupo {i // 50} :: Paso {i}"'
        )
        lines.append(f"    text: {_q(rng.choice(texts) % i)}")
        lines.append("    ticket_status: En Espera")
        lines.append('    order_status: "En progreso :: Datos Insuficientes"')
    (root / "content.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

    flows = root / "flows"
    flows.mkdir(exist_ok=True)
    used_macros = iter(range(MACROS))  # 20 x 500 steps: every macro and script is used
    used_scripts = iter(range(SCRIPTS))
    for f in range(FLOWS):
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
