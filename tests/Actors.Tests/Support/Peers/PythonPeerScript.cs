namespace ActorHttp.Actors.Tests.Support.Peers;

/// <summary>
/// The Python program <see cref="PythonHttpServer"/> runs: <c>http.server</c>'s
/// <c>ThreadingHTTPServer</c> with a handler whose routes are listed on the server type. It
/// prints <c>PORT n</c> when listening, <c>ACCEPTED p</c> / <c>CLOSED p</c> per connection
/// (p = client port), and exits when its stdin closes so a crashed test run leaves no orphan.
/// Kept as a C# string so the test project needs no embedded-resource entry.
/// </summary>
internal static class PythonPeerScript
{
    public const string Source = """
import base64, json, os, sys, threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

_out = threading.Lock()

def emit(line):
    with _out:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

def pattern(n):
    return bytes(i % 251 for i in range(n))

class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 with Content-Length is the default; routes that want 1.0 switch per instance.
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):
        pass

    def read_body(self):
        trailers = []
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                line = self.rfile.readline(65537)
                size = int(line.split(b";", 1)[0].strip(), 16)
                if size == 0:
                    while True:
                        t = self.rfile.readline(65537)
                        if t in (b"\r\n", b"\n", b""):
                            break
                        name, _, value = t.decode("latin-1").partition(":")
                        trailers.append((name.strip(), value.strip()))
                    break
                parts.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(parts), trailers
        n = int(self.headers.get("Content-Length") or 0)
        return (self.rfile.read(n) if n else b""), trailers

    def send(self, code, body, content_type="text/plain", extra=(), close=False):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        if code not in (204, 304):
            # RFC 9110 §8.6: no Content-Length on 204, and 304's would describe another response.
            self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def lists(self, pairs):
        out = {}
        for name, value in pairs:
            key = next((k for k in out if k.lower() == name.lower()), name)
            out.setdefault(key, []).append(value)
        return out

    def route(self):
        url = urlsplit(self.path)
        path = url.path
        if path == "/close-delimited":
            # HTTP/1.0 framing: no Content-Length, the body ends when the server closes.
            n = int(url.query[len("bytes="):]) if url.query.startswith("bytes=") else 1000
            self.protocol_version = "HTTP/1.0"
            self.close_connection = True
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(pattern(n))
            return
        if path == "/keepalive":
            self.send(200, b"keep-alive\n")
            return
        if path == "/close":
            self.send(200, b"closing\n", close=True)
            return
        if path == "/conn":
            self.send(200, str(self.client_address[1]).encode())
            return
        if path == "/echo":
            body, _ = self.read_body()
            self.send(200, body, self.headers.get("Content-Type", "application/octet-stream"))
            return
        if path.startswith("/status/"):
            self.send(int(path[len("/status/"):]), b"")
            return
        if path == "/anything" or path.startswith("/anything/"):
            body, trailers = self.read_body()
            doc = {
                "method": self.command,
                "target": self.path,
                "path": path,
                "query": url.query,
                "proto": self.request_version,
                "host": self.headers.get("Host", ""),
                "headers": self.lists(self.headers.items()),
                "body_b64": base64.b64encode(body).decode("ascii"),
                "trailers": self.lists(trailers),
                "remote_port": self.client_address[1],
            }
            self.send(200, json.dumps(doc).encode(), "application/json")
            return
        self.send(404, b"not found\n")

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = route

class Server(ThreadingHTTPServer):
    daemon_threads = True

    def process_request(self, request, client_address):
        emit("ACCEPTED %d" % client_address[1])
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        try:
            port = request.getpeername()[1]
        except OSError:
            port = 0
        super().shutdown_request(request)
        emit("CLOSED %d" % port)

def watch_stdin():
    sys.stdin.read()
    os._exit(0)

server = Server(("127.0.0.1", 0), Handler)
threading.Thread(target=watch_stdin, daemon=True).start()
emit("PORT %d" % server.server_address[1])
server.serve_forever()
""";
}
