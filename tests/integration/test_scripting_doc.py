"""docs/scripting.md runs as written on a freshly migrated database, on both backends."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from domain.db.database import Database
from domain.db.migrate import upgrade_to_head
from domain.enums import PaymentStatus
from domain.model import AuditEntry, OutgoingEmail, Registration

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "scripting.md"

EXPECTED_OUTPUT = [
    "Created course Salsa Basics (id 1)",
    "Registered Ana Lopez: 80.00 due, payment pending",
    "Registered Ben Okafor: 80.00 due, payment pending",
    "Confirmed Ana's payment",
    "Second confirmation refused: This payment is already confirmed.",
    "Generated 5 sessions; again: 0",
    "Marked attendance at 3 sessions",
    re.compile(r"Roster of the latest session \(\d{4}-\d\d-\d\d\):"),
    re.compile(r"  Ana Lopez +present +100% attended"),
    re.compile(r"  Ben Okafor +late +67% attended"),
]


def example_code() -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    assert len(blocks) == 1, "docs/scripting.md should hold exactly one python example"
    return str(blocks[0])


def test_the_scripting_example_runs_as_written(empty_database_url: str, tmp_path: Path) -> None:
    upgrade_to_head(empty_database_url)
    script = tmp_path / "example.py"
    script.write_text(example_code())
    env = {
        **os.environ,
        "DATABASE_URL": empty_database_url,
        "ROLLBOOK_DATA_DIR": str(tmp_path / "data"),
        "ROLLBOOK_ENV": "development",
    }
    # Run from elsewhere, as a user's script would: only the installed package helps.
    result = subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(EXPECTED_OUTPUT), result.stdout
    for line, expected in zip(lines, EXPECTED_OUTPUT, strict=True):
        if isinstance(expected, str):
            assert line == expected
        else:
            assert expected.fullmatch(line), line

    db = Database(empty_database_url)
    try:
        with db.read() as session:
            statuses = sorted(session.scalars(select(Registration.payment_status)))
            kinds = Counter(session.scalars(select(OutgoingEmail.kind)))
            actors = set(session.scalars(select(AuditEntry.actor_label)))
            actions = Counter(session.scalars(select(AuditEntry.action)))
    finally:
        db.dispose()
    assert statuses == [PaymentStatus.COMPLETED, PaymentStatus.PENDING]
    assert kinds == {"registration_received": 2, "payment_confirmed": 1}
    # Every change the script made is in the audit log, under the script's name.
    assert actors == {"scripting-example"}
    assert actions == {
        # The course, its slot and its price.
        "create": 3,
        "student.create": 2,
        "registration.create": 2,
        "payment.confirm": 1,
        "class_session.generate": 5,
        "attendance.mark": 6,
    }
