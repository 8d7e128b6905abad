"""The standard profile: what people add to a new Falcon app. Falcon ships no sessions,
authentication or CSRF protection (its documentation leaves them to middleware the app
chooses), so the standard profile adds the middleware that sends the security headers
Django's startproject MIDDLEWARE sends (SecurityMiddleware and XFrameOptionsMiddleware).

create_app() imports this module only for the standard profile."""

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class SecurityHeadersMiddleware:
    """Adds each security header the resource did not set itself."""

    def process_response(self, req, resp, resource, req_succeeded):
        for name, value in SECURITY_HEADERS.items():
            if resp.get_header(name) is None:
                resp.set_header(name, value)


def standard_middleware() -> list:
    return [SecurityHeadersMiddleware()]
