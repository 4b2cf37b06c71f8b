"""Run Rollbook's benchmarks: ``python -m bench [hot|admin|profile|all] [options]``.

Every benchmark starts a PostgreSQL cluster of its own (initdb in a temporary
directory, a free port on 127.0.0.1; as the ``postgres`` user when run as root)
and removes it afterwards. Figures are printed; docs/benchmarks.md records a run.

- ``hot``: the hot course over HTTP with 1 and 2 uvicorn workers, then the pgbench
  ceiling and the fraction, then the HTTP floor (the same clients asking for a
  static file and for ``/health``: no booking can be faster on this machine).
- ``admin``: seed 100,000 registrations, then the admin pages, the xlsx export and
  the memory of one app process.
- ``export``: seed, then only the xlsx export (its time, peak memory and the writer used).
- ``import``: ``rollbook import students`` of an .xlsx of ``--rows`` students (100,000):
  its time and peak memory.
- ``profile``: pyinstrument profile of public bookings (needs ``pip install pyinstrument``).
- ``all``: ``hot`` then ``admin``.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from collections.abc import Sequence

from bench.servers import PgCluster


def machine() -> str:
    cpu = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    with open("/proc/meminfo") as handle:
        total_kb = int(handle.readline().split()[1])
    pg = subprocess.run(
        ["psql", "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {total_kb / 1024 / 1024:.1f} GiB memory, "
        f"Python {platform.python_version()}, {pg or 'PostgreSQL'}, "
        f"load average before the run {os.getloadavg()[0]:.2f}"
    )


def run_hot(args: argparse.Namespace) -> None:
    from bench.ceiling import run_ceiling
    from bench.hot_course import run_hot_course
    from bench.http_floor import run_floor

    rates = {}
    with PgCluster(max_connections=300, durable=not args.fast) as pg:
        for workers in args.workers:
            result = run_hot_course(
                clients=args.clients,
                seconds=args.seconds,
                workers=workers,
                capacity=args.seats,
                cluster=pg,
            )
            print(result.describe(), flush=True)
            rates[workers] = result.per_second
        sell_out = run_hot_course(
            clients=args.clients,
            seconds=min(args.seconds, 10),
            workers=max(args.workers),
            capacity=args.sell_out_seats,
            cluster=pg,
        )
        print("sell-out check (more visitors than seats):", flush=True)
        print(sell_out.describe(), flush=True)
        if args.spread:
            spread = run_hot_course(
                clients=args.clients,
                seconds=args.seconds,
                workers=max(args.workers),
                capacity=args.seats,
                cluster=pg,
                courses=args.spread,
            )
            print("the same load spread over several courses (no single course lock):")
            print(spread.describe(), flush=True)
        ceiling = run_ceiling(
            clients=args.clients, seconds=args.seconds, capacity=args.seats, cluster=pg
        )
        print(ceiling.describe(), flush=True)
        if not args.no_floor:
            for workers in args.workers:
                for floor in run_floor(
                    pg, clients=args.clients, seconds=min(args.seconds, 10), workers=workers
                ):
                    print(floor.describe(), flush=True)
    for workers, rate in rates.items():
        share = rate / ceiling.per_second if ceiling.per_second else 0.0
        print(f"Rollbook with {workers} worker(s): {share:.0%} of the pgbench ceiling")


def run_admin(args: argparse.Namespace) -> None:
    from bench.admin_scale import run_admin_pages
    from bench.export import run_export
    from bench.memory import run_memory
    from bench.seed import Scale, seed

    with PgCluster(max_connections=100, durable=not args.fast) as pg:
        url = pg.create_database("admin_scale")
        started = time.perf_counter()
        seeded = seed(url, Scale())
        print(
            f"seeded {seeded.registrations} registrations, {seeded.students} students, "
            f"{seeded.courses} courses in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        print("admin pages (in-process, signed-in superuser):")
        for page in run_admin_pages(url, seeded, repeat=args.repeat):
            print(page.describe(), flush=True)
        print(run_export(url).describe(), flush=True)
        print(run_memory(url, seeded).describe(), flush=True)


def run_export_only(args: argparse.Namespace) -> None:
    from bench.export import run_export
    from bench.seed import Scale, seed

    with PgCluster(max_connections=100, durable=not args.fast) as pg:
        url = pg.create_database("export")
        seeded = seed(url, Scale())
        print(f"seeded {seeded.registrations} registrations", flush=True)
        print(run_export(url).describe(), flush=True)


def run_import_only(args: argparse.Namespace) -> None:
    from bench.imports import run_import

    with PgCluster(max_connections=100, durable=not args.fast) as pg:
        url = pg.create_database("import")
        print(run_import(url, args.rows).describe(), flush=True)


def run_profile(args: argparse.Namespace) -> None:
    from bench.profile_booking import profile_bookings

    print(profile_bookings(bookings=args.bookings, already_booked=args.already_booked))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "what",
        choices=["hot", "admin", "export", "import", "profile", "all"],
        nargs="?",
        default="all",
    )
    parser.add_argument("--clients", type=int, default=50, help="concurrent visitors (50)")
    parser.add_argument(
        "--no-floor",
        action="store_true",
        help="skip the HTTP floor (the same clients asking for a static file and /health)",
    )
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each run (20)")
    parser.add_argument(
        "--workers", type=int, nargs="+", default=[1, 2], help="uvicorn worker counts (1 2)"
    )
    parser.add_argument("--seats", type=int, default=100_000, help="seats of the hot course")
    parser.add_argument(
        "--sell-out-seats", type=int, default=300, help="seats in the sell-out check (300)"
    )
    parser.add_argument(
        "--spread",
        type=int,
        default=0,
        help="also run the load spread over this many courses (0: skip)",
    )
    parser.add_argument("--repeat", type=int, default=20, help="timed requests per admin page")
    parser.add_argument("--rows", type=int, default=100_000, help="students to import")
    parser.add_argument("--bookings", type=int, default=200, help="bookings to profile")
    parser.add_argument(
        "--already-booked", type=int, default=0, help="bookings made before profiling"
    )
    parser.add_argument(
        "--fast",
        action="store_true",
        help="PostgreSQL without fsync (like the test server); default is crash-safe settings",
    )
    args = parser.parse_args(argv)
    print(f"machine: {machine()}", flush=True)
    print(f"command: python -m bench {' '.join(sys.argv[1:] if argv is None else argv)}")
    if args.what in ("hot", "all"):
        run_hot(args)
    if args.what in ("admin", "all"):
        run_admin(args)
    if args.what == "export":
        run_export_only(args)
    if args.what == "import":
        run_import_only(args)
    if args.what == "profile":
        run_profile(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
