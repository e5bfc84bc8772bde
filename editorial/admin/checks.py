"""Consistency checks in admin: a 'Checks' panel at the top of the change form, the same findings
as warnings after each save, and turning a duplicate official into another spelling of the
official it duplicates."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from editorial import services
from editorial.checks import meeting_findings, official_findings

PANEL = "consistency_checks"


def change_url(record):
    """The admin page of `record`, or '' if it has none."""
    opts = record._meta
    try:
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
    except NoReverseMatch:
        return ""


class ChecksMixin:
    """Shows `findings(obj)` above a saved record's form, and as warnings after a save."""

    def findings(self, obj):
        raise NotImplementedError

    def finding_links(self, finding, obj):
        """(url, label) pairs offered with a finding."""
        url = change_url(finding.record) if finding.record is not None else ""
        if not url:
            return []
        label = gettext("Open the {record}").format(record=finding.record._meta.verbose_name)
        return [(url, label)]

    def render_finding(self, finding, obj):
        links = format_html_join(" ", ' <a href="{}">{}</a>', self.finding_links(finding, obj))
        return format_html("{}{}", finding.message, links)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, PANEL) if obj is not None else fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        rest = [
            (name, {**options, "fields": [f for f in options["fields"] if f != PANEL]})
            for name, options in fieldsets
        ]
        return [(_("Checks"), {"fields": [PANEL]}), *rest]

    @admin.display(description=_("Before publishing"))
    def consistency_checks(self, obj):
        findings = self.findings(obj)
        if not findings:
            return gettext("No problems found.")
        items = format_html_join(
            "", "<li>{}</li>", ((self.render_finding(f, obj),) for f in findings)
        )
        return format_html('<ul class="consistency-checks">{}</ul>', items)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.warn(request, form.instance)

    def warn(self, request, obj):
        for finding in self.findings(obj):
            self.message_user(request, self.render_finding(finding, obj), messages.WARNING)


class MeetingChecksMixin(ChecksMixin):
    def findings(self, obj):
        return meeting_findings(obj)


class OfficialChecksMixin(ChecksMixin):
    """Also offers to make a probable duplicate another spelling of the official it repeats."""

    def findings(self, obj):
        return official_findings(obj)

    def finding_links(self, finding, obj):
        links = super().finding_links(finding, obj)
        if finding.code == "duplicate_official":
            url = reverse(
                "admin:meetings_official_other_spelling", args=[obj.pk, finding.record.pk]
            )
            label = gettext("Make “{name}” another spelling of {official}")
            links.append((url, label.format(name=obj.name, official=finding.record)))
        return links

    def get_urls(self):
        view = self.admin_site.admin_view(self.other_spelling_view)
        return [
            path(
                "<path:object_id>/other-spelling-of/<int:other_id>/",
                view,
                name="meetings_official_other_spelling",
            ),
            *super().get_urls(),
        ]

    def other_spelling_view(self, request, object_id, other_id):
        """Confirm, then move a duplicate's names to `other_id` and delete the duplicate."""
        duplicate = self.get_object(request, unquote(object_id))
        official = self.get_object(request, str(other_id))
        if duplicate is None or official is None or duplicate.pk == official.pk:
            raise Http404(gettext("No such pair of officials."))
        if not (
            self.has_change_permission(request, official)
            and self.has_delete_permission(request, duplicate)
        ):
            raise PermissionDenied
        blockers = services.merge_blockers(duplicate)
        if request.method == "POST" and not blockers:
            moved = services.merge_officials(duplicate, official)
            self.log_change(request, official, [{"added": {"name": "other spelling"}}])
            self.message_user(
                request,
                f"“{duplicate.name}” is now another spelling of {official} "
                f"({', '.join(moved) or 'no new spelling'}); the duplicate record was deleted.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url(official))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Make “{name}” another spelling of {official}?").format(
                name=duplicate.name, official=official
            ),
            "opts": self.opts,
            "duplicate": duplicate,
            "official": official,
            "names": services.spellings(duplicate),
            "blockers": blockers,
            "duplicate_url": change_url(duplicate),
            "official_url": change_url(official),
        }
        return TemplateResponse(request, "admin/meetings/official/other_spelling.html", context)
