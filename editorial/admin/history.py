"""A record's history in admin: every version, any two compared, one restored."""

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

# The compare page shows whole values, not the history list's 100-character previews.
FULL_VALUES = 10_000


class HistoryAdmin(SimpleHistoryAdmin):
    """Adds to simple-history's pages one that compares any two versions of a record."""

    object_history_template = "admin/record_history.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        compare = path(
            "<path:object_id>/history/compare/",
            self.admin_site.admin_view(self.history_compare_view),
            name="{}_{}_history_compare".format(*info),
        )
        # Before simple-history's '<id>/history/<version>/', which would take 'compare'.
        return [compare, *super().get_urls()]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """The form that restores a version: its fields, and its links as they were then.

        Restoring is a change: a user who may only view the record sees the form, read-only,
        and may not send it."""
        obj = self.get_object(request, unquote(object_id))
        if request.method == "POST" and not self.has_change_permission(request, obj):
            raise PermissionDenied
        request.restored_version = get_object_or_404(
            self.model.history, history_id=version_id, **{self.opts.pk.attname: unquote(object_id)}
        )
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        version = getattr(request, "restored_version", None)
        if version is None:
            return form
        links = {
            field.name: [
                getattr(link, f"{field.m2m_reverse_field_name()}_id")
                for link in getattr(version, field.name).all()
            ]
            for field in version._history_m2m_fields
            if field.name in form.base_fields
        }
        return type(form.__name__, (RestoringLinks, form), {"restored_links": links})

    def history_compare_view(self, request, object_id):
        """The fields that differ between the versions `older` and `newer` (history ids)."""
        object_id = unquote(object_id)
        records = self.model.history.filter(**{self.opts.pk.attname: object_id})
        try:
            chosen = records.in_bulk([int(request.GET["older"]), int(request.GET["newer"])])
            older = chosen[int(request.GET["older"])]
            newer = chosen[int(request.GET["newer"])]
        except (KeyError, ValueError):
            raise Http404("Choose two versions of this record.") from None
        if older.history_date > newer.history_date:
            older, newer = newer, older
        obj = self.get_object(request, object_id) or newer.instance
        if not self.has_view_history_or_change_history_permission(request, obj):
            raise PermissionDenied
        delta = newer.diff_against(older, foreign_keys_are_objs=True)
        helper = HistoricalRecordContextHelper(
            self.model, newer, max_displayed_delta_change_chars=FULL_VALUES
        )
        info = self.admin_site.name, self.opts.app_label, self.opts.model_name
        context = {
            **self.admin_site.each_context(request),
            "title": f"Compare versions: {obj}",
            "opts": self.opts,
            "object": obj,
            "older": older,
            "newer": newer,
            "changes": helper.context_for_delta_changes(delta),
            "history_url": reverse("{}:{}_{}_history".format(*info), args=[obj.pk]),
        }
        return TemplateResponse(request, "admin/record_history_compare.html", context)


class RestoringLinks:
    """A form mixin that opens with the many-to-many links of the version being restored."""

    restored_links = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.update(self.restored_links)
