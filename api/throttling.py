from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle


class AnonThrottle(AnonRateThrottle):
    """Anonymous requests per client address, at `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["anon"]`.

    DRF's own class reads the rates once, when it is imported; this one reads them for each
    request, so that a changed setting (such as a test's) applies. The counts live in the cache:
    with Redis down they are lost, and requests are let through (sco_tracker/cache.py).
    """

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
