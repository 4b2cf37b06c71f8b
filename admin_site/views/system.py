"""Read-only records: the email outbox and the audit log."""

from __future__ import annotations

from sqladmin.filters import StaticValuesFilter

from admin_site.views.base import ReadOnlyView, choices
from admin_site.views.filters import LabelledValuesFilter, date_range
from domain.enums import EmailStatus
from domain.formatting import action_label, label
from domain.model import AuditEntry, OutgoingEmail


class OutgoingEmailView(ReadOnlyView, model=OutgoingEmail):
    name = "Email"
    name_plural = "Outgoing emails"
    icon = "fa-solid fa-envelope"
    category = "System"
    column_list = ["to_address", "subject", "kind", "status", "created_at"]
    column_labels = {"to_address": "To", "created_at": "Queued", "sent_at": "Sent"}
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
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    ]
    export_columns = [
        ("ID", "id"),
        ("Kind", "kind"),
        ("To", "to_address"),
        ("Name", "to_name"),
        ("Subject", "subject"),
        ("Status", "status"),
        ("Attempts", "attempts"),
        ("Queued", "created_at"),
        ("Sent", "sent_at"),
        ("Last error", "last_error"),
    ]


class AuditEntryView(ReadOnlyView, model=AuditEntry):
    name = "Audit entry"
    name_plural = "Audit log"
    icon = "fa-solid fa-clock-rotate-left"
    category = "System"
    column_list = ["occurred_at", "actor_label", "action", "entity_type"]
    column_labels = {"occurred_at": "When", "actor_label": "Who", "entity_type": "What"}
    column_searchable_list = ["actor_label", "action", "entity_type", "entity_id", "reason"]
    column_sortable_list = ["id", "occurred_at", "actor_label", "action", "entity_type"]
    column_default_sort = ("occurred_at", True)
    column_filters = [
        LabelledValuesFilter("action", title="Action", words=action_label),
        LabelledValuesFilter("entity_type", title="Entity", words=label),
        *date_range("occurred_at", since="Since", until="Until"),
    ]
    column_details_list = [
        "id",
        "occurred_at",
        "actor_label",
        "action",
        "entity_type",
        "entity_id",
        "reason",
        "actor_kind",
        "actor_id",
        "changes",
    ]
    export_columns = [
        ("ID", "id"),
        ("When", "occurred_at"),
        ("Who", "actor_label"),
        ("Action", "action"),
        ("Entity", "entity_type"),
        ("Entity ID", "entity_id"),
        ("Reason", "reason"),
        ("Changes", "changes"),
    ]
