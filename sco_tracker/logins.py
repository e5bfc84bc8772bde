"""Admin logins: a limit of failures for each kind of client django-axes counts.

Axes counts failures for each entry of AXES_LOCKOUT_PARAMETERS (a username from one address, an
address whatever the username, a username from any address) but holds them all to one
AXES_FAILURE_LIMIT. LOGIN_FAILURE_LIMITS gives each its own: each count is scaled so that it
reaches AXES_FAILURE_LIMIT exactly when it reaches its own limit.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.db.models import Sum


def limit_of(parameters):
    """The failures allowed to one entry of AXES_LOCKOUT_PARAMETERS ('ip_address', or a list)."""
    key = (parameters,) if isinstance(parameters, str) else tuple(parameters)
    return settings.LOGIN_FAILURE_LIMITS[key]


class LimitPerClientHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        """The failures of the client nearest its limit, on the scale of AXES_FAILURE_LIMIT."""
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        scaled = [
            (found.aggregate(total=Sum("failures_since_start"))["total"] or 0)
            * settings.AXES_FAILURE_LIMIT
            // limit_of(each)
            for each, found in zip(parameters, attempts, strict=True)
        ]
        return max(scaled, default=0)
