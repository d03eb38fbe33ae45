"""Runs the real `hookscope sign` and `hookscope verify` on raw HTTP/1.1 request files.

Used by the SDK cross-checks: every request goes through the CLI binary named by $HOOKSCOPE_BIN,
exactly as a user would run it.
"""

import json
import os
import subprocess
import tempfile
from urllib.parse import urlsplit


class Request:
    """A request as a provider sends it: method, public URL, headers (name, value) and body bytes."""

    def __init__(self, url, headers, body, method="POST"):
        self.method = method
        self.url = url
        self.headers = list(headers)
        self.body = body if isinstance(body, bytes) else body.encode("utf-8")

    def header(self, name):
        for key, value in self.headers:
            if key.lower() == name.lower():
                return value
        return None

    def with_headers(self, extra):
        names = {name.lower() for name, _ in extra}
        kept = [(n, v) for n, v in self.headers if n.lower() not in names]
        return Request(self.url, kept + list(extra), self.body, self.method)

    def with_body(self, body):
        return Request(self.url, self.headers, body, self.method)

    def with_url(self, url):
        return Request(url, self.headers, self.body, self.method)

    def raw(self):
        parts = urlsplit(self.url)
        target = parts.path or "/"
        if parts.query:
            target += "?" + parts.query
        lines = [f"{self.method} {target} HTTP/1.1", f"Host: {parts.netloc}"]
        lines += [f"{name}: {value}" for name, value in self.headers if name.lower() != "host"]
        return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + self.body


class Hookscope:
    """The CLI binary."""

    def __init__(self, binary=None):
        self.binary = binary or os.environ["HOOKSCOPE_BIN"]

    def _run(self, args, request):
        with tempfile.NamedTemporaryFile(suffix=".http", delete=False) as file:
            file.write(request.raw())
            path = file.name
        try:
            return subprocess.run(
                [self.binary, *args, "--request", path, "--url", request.url],
                capture_output=True,
                check=False,
            )
        finally:
            os.unlink(path)

    def sign(self, provider, secret, request, now):
        """The request with the headers `hookscope sign` set."""
        done = self._run(["sign", "--provider", provider, "--secret", secret, "--now", str(now)], request)
        if done.returncode != 0:
            raise RuntimeError(f"hookscope sign {provider} failed: {done.stderr.decode(errors='replace')}")
        head, _, body = done.stdout.partition(b"\r\n\r\n")
        headers = []
        for line in head.decode("utf-8").split("\r\n")[1:]:
            name, _, value = line.partition(":")
            headers.append((name.strip(), value.strip()))
        return Request(request.url, headers, body, request.method)

    def verify(self, provider, secrets, request, now):
        """The `--json` verdict of `hookscope verify`."""
        if isinstance(secrets, str):
            secrets = [secrets]
        args = ["verify", "--provider", provider, "--now", str(now), "--json"]
        for secret in secrets:
            args += ["--secret", secret]
        done = self._run(args, request)
        if done.returncode not in (0, 1):
            raise RuntimeError(f"hookscope verify {provider} failed: {done.stderr.decode(errors='replace')}")
        return json.loads(done.stdout)
