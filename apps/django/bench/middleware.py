"""ContentLengthMiddleware: the one middleware of the minimal profile."""


class ContentLengthMiddleware:
    """Sets Content-Length on non-streaming responses, as CommonMiddleware does in the
    standard profile, so every server frames the response by length (contract: framing)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.streaming and not response.has_header("Content-Length"):
            response.headers["Content-Length"] = str(len(response.content))
        return response
