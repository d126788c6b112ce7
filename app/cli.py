"""The ``seedbed`` command: serve, migrate, demo data, OpenAPI export."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from app.config import get_settings

cli = typer.Typer(help="Seedbed: the enterprise-cultivation CRM.", no_args_is_help=True, add_completion=False)


@cli.command()
def migrate(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply database migrations (SEEDBED_DATABASE_URL; default: the SQLite file under ./data/)."""
    from app import migrate as migrations

    migrations.upgrade(get_settings().database_url, revision)
    typer.echo(f"database at {revision}")


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    migrate_first: Annotated[bool, typer.Option("--migrate/--no-migrate", help="Apply migrations first.")] = True,
) -> None:
    """Serve the API with uvicorn (migrating the database first)."""
    import uvicorn

    from app import migrate as migrations

    if migrate_first:
        migrations.upgrade(get_settings().database_url)
    uvicorn.run("app.main:create_app", factory=True, host=host, port=port, workers=workers,
                proxy_headers=True, access_log=False)


@cli.command("demo-data")
def demo_data(
    enterprises: Annotated[int, typer.Option(min=0, help="How many firms to create.")] = 200,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same district.")] = 1,
) -> None:
    """Fill the database with a realistic, deterministic demo district."""
    from app import demo
    from app.db import make_engine, make_session_factory

    settings = get_settings()
    engine = make_engine(settings.database_url)
    with make_session_factory(engine)() as session:
        summary = demo.generate(session, enterprises=enterprises, seed=seed)
        session.commit()
    engine.dispose()
    typer.echo(", ".join(f"{count} {what}" for what, count in summary.items()))


@cli.command()
def openapi() -> None:
    """Print the OpenAPI document (what `openapi/openapi.json` holds)."""
    from app.main import openapi_document

    json.dump(openapi_document(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def main() -> None:
    cli()
