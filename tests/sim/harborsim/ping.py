"""Health check of a registry endpoint, as Harbor's native adapter does it.

Harbor's HealthCheck pings /v2/ of the endpoint: unauthenticated first; on a
Bearer challenge it fetches a token without scope using the credentials and
retries; a Basic challenge is answered with the credentials.  Without any
credential a 401/403 still counts as healthy (PingSimple).
"""

from .state import STATE

PING_TIMEOUT_S = 5.0


def client_for(registry, timeout=10.0):
    """ocilib.Client for a registry record (Harbor Registry dict)."""
    import ocilib
    cred = registry.get("credential") or {}
    user = cred.get("access_key") or None
    secret = cred.get("access_secret") or None
    return ocilib.Client(registry["url"], user, secret,
                         ca_file=STATE.ca_file,
                         insecure=bool(registry.get("insecure")),
                         timeout=timeout)


def check_health(registry):
    """(healthy, reason).  reason is "" when healthy."""
    import ocilib
    cred = registry.get("credential") or {}
    anonymous = not cred.get("access_key") and not cred.get("access_secret")
    try:
        client_for(registry, timeout=PING_TIMEOUT_S).ping()
        return True, ""
    except ocilib.RegistryError as e:
        if anonymous and e.status in (401, 403):
            return True, ""
        return False, e.message or str(e)
    except Exception as e:  # connection trouble surfaces as OSError etc.
        return False, str(e) or e.__class__.__name__
