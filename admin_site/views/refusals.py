"""A refused save, said to staff on the form: a sentence by the field, never driver text.

SQLAdmin shows the text of any exception ``insert_model`` or ``update_model``
raises above the form (its ``error``). The domain's ``ValidationError`` names the
field; ``request.state.refused_field`` carries it to the templates
``rollbook/create.html`` and ``rollbook/edit.html``, which put the sentence
under that field. A database refusal that gets past the domain's checks (a
concurrent save of the same email, say) becomes a general sentence, and the
driver's text goes to the log only.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterator
from contextlib import contextmanager

from sqlalchemy.exc import DataError, IntegrityError
from starlette.requests import Request

from domain.errors import DomainError, ValidationError

logger = logging.getLogger("rollbook.admin")

#: Above the form when the sentence stands by its field.
SEE_THE_FIELD = "Not saved: please correct the field marked below."
#: A unique or check constraint refused the row after the domain's checks passed.
CONFLICT = (
    "This could not be saved: it conflicts with another record or breaks a rule "
    "of the database. Reload the page to see the current data, then try again."
)
#: A value the column cannot hold (too long, out of range) got past the checks.
OUT_OF_RANGE = "This could not be saved: a value is too long or out of range."


class NotSaved(Exception):
    """The sentence SQLAdmin shows above a form whose save was refused."""


@contextmanager
def refusals_on_the_form(request: Request, form_fields: Collection[str]) -> Iterator[None]:
    """Turn what refuses a save into ``NotSaved``, placing a field's sentence beside it.

    ``form_fields`` are the names on the form being saved; a refusal naming
    another field (or none) is said above the form instead.
    """
    try:
        yield
    except ValidationError as refused:
        name = _form_field(refused.field, form_fields)
        if name:
            request.state.refused_field = {"name": name, "message": str(refused)}
            raise NotSaved(SEE_THE_FIELD) from refused
        raise NotSaved(str(refused)) from refused
    except DomainError as refused:
        raise NotSaved(str(refused)) from refused
    except IntegrityError as error:
        _log(request, error)
        raise NotSaved(CONFLICT) from None
    except DataError as error:
        _log(request, error)
        raise NotSaved(OUT_OF_RANGE) from None


def _form_field(field: str | None, form_fields: Collection[str]) -> str | None:
    """The form field a refusal is about: the domain says ``course_id``, the form ``course``."""
    if field in form_fields:
        return field
    if field and field.endswith("_id") and field.removesuffix("_id") in form_fields:
        return field.removesuffix("_id")
    return None


def _log(request: Request, error: Exception) -> None:
    # Staff see a sentence; whoever reads the log sees which constraint and why.
    logger.warning(
        "the database refused a save from %s: %s",
        request.url.path,
        getattr(error, "orig", error),
    )
