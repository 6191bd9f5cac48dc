"""One module per `jixiao` subcommand. Each exposes ``register(subparsers)``.

``register`` adds its parser(s) and sets ``func=run`` where ``run(args) -> int`` is the exit code.
Add a new command by adding its module name to ``COMMAND_MODULES``.
"""

COMMAND_MODULES = [
    "functions",
    "template",
    "pack",
    "fill",
    "read",
    "score",
    "validate",
    "report",
    "consolidate",
    "addin_cmd",
    "demo",
    "doctor",
]
