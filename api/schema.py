"""How the OpenAPI schema describes the API: the errors it answers with and its parameters."""

import re

from django import forms
from django_filters import filters
from drf_spectacular import openapi
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.plumbing import build_parameter_type, get_manager, get_view_model
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong.")


FIELD_ERRORS = {
    "type": "object",
    "description": "The messages for each parameter that could not be read.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}


class AutoSchema(openapi.AutoSchema):
    """Documents, beside each operation's result, the errors it can answer with."""

    def get_response_serializers(self):
        result = super().get_response_serializers()
        if isinstance(result, dict):  # responses given explicitly with @extend_schema
            return result
        responses = {200: result}
        if self._is_list_view(result):
            responses[400] = OpenApiResponse(FIELD_ERRORS, description="A filter is invalid.")
            responses[404] = OpenApiResponse(ErrorSerializer, description="No such page.")
        else:
            responses[404] = OpenApiResponse(ErrorSerializer, description="No such record.")
        responses[429] = OpenApiResponse(ErrorSerializer, description="Too many requests.")
        return responses


# A longer list of choices (years, months) is described by its range or its shape.
LONG_CHOICES = 50


def span_of(choices):
    """1990 to 2100 as an integer range; 1990-01 to 2100-12 as the pattern of YYYY-MM.

    Choices of other shapes (not all digits and hyphens alike) stay a list.
    """
    whole = all(isinstance(value, int) for value in choices)
    if whole and sorted(choices) == list(range(min(choices), max(choices) + 1)):
        return {"type": "integer", "minimum": min(choices), "maximum": max(choices)}
    shapes = {re.sub(r"\d", r"\\d", str(value)) for value in choices}
    if len(shapes) == 1 and re.fullmatch(r"(\\d|-)+", next(iter(shapes))):
        return {"type": "string", "pattern": f"^{shapes.pop()}$"}
    return {"type": "string", "enum": choices}


def with_empty_value(parameter):
    """Says that an empty single value (`as_of=`, as a blank form field sends) is no filter.

    A list parameter has no such leniency: each of its values must be one the filter knows.
    """
    if parameter["schema"].get("type") != "array":
        parameter["allowEmptyValue"] = True
    return parameter


class FilterSetExtension(DjangoFilterExtension):
    """The FilterSet's parameters, typed from the form fields that read them.

    The stock extension reads the FilterSet class, so it misses fields checked by a pattern
    (months), and it types a filter by the model field of the same name, which method
    filters do not have. This one reads the filters of a FilterSet instance and gives record
    references (slugs), whole numbers and days their real types.
    """

    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        model = get_view_model(auto_schema.view)
        queryset = get_manager(model).none()
        filterset_class = self.target.get_filterset_class(auto_schema.view, queryset)
        filterset = filterset_class(queryset=queryset)
        parameters = []
        for name, filter_field in filterset.filters.items():
            parameters += self.resolve_filter_field(
                auto_schema, model, filterset_class, name, filter_field
            )
        return [with_empty_value(parameter) for parameter in parameters]

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        field = filter_field.field
        if isinstance(filter_field, (filters.ModelChoiceFilter, filters.ModelMultipleChoiceFilter)):
            item = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"}
            what = field.queryset.model._meta.verbose_name
            description = f"{filter_field.label}: the slug of a {what}."
            return [self._parameter(field_name, filter_field, item, description)]
        if isinstance(field, forms.IntegerField) and not isinstance(field, forms.ChoiceField):
            item = {"type": "integer", "minimum": field.min_value, "maximum": field.max_value}
            item = {key: value for key, value in item.items() if value is not None}
            return [self._parameter(field_name, filter_field, item, filter_field.label)]
        if getattr(field, "pattern", None):
            item = {"type": "string", "pattern": f"^{field.pattern}$"}
            description = f"{filter_field.label}, written YYYY-MM."
            return [self._parameter(field_name, filter_field, item, description)]
        if isinstance(field, forms.DateField):
            item = {"type": "string", "format": "date"}
            return [self._parameter(field_name, filter_field, item, filter_field.label)]
        choices = [value for value, _ in getattr(field, "choices", [])]
        if len(choices) > LONG_CHOICES:
            item = span_of(choices)
            description = f"{filter_field.label}: from {choices[0]} to {choices[-1]}."
            return [self._parameter(field_name, filter_field, item, description)]
        parameters = super().resolve_filter_field(
            auto_schema, model, filterset_class, field_name, filter_field
        )
        if isinstance(field, forms.CharField) and field.max_length:
            for parameter in parameters:
                parameter["schema"]["maxLength"] = field.max_length
        return parameters

    def _parameter(self, name, filter_field, item, description):
        many = isinstance(filter_field, filters.MultipleChoiceFilter)
        return build_parameter_type(
            name=name,
            location=OpenApiParameter.QUERY,
            description=description,
            schema={"type": "array", "items": item} if many else item,
            required=filter_field.extra["required"],
            explode=True if many else None,
            style="form" if many else None,
        )
