"""``lamdata apps``: list, validate and import app models for the uitree environment."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from lamdata.cli.common import JsonOpt, console

apps_app = typer.Typer(help="App models for the uitree environment.", no_args_is_help=True)


@apps_app.command("list")
def list_apps(
    folder: Annotated[Path, typer.Argument(help="Folder of app models.")] = Path("samples/apps"),
    as_json: JsonOpt = False,
) -> None:
    """List app models with their controls and templates.

    Example: lamdata apps list samples/apps --json
    """
    from lamdata.env import load_app_models

    models = load_app_models(folder)
    rows: list[dict[str, Any]] = [
        {
            "app": m.app,
            "controls": len(m.controls),
            "templates": [{"id": t.id, "description": t.description} for t in m.templates.values()],
        }
        for m in models.values()
    ]
    if as_json:
        console.print_json(json.dumps(rows))
        return
    view = Table("app", "controls", "template", "description")
    for row in rows:
        for t in row["templates"]:
            view.add_row(str(row["app"]), str(row["controls"]), t["id"], t["description"])
    console.print(view)


@apps_app.command("validate")
def validate(files: Annotated[list[Path], typer.Argument(help="App model files.")]) -> None:
    """Check app models; errors name the file and the JSON pointer.

    Example: lamdata apps validate samples/apps/*.json
    """
    from lamdata.env import load_app_model

    for path in files:
        model = load_app_model(path)
        console.print(
            f"{path}: ok ({len(model.controls)} controls, {len(model.templates)} templates)"
        )


@apps_app.command("import")
def import_cmd(
    source: Annotated[Path, typer.Argument(help="UFO control list or accessibility tree JSON.")],
    app_id: Annotated[str, typer.Option("--app", help="App id of the new model.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the app model.")],
    kind: Annotated[str, typer.Option(help="document_kind of the new model.")] = "generic",
) -> None:
    """Start an app model from a captured control list (UFO-style) or accessibility tree.

    Example: lamdata apps import controls.json --app notepad --out samples/apps/notepad.json
    """
    from lamdata.env.importers import import_controls

    model = import_controls(source, app=app_id, document_kind=kind)
    out.write_text(json.dumps(model, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    console.print(f"wrote {out}: {len(model['controls'])} controls, 1 template (edit it)")


def register(app: typer.Typer) -> None:
    app.add_typer(apps_app, name="apps")
