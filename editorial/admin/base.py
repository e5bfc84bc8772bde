from django import forms
from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import model_ngettext
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from editorial import services
from editorial.admin.history import HistoryAdmin
from meetings.models import EditConflict, State

CONFLICT = _("Someone else changed this record since you opened it; reload to see their changes.")


class EditorAdmin(HistoryAdmin):
    """A ModelAdmin with each record's history, and protection for records others link to.

    Its `list_select_related` also serves autocomplete results and actions: the changelist
    applies it by itself; autocomplete and actions start from `get_queryset()` and print every
    object with `str()`, which may follow the same relations.
    """

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if isinstance(self.list_select_related, list | tuple):
            queryset = queryset.select_related(*self.list_select_related)
        return queryset

    def get_search_results(self, request, queryset, search_term):
        """Also keeps autocomplete pages in a stable order: a queryset annotated with a count
        is grouped, and Django leaves Meta.ordering out of grouped queries."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not queryset.ordered:
            queryset = queryset.order_by(*self.get_ordering(request) or self.model._meta.ordering)
        return queryset, may_have_duplicates

    def get_deleted_objects(self, objs, request):
        """Also protect a record that another record links to through a many-to-many field."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        linking = linking_records(objs, self.admin_site.name)
        return deleted, counts, perms_needed, [*protected, *linking]


def linking_records(objs, site_name):
    """'Meeting: …', linked to its admin page, for each record that links to one of `objs`.

    One query per kind of link.
    """
    objs = list(objs)
    if not objs:
        return []
    found = []
    for relation in type(objs[0])._meta.related_objects:
        if relation.many_to_many:
            model = relation.related_model
            records = model._default_manager.filter(**{f"{relation.field.name}__in": objs})
            name = capfirst(model._meta.verbose_name)
            view = f"{site_name}:{model._meta.app_label}_{model._meta.model_name}_change"
            found += [
                format_html(
                    '{}: <a href="{}">{}</a>', name, reverse(view, args=[record.pk]), record
                )
                for record in records.distinct()
            ]
    return found


def set_state(modeladmin, request, queryset, state):
    """Move the selected records to `state` (editorial.services) and log it; say which records
    could not be published and why."""
    refused = []
    if state == State.PUBLISHED:
        changed, refused = services.publish(queryset, request.user)
    else:
        changed = services.unpublish(queryset, request.user)
    for __, why in refused:
        modeladmin.message_user(request, why, messages.ERROR)
    if changed:
        LogEntry.objects.log_actions(
            request.user.pk, changed, CHANGE, [{"changed": {"fields": ["State"]}}]
        )
    count = len(changed)
    modeladmin.message_user(
        request,
        gettext("{count} {records} set to {state}.").format(
            count=count,
            records=model_ngettext(modeladmin.opts, count),
            state=str(State(state).label).lower(),
        ),
        messages.SUCCESS,
    )


@admin.action(description=_("Publish selected %(verbose_name_plural)s"), permissions=["publish"])
def publish(modeladmin, request, queryset):
    set_state(modeladmin, request, queryset, State.PUBLISHED)


@admin.action(description=_("Unpublish selected %(verbose_name_plural)s"), permissions=["publish"])
def unpublish(modeladmin, request, queryset):
    set_state(modeladmin, request, queryset, State.DRAFT)


PUBLISHING_FIELDS = (
    "state",
    "published_at",
    "published_by",
    "created_at",
    "updated_at",
    "data_key",
    "version",
)


def stored_version(record):
    """The version of `record` in the database; inside a transaction, the row stays locked."""
    rows = type(record)._base_manager.filter(pk=record.pk)
    if transaction.get_connection(router.db_for_write(type(record))).in_atomic_block:
        rows = rows.select_for_update()
    return rows.values_list("version", flat=True).first()


class PublishableForm(forms.ModelForm):
    """Carries the version of the record it opened, and refuses to save over a later one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "version" in self.fields:
            self.fields["version"].widget = forms.HiddenInput()
            self.fields["version"].required = self.instance.pk is not None
            if self.instance.pk is not None and not self.is_bound:
                # Not the instance's own: a restore form starts from an old version.
                self.initial["version"] = stored_version(self.instance)

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is not None and "version" in cleaned_data:
            if cleaned_data["version"] != stored_version(self.instance):
                raise ValidationError(CONFLICT, code="edit_conflict")
        published = cleaned_data.get("state", self.instance.state) == State.PUBLISHED
        if published and "sources" in self.fields and not cleaned_data.get("sources"):
            self.add_error(
                "sources",
                "A published record needs a source: add the page it was read from, "
                "or keep it as a draft.",
            )
        return cleaned_data


class PublishableAdmin(EditorAdmin):
    """Admin for a `Publishable` model: publishing actions and a 'Publishing' fieldset last.

    Only a user with the model's `publish_<model>` permission changes the state, and only they
    delete a published record. A save is refused when someone else has saved the record since
    the form opened (its hidden `version`).
    """

    form = PublishableForm
    actions = [publish, unpublish]
    readonly_fields = ("published_at", "published_by", "created_at", "updated_at", "data_key")

    def has_publish_permission(self, request, obj=None):
        codename = get_permission_codename("publish", self.opts)
        return request.user.has_perm(f"{self.opts.app_label}.{codename}")

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published and not self.has_publish_permission(request):
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        restoring = getattr(request, "restored_version", None) is not None
        if restoring or not self.has_publish_permission(request):
            fields = (*fields, "state")
        return fields

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            return self.refuse_conflict(request)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Restoring a version brings back its content; the state stays as it is.
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super().history_form_view(request, object_id, version_id, extra_context)
        except EditConflict:
            return self.refuse_conflict(request)

    def refuse_conflict(self, request):
        # The form checks the version first; this is for a save that overtook it.
        self.message_user(request, CONFLICT, messages.ERROR)
        return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        stored = {"state": State.DRAFT, "published_at": None, "published_by": None}
        if change:
            fields = stored.keys()
            stored = self.model._base_manager.filter(pk=obj.pk).values(*fields).get()
        restoring = getattr(request, "restored_version", None) is not None
        if restoring:
            obj.state = stored["state"]
            obj.published_at = stored["published_at"]
            obj.published_by_id = stored["published_by"]
        elif obj.state != stored["state"]:
            if not self.has_publish_permission(request):
                raise PermissionDenied
            services.mark_state(obj, obj.state, request.user)
        # The stored values read above stand unless someone else saved since: then this fails.
        if change and not obj.claim_version(obj.version):
            raise EditConflict
        super().save_model(request, obj, form, change)

    def get_fieldsets(self, request, obj=None):
        if self.fieldsets:
            return super().get_fieldsets(request, obj)
        fields = [name for name in self.get_fields(request, obj) if name not in PUBLISHING_FIELDS]
        return [(None, {"fields": fields}), (_("Publishing"), {"fields": PUBLISHING_FIELDS})]
