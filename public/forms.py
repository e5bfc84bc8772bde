from django import forms

MAX_QUERY = 200


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search",
        required=False,
        max_length=MAX_QUERY,
        error_messages={"max_length": f"Search text is limited to {MAX_QUERY} characters."},
    )
    order = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=[("relevance", "Relevance"), ("date", "Date, newest first")],
        error_messages={
            "invalid_choice": "There is no order '%(value)s': use relevance or date.",
        },
    )
