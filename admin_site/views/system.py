"""Read-only records: the email outbox (the audit log is ``admin_site/views/audit.py``)."""

from __future__ import annotations

from sqladmin.filters import StaticValuesFilter

from admin_site.views.base import ReadOnlyView, choices
from admin_site.views.filters import LabelledValuesFilter, date_range
from domain.enums import EmailStatus
from domain.formatting import label
from domain.model import OutgoingEmail


def _attachment_names(email: object, _attribute: object) -> str:
    """The names of the files sent with the message ("booking-12.ics"), or "None"."""
    files = getattr(email, "attachments", None) or []
    return ", ".join(str(item.get("filename", "")) for item in files) or "None"


class OutgoingEmailView(ReadOnlyView, model=OutgoingEmail):
    name = "Email"
    name_plural = "Outgoing emails"
    icon = "fa-solid fa-envelope"
    category = "System"
    column_list = ["to_address", "subject", "kind", "status", "created_at"]
    column_labels = {
        "to_address": "To",
        "to_name": "Name",
        "created_at": "Queued",
        "sent_at": "Sent",
    }
    column_formatters_detail = {"attachments": _attachment_names}
    column_searchable_list = ["to_address", "to_name", "subject"]
    column_sortable_list = ["id", "kind", "status", "attempts", "created_at", "sent_at"]
    column_default_sort = ("created_at", True)
    column_filters = [
        StaticValuesFilter(
            "status",
            choices(EmailStatus),
            title="Status",
        ),
        LabelledValuesFilter("kind", title="Kind", words=label),
        *date_range("created_at", since="Queued since", until="Queued until"),
    ]
    column_details_list = [
        "id",
        "kind",
        "to_address",
        "to_name",
        "subject",
        "body_text",
        "attachments",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    ]
    export_columns = [
        "id",
        "kind",
        "to_address",
        "to_name",
        "subject",
        "status",
        "attempts",
        "created_at",
        "sent_at",
        "last_error",
    ]
