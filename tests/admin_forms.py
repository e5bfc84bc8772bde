"""Posting an admin form as a browser would: what the page showed, with some fields changed."""

import datetime

from django.test import Client
from django.urls import reverse


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _posted(value):
    if isinstance(value, list | tuple):
        return [_posted(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(getattr(value, "pk", value))


def form_data(response, **changes):
    """The data an admin add or change page would send back, its inline rows included."""
    forms = [response.context["adminform"].form]
    for inline in response.context.get("inline_admin_formsets", []):
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else _posted(value)
    data.update(changes)
    return data


def logged_in(user):
    """A test client with `user` logged in."""
    client = Client()
    client.force_login(user)
    return client


def model_id(model):
    """A test id for a model: 'meetings.Meeting'."""
    return model._meta.label
