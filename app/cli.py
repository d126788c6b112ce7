"""The ``seedbed`` command: serve, migrate, demo data, OpenAPI export."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from app.auth.roles import Role
from app.config import get_settings
from app.imports.schemas import OnError

if TYPE_CHECKING:
    from app.audit.service import Actor
    from app.imports.schemas import ImportReport

cli = typer.Typer(help="Seedbed: the enterprise-cultivation CRM.", no_args_is_help=True, add_completion=False)


def _database_url(*, at_head: bool = True) -> str:
    """SEEDBED_DATABASE_URL, once it names a migrated database; exit 2 with the reason otherwise. Only
    `migrate` and `serve` create a database."""
    from app import migrate as migrations

    url = get_settings().database_url
    problem = migrations.database_problem(url, at_head=at_head)
    if problem:
        typer.echo(f"error: {problem}", err=True)
        raise typer.Exit(2)
    return url


@cli.command()
def migrate(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Apply database migrations (SEEDBED_DATABASE_URL; default: the SQLite file under ./data/)."""
    from app import migrate as migrations

    migrations.upgrade(get_settings().database_url, revision)
    typer.echo(f"database at {revision}")


@cli.command()
def analyze() -> None:
    """Refresh the query planner's statistics, after loading data other than by import or demo-data."""
    from app.db import make_engine, refresh_statistics

    engine = make_engine(_database_url())
    try:
        with engine.begin() as connection:
            refresh_statistics(connection)
    finally:
        engine.dispose()
    typer.echo("statistics refreshed")


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int | None, typer.Option(
        min=1, help="Worker processes (default SEEDBED_WORKERS, or one per core, at most 4).")] = None,
    migrate_first: Annotated[bool, typer.Option("--migrate/--no-migrate", help="Apply migrations first.")] = True,
) -> None:
    """Serve the API with uvicorn (migrating the database first)."""
    from app import serving

    settings = get_settings()
    if migrate_first:
        from app import migrate as migrations  # only then: Alembic stays out of a --no-migrate server's memory

        migrations.upgrade(settings.database_url)
    _first_run_admin(settings.database_url)
    serving.run(host, port, workers or settings.workers)


def _first_run_admin(database_url: str) -> None:
    from app.auth import service as auth
    from app.db import make_engine, make_session_factory

    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            password = auth.ensure_first_admin(session)
            session.commit()
    finally:
        engine.dispose()
    if password:
        line = "=" * 72
        typer.echo(f"{line}\nFirst run: created the account 'admin' with password\n\n    {password}\n\n"
                   "It is shown only this once. Log in and change it (POST /api/v1/auth/password),\n"
                   f"or set another with: seedbed create-user <name> --role admin\n{line}")


@cli.command("create-user")
def create_user(
    username: Annotated[str, typer.Argument(help="Login name (letters, digits, . _ -).")],
    role: Annotated[Role, typer.Option(help="admin, staff or viewer.")] = Role.staff,
    display_name: Annotated[str | None, typer.Option(help="Name shown to colleagues; default: the username.")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
) -> None:
    """Create a staff account (prompts for the password unless --password-stdin)."""
    from pydantic import ValidationError

    from app.audit.service import SYSTEM
    from app.auth import service as auth
    from app.auth.schemas import UserCreate
    from app.db import make_engine, make_session_factory
    from app.errors import DomainError

    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        data = UserCreate(username=username, display_name=display_name or username, role=role, password=password)
    except ValidationError as exc:
        for err in exc.errors():
            typer.echo(f"error: {'.'.join(str(p) for p in err['loc'])}: {err['msg']}", err=True)
        raise typer.Exit(2) from exc
    engine = make_engine(_database_url())
    try:
        with make_session_factory(engine)() as session:
            user = auth.create_user(session, data, actor=SYSTEM)
            session.commit()
            typer.echo(f"created user {user.username} (id {user.id}, role {user.role})")
    except DomainError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()


@cli.command("demo-data")
def demo_data(
    enterprises: Annotated[int, typer.Option(min=0, help="How many firms to create.")] = 200,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed gives the same district.")] = 1,
    visits_per_firm: Annotated[float | None, typer.Option(min=0, help="Mean visits per firm (default: the "
                                                          "district's natural rate, about 1); benchmarks use 10.")
                               ] = None,
) -> None:
    """Fill the database with a realistic, deterministic demo district."""
    from app import demo
    from app.db import make_engine, make_session_factory, refresh_statistics

    engine = make_engine(_database_url())
    with make_session_factory(engine)() as session:
        summary = demo.generate(session, enterprises=enterprises, seed=seed, visits_per_firm=visits_per_firm)
        session.commit()
    with engine.begin() as connection:
        refresh_statistics(connection)
    engine.dispose()
    typer.echo(", ".join(f"{count} {what}" for what, count in summary.items()))


@cli.command("import")
def import_file(
    kind: Annotated[str, typer.Argument(help="What the file holds: enterprises, figures, applications, "
                                        "technology_contracts, innovation_platforms, cooperation_agreements, "
                                        "district_indicators, yearly_targets, commissioners or "
                                        "commissioner_services.")],
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help=".xlsx or .csv file.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report, save nothing.")] = False,
    on_error: Annotated[OnError, typer.Option(help="abort: save nothing while any row is rejected; skip: save "
                                              "the valid rows.")] = OnError.abort,
    as_json: Annotated[bool, typer.Option("--json", help="Print the full report as JSON.")] = False,
) -> None:
    """Import a spreadsheet (exit 1 when rows were rejected and nothing was saved, 2 when the file is unusable)."""
    from app.db import make_engine, make_session_factory
    from app.errors import DomainError
    from app.imports import service as imports

    engine = make_engine(_database_url())
    sessions = make_session_factory(engine)
    try:
        with sessions() as session, file.open("rb") as stream:
            try:
                # Read and checked in a transaction of its own: the one that writes is short, so the database
                # is locked against other writers only while the rows are written.
                with sessions() as reader:
                    prepared = imports.prepare_import(reader, kind, stream, file_name=file.name, on_error=on_error)
                report = imports.write_import(session, prepared, dry_run=dry_run, actor=_cli_actor())
                session.commit()
                if not report.can_apply:
                    # A dry run exits as the real import would, so a script can use it as a check.
                    raise imports.ImportRejected(report)
            except imports.ImportRejected as exc:
                _print_report(exc.report, as_json)
                raise typer.Exit(1) from exc
            except DomainError as exc:
                typer.echo(f"error: {exc.detail}", err=True)
                for item in exc.errors or []:
                    typer.echo(f"  {' '.join(str(p) for p in item.loc)}: {item.msg}", err=True)
                raise typer.Exit(2) from exc
    finally:
        engine.dispose()
    _print_report(report, as_json)


def _cli_actor() -> Actor:
    import getpass

    from app.audit.service import Actor

    try:
        user = getpass.getuser()
    except (OSError, KeyError):
        user = "unknown"
    return Actor(user_id=None, name=f"cli:{user}"[:50])


def _print_report(report: ImportReport, as_json: bool) -> None:
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
        return
    state = "dry run, nothing saved" if report.dry_run else "saved" if report.applied else "NOTHING SAVED"
    source = f"{report.format}, {report.encoding}" if report.encoding else report.format
    typer.echo(f"{report.kind} from {report.file_name} ({source}): {report.rows} rows — "
               f"{report.created} created, {report.updated} updated, "
               f"{report.unchanged} unchanged, {report.rejected} rejected ({state})")
    for problem in report.problems:
        column = f" {problem.column}" if problem.column else f" {problem.field}" if problem.field else ""
        value = f" = {problem.value!r}" if problem.value is not None else ""
        typer.echo(f"  row {problem.row}{column}{value}: {problem.reason}")
    if report.problems_truncated:
        typer.echo("  … more problems not shown (use --json for the first 1000)")


report_cli = typer.Typer(help="Reports of the bureau's work.", no_args_is_help=True)
cli.add_typer(report_cli, name="report")


@report_cli.command("annual")
def report_annual(
    year: Annotated[int, typer.Option(min=1990, max=2200, help="Calendar year of the report.")],
    fmt: Annotated[str, typer.Option("--format", help="json, markdown or docx.")] = "markdown",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write; stdout if omitted "
                                                "(not for docx).")] = None,
) -> None:
    """Write the annual work-summary report (exit 2 for an unknown format or docx without -o)."""
    from app.db import make_engine, make_session_factory
    from app.stats import pipeline, report
    from app.stats.schemas import AnnualReportRead

    if fmt not in ("json", "markdown", "docx"):
        typer.echo(f"error: --format must be json, markdown or docx, not {fmt!r}", err=True)
        raise typer.Exit(2)
    if fmt == "docx" and output is None:
        typer.echo("error: a docx report needs -o FILE", err=True)
        raise typer.Exit(2)
    from app.errors import DomainError

    settings = get_settings()
    engine = make_engine(_database_url())
    try:
        with make_session_factory(engine)() as session:
            built = pipeline.annual_report(session, year=year, issuer=settings.bureau_name)
    except DomainError as exc:
        typer.echo(f"error: {exc.detail}", err=True)
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    if fmt == "docx":
        body = report.render_docx(built)
    elif fmt == "markdown":
        body = report.render_markdown(built).encode()
    else:
        body = AnnualReportRead(summary=built.summary, programs=built.programs).model_dump_json(indent=2).encode()
    if output is None:
        sys.stdout.buffer.write(body)
        sys.stdout.flush()
    else:
        output.write_bytes(body)
        typer.echo(f"wrote {output}")


@cli.command("export")
def export_list(
    kind: Annotated[str, typer.Argument(help="enterprises, applications, visits, demands, figures, "
                                        "technology_contracts, innovation_platforms, cooperation_agreements, "
                                        "district_indicators, yearly_targets, commissioners or "
                                        "commissioner_services.")],
    fmt: Annotated[str, typer.Option("--format", help="csv (UTF-8 with BOM) or xlsx.")] = "csv",
    headers: Annotated[str, typer.Option(help="zh: Chinese headers and labels; en: field names and codes.")] = "zh",
    filters: Annotated[list[str] | None, typer.Option("--filter", help="A list filter as name=value, e.g. "
                                                      "district=丹阳街道; repeat it for more.")] = None,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="File to write; stdout if omitted "
                                                "(not for xlsx).")] = None,
) -> None:
    """Export a list as the /exports routes do (exit 2 for an unknown kind, format or filter)."""
    from app.db import make_engine, make_session_factory
    from app.errors import DomainError
    from app.exports import kinds
    from app.exports.tabular import ExportFormat, HeaderLanguage, file_chunks

    try:
        if kind not in kinds.EXPORTS:
            raise ValueError(f"KIND must be one of {', '.join(kinds.EXPORTS)}, not {kind!r}")
        if fmt not in ExportFormat.__members__ or headers not in HeaderLanguage.__members__:
            raise ValueError(f"--format must be csv or xlsx and --headers zh or en, not {fmt!r} / {headers!r}")
        if fmt == "xlsx" and output is None:
            raise ValueError("an xlsx export needs -o FILE")
        export = kinds.EXPORTS[kind][1](kinds.parse_filters(kind, filters or []))
    except (ValueError, DomainError) as exc:
        typer.echo(f"error: {exc.detail if isinstance(exc, DomainError) else exc}", err=True)
        raise typer.Exit(2) from exc
    engine = make_engine(_database_url())
    try:
        with make_session_factory(engine)() as session:
            target = output.open("wb") if output else sys.stdout.buffer
            try:
                for chunk in file_chunks(export, session, ExportFormat(fmt), HeaderLanguage(headers)):
                    target.write(chunk)
            finally:
                if output:
                    target.close()
    finally:
        engine.dispose()
    if output:
        typer.echo(f"wrote {output}")


@cli.command("backup")
def backup_database(
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Backup file; default "
                                                "backups/seedbed-<UTC time>.db (SQLite) or .dump (pg_dump).")
                      ] = None,
) -> None:
    """Back up the database while the server runs (exit 2 when it cannot: the reason is printed)."""
    from app import backup

    # An older schema is still worth a copy; a missing or empty database is not.
    database_url = _database_url(at_head=False)
    target = output or backup.default_target(database_url)
    try:
        written = backup.backup(database_url, target)
    except backup.BackupError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from exc
    typer.echo(f"wrote {written} ({written.stat().st_size:,} bytes)")


@cli.command()
def openapi() -> None:
    """Print the OpenAPI document (what `openapi/openapi.json` holds)."""
    from app.main import openapi_document

    json.dump(openapi_document(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def main() -> None:
    cli()
