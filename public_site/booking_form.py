"""A course page's booking form: the options the course offers, each with the amount it costs.

Every amount comes from the catalogue entry, which the domain's price rule
(``domain.rules.pricing.amount_due``) computed; the page shows the one matching
the visitor's choice. The form never posts an amount: the booking computes it
again (``register_student``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from starlette.datastructures import FormData

from domain import formatting
from domain.enums import PricingType
from domain.services.course_listing import CatalogueEntry, DropInClass
from public_site.forms import StudentForm

NO_CLASS_CHOSEN = "Choose a class"


@dataclass(frozen=True)
class AmountDue:
    """What one choice costs, in words: the full course, or a drop-in to one class.

    ``session_id`` is None for the drop-in line shown before a class is chosen.
    """

    pricing_type: str
    session_id: int | None
    text: str
    #: Said after the amount: the seats left in the chosen class.
    note: str = ""


class BookingForm(StudentForm):
    """The booking form of one course, with the amount each of its choices costs."""

    amounts: list[AmountDue]


def price_text(amount: Decimal, currency: str) -> str:
    return "Free" if amount == 0 else formatting.money(amount, currency)


def drop_in_label(drop_in: DropInClass, currency: str) -> str:
    """'Sun 13 Dec, 18:00 · $22.00': what fits a 375-px phone's closed drop-down.

    The year is the month group's ("December 2026"), the seats left the amount's note.
    """
    # The organisation's date format without its last word, the year.
    day = formatting.local_date(drop_in.session_date).rsplit(" ", 1)[0]
    when = (
        day if drop_in.start_time is None else f"{day}, {formatting.clock_time(drop_in.start_time)}"
    )
    return f"{when} · {price_text(drop_in.amount, currency)}"


def month_of(drop_in: DropInClass) -> str:
    """'December 2026': the group a class is listed under."""
    return f"{drop_in.session_date:%B %Y}"


def amounts_due(entry: CatalogueEntry, currency: str) -> list[AmountDue]:
    """The amount of every choice the form offers (open classes only)."""
    amounts: list[AmountDue] = []
    if entry.package_amount is not None and not entry.started:
        text = price_text(entry.package_amount, currency)
        amounts.append(AmountDue(PricingType.FULL_PACKAGE.value, None, text))
    open_drop_ins = [d for d in entry.drop_ins if d.seats_left > 0]
    if open_drop_ins:
        prices = sorted({d.amount for d in open_drop_ins})
        if len(prices) == 1:
            before_choosing = price_text(prices[0], currency)
        else:
            lowest = price_text(prices[0], currency)
            before_choosing = f"from {lowest}, as shown next to the class you choose"
        amounts.append(AmountDue(PricingType.DROP_IN.value, None, before_choosing))
        amounts += [
            AmountDue(
                PricingType.DROP_IN.value,
                d.session_id,
                price_text(d.amount, currency),
                f"{d.seats_left} seat{'' if d.seats_left == 1 else 's'} left in this class",
            )
            for d in open_drop_ins
        ]
    return amounts


def registration_form(
    entry: CatalogueEntry, currency: str, formdata: FormData | None = None
) -> BookingForm:
    """The booking form with the pricing options this course really offers.

    No class is chosen until the visitor chooses one, so a full-course booking
    never carries a class; the booking ignores one anyway.
    """
    form = BookingForm(formdata=formdata)
    choices = []
    if entry.package_amount is not None and not entry.started:
        amount = entry.package_amount
        price = "free" if amount == 0 else formatting.money(amount, currency)
        choices.append((PricingType.FULL_PACKAGE.value, f"The full course ({price})"))
    open_drop_ins = [d for d in entry.drop_ins if d.seats_left > 0]
    if open_drop_ins:
        choices.append((PricingType.DROP_IN.value, "One class (drop-in)"))
    form.pricing_type.choices = choices
    if formdata is None and choices:
        form.pricing_type.data = choices[0][0]
    months: dict[str, list[tuple[int | str, str]]] = {}
    for drop_in in open_drop_ins:
        months.setdefault(month_of(drop_in), []).append(
            (drop_in.session_id, drop_in_label(drop_in, currency))
        )
    # WTForms renders a dict of choices as <optgroup>s: the first group holds the empty choice.
    form.drop_in_session.choices = {"": [("", NO_CLASS_CHOSEN)], **months}
    form.amounts = amounts_due(entry, currency)
    return form
