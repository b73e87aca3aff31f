"""Content-Security-Policy for every response: strict, no 'unsafe-inline', no third-party origins.

The site's own pages load one stylesheet and one deferred script from /static/; the JSON-LD block is
a data block (type="application/ld+json"), which CSP does not treat as script. The Django admin uses
only external scripts and stylesheets too. Positions of the annotation cards are set through the
CSSOM (element.style), which `style-src` without 'unsafe-inline' allows; style="" attributes are not.

A view that needs another policy sets its own Content-Security-Policy header; this middleware then
leaves it alone. CONTENT_SECURITY_POLICY_PATHS relaxes directives under a path prefix: the API's
third-party HTML pages (browsable API, Swagger UI, Redoc) set inline styles at run time, so under
/api/ styles may be inline; scripts stay 'self' everywhere.
"""

from django.conf import settings

DEFAULT_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


def policy_header(policy):
    return "; ".join(f"{directive} {' '.join(sources)}" for directive, sources in policy.items())


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        policy = {**DEFAULT_POLICY, **getattr(settings, "CONTENT_SECURITY_POLICY", {})}
        self.header = policy_header(policy)
        self.by_prefix = [
            (prefix, policy_header({**policy, **overrides}))
            for prefix, overrides in getattr(settings, "CONTENT_SECURITY_POLICY_PATHS", {}).items()
        ]
        self.report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", False)

    def __call__(self, request):
        response = self.get_response(request)
        name = "Content-Security-Policy-Report-Only" if self.report_only else "Content-Security-Policy"
        if "Content-Security-Policy" not in response and "Content-Security-Policy-Report-Only" not in response:
            header = self.header
            for prefix, relaxed in self.by_prefix:
                if request.path.startswith(prefix):
                    header = relaxed
                    break
            response[name] = header
        return response
