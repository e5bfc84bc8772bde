from django.urls import reverse

from public.registry import kinds


def menu(request):
    """The main menu's entries for the public kinds, in registry order."""
    return {
        "menu_kinds": [
            (kind.title, reverse(f"{kind.namespace}:{kind.name}_list")) for kind in kinds().values()
        ]
    }
