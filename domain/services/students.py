"""Staff decisions about students that the rules depend on."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from domain import audit
from domain.actors import Actor
from domain.clock import utcnow
from domain.db.database import Database
from domain.db.tables import students as students_table
from domain.enums import StudentType, values
from domain.errors import NotFound, ValidationError
from domain.model import Student


def classify_students(
    db: Database, *, student_ids: Sequence[int], student_type: str, actor: Actor
) -> int:
    """Set the type of each student and mark it as checked by staff (rule 2, eligibility).

    Returns how many students changed; all or none are changed.
    """
    if student_type not in values(StudentType):
        raise ValidationError(f"Unknown student type {student_type!r}.", field="student_type")
    ids = sorted(set(student_ids))
    if not ids:
        raise ValidationError("Choose at least one student to classify.", field="student_ids")
    with db.write() as session:
        found = list(
            session.scalars(
                select(Student).where(students_table.c.id.in_(ids)).order_by(students_table.c.id)
            )
        )
        missing = set(ids) - {s.id for s in found}
        if missing:
            raise NotFound(f"No student with id {', '.join(map(str, sorted(missing)))}.")
        changed = 0
        for student in found:
            before = audit.snapshot(student, ["student_type", "admin_classified"])
            student.student_type = student_type
            student.admin_classified = True
            changes = audit.diff(before, student)
            if changes:
                student.updated_at = utcnow()
                audit.record(session, actor, "student.classify", student, changes)
                changed += 1
        session.commit()
        return changed
