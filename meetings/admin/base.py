from django.contrib import admin, messages
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.admin.utils import model_ngettext
from django.utils import timezone

from meetings.models import State
from meetings.search import refresh_search_vectors


class EditorAdmin(admin.ModelAdmin):
    """A ModelAdmin whose `list_select_related` also serves autocomplete results and actions.

    The changelist applies `list_select_related` by itself; autocomplete and actions start from
    `get_queryset()` and print every object with `str()`, which may follow the same relations.
    """

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if isinstance(self.list_select_related, list | tuple):
            queryset = queryset.select_related(*self.list_select_related)
        return queryset


def set_state(modeladmin, request, queryset, state):
    """Move the selected records to `state`, stamp `published_at` once, and log the change."""
    changed = list(queryset.exclude(state=state))
    ids = [obj.pk for obj in changed]
    now = timezone.now()
    targets = modeladmin.model.objects.filter(pk__in=ids)
    if state == State.PUBLISHED:
        targets.filter(published_at__isnull=True).update(published_at=now)
    targets.update(state=state, updated_at=now)
    if changed:
        LogEntry.objects.log_actions(
            request.user.pk, changed, CHANGE, [{"changed": {"fields": ["State"]}}]
        )
    count = len(changed)
    modeladmin.message_user(
        request,
        f"{count} {model_ngettext(modeladmin.opts, count)} set to {State(state).label.lower()}.",
        messages.SUCCESS,
    )


@admin.action(description="Publish selected %(verbose_name_plural)s", permissions=["change"])
def publish(modeladmin, request, queryset):
    set_state(modeladmin, request, queryset, State.PUBLISHED)


@admin.action(description="Unpublish selected %(verbose_name_plural)s", permissions=["change"])
def unpublish(modeladmin, request, queryset):
    set_state(modeladmin, request, queryset, State.DRAFT)


PUBLISHING_FIELDS = ("state", "published_at", "created_at", "updated_at", "data_key")


class PublishableAdmin(EditorAdmin):
    """Admin for a `Publishable` model: publishing actions and a 'Publishing' fieldset last."""

    actions = [publish, unpublish]
    readonly_fields = ("published_at", "created_at", "updated_at", "data_key")

    def get_fieldsets(self, request, obj=None):
        if self.fieldsets:
            return super().get_fieldsets(request, obj)
        fields = [name for name in self.get_fields(request, obj) if name not in PUBLISHING_FIELDS]
        return [(None, {"fields": fields}), ("Publishing", {"fields": PUBLISHING_FIELDS})]

    def save_related(self, request, form, formsets, change):
        # The search vector covers inline rows too (a participant's names, an alias).
        super().save_related(request, form, formsets, change)
        refresh_search_vectors(self.model.objects.filter(pk=form.instance.pk))
