"""The playground's server: the page's files and a small JSON API over the library.

A thin layer, as Jupyter's and TensorBoard's local servers are: it reads the request,
calls `expression.answer` or a `Trainer`, and writes the answer as JSON. Every refusal
is JSON too (`{"error": message}` with a 4xx status) for the page to show inline; an
unexpected failure is a 500 with a one-line message, never a traceback, and the server
goes on serving. Requests are served in threads of their own (`ThreadingHTTPServer`).

Files are served only from the package's `static` folder, by name from a list made at
start: no path from the client is ever opened, so `..` in any spelling is a 404.
"""

import errno
import ipaddress
import json
import socket
import sys
import threading
import webbrowser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from . import expression
from .limits import Refusal, shown
from .training import Sessions, Trainer, since_of

STATIC = Path(__file__).with_name('static')
TYPES = {'.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
         '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png'}
FILES = {path.name: path for path in STATIC.iterdir() if path.suffix in TYPES}

MAX_BODY = 64 * 1024  # bytes in a request's body


class Handler(BaseHTTPRequestHandler):
    """One request: a file, or a call of the JSON API."""

    server_version = 'micrograd-playground'
    protocol_version = 'HTTP/1.1'
    timeout = 30  # seconds a client may take to send its request

    def do_GET(self):
        if not self._from_here():
            return
        url = urlsplit(self.path)
        if url.path.startswith('/api/'):
            return self._api('GET', url.path, {k: v[-1] for k, v in parse_qs(url.query).items()})
        name = unquote(url.path)
        name = 'index.html' if name == '/' else name.removeprefix('/static/')
        path = FILES.get(name)
        if path is None:
            return self._send(HTTPStatus.NOT_FOUND, b'not found\n', 'text/plain; charset=utf-8')
        self._send(HTTPStatus.OK, path.read_bytes(), TYPES[path.suffix])

    do_HEAD = do_GET

    def do_POST(self):
        if not self._from_here():
            return
        url = urlsplit(self.path)
        if 'Transfer-Encoding' in self.headers:  # a body in chunks: not read here
            self.close_connection = True
            return self._json(HTTPStatus.LENGTH_REQUIRED,
                              {'error': 'send the body with a Content-Length'})
        if self.headers.get_content_type() != 'application/json':
            self.close_connection = True  # (a page elsewhere cannot send JSON unasked)
            return self._json(HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                              {'error': 'the body must be JSON (Content-Type: application/json)'})
        try:
            length = int(self.headers.get('Content-Length') or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_BODY:
            self.close_connection = True  # the body is not read: the connection cannot go on
            return self._json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE if length > MAX_BODY
                              else HTTPStatus.BAD_REQUEST,
                              {'error': f"a request's body must be 0 to {MAX_BODY:,} bytes"})
        body = self.rfile.read(length)
        try:
            arguments = json.loads(body or b'{}')
        except (ValueError, RecursionError):
            return self._json(HTTPStatus.BAD_REQUEST, {'error': 'the body is not JSON'})
        if not isinstance(arguments, dict):
            return self._json(HTTPStatus.BAD_REQUEST, {'error': 'the body must be a JSON object'})
        self._api('POST', url.path, arguments)

    def _from_here(self):
        """Whether the request comes from the playground's own page. The server answers
        only to its own names (an address, localhost, this machine's name: a page
        elsewhere cannot point a name of its own here, DNS rebinding), and refuses pages
        from anywhere else (their Origin), as Jupyter's server does."""
        host = self.headers.get('Host', '')
        origin = self.headers.get('Origin')
        if not self.server.answers_to(host):
            why = f"the playground answers to its own addresses only, not to {shown(host)}"
        elif origin is not None and origin != f"http://{host}":
            why = f"requests from {shown(origin)} are refused: only the playground's own page"
        else:
            return True
        self.close_connection = True
        self._json(HTTPStatus.FORBIDDEN, {'error': why})
        return False

    def _api(self, method, path, arguments):
        route = ROUTES.get(path)
        if route is None:
            return self._json(HTTPStatus.NOT_FOUND, {'error': f"no such call: {path}"})
        if route[0] != method:
            return self._json(HTTPStatus.METHOD_NOT_ALLOWED,
                              {'error': f"{path} is called with {route[0]}, not {method}"})
        try:
            answer = route[1](self.server, arguments)
        except Refusal as e:
            return self._json(e.status, {'error': str(e)})
        except (ValueError, ArithmeticError) as e:  # the library's refusals: ExpressionError...
            return self._json(HTTPStatus.BAD_REQUEST, {'error': str(e)})
        except Exception as e:  # a fault of ours: one line, not a traceback; go on serving
            self.log_error('%s failed: %s: %s', path, type(e).__name__, e)
            return self._json(HTTPStatus.INTERNAL_SERVER_ERROR,
                              {'error': f"the server failed: {type(e).__name__}: {e}"})
        self._json(HTTPStatus.OK, answer)

    def _json(self, status, answer):
        self._send(status, _dumps(answer).encode(), 'application/json')

    def _send(self, status, body, kind):
        self.send_response(status)
        self.send_header('Content-Type', kind)
        self.send_header('Content-Length', str(len(body)))
        self.send_header('Cache-Control', 'no-store')
        self.send_header('X-Content-Type-Options', 'nosniff')
        self.end_headers()
        if self.command != 'HEAD':
            self.wfile.write(body)

    def log_message(self, format, *args):  # quiet: one line per request is noise here
        if self.server.verbose:
            super().log_message(format, *args)

    def log_error(self, format, *args):
        sys.stderr.write(f"micrograd playground: {format % args}\n")


def _dumps(answer):
    """JSON, with any number that is not finite (an overflowed score) as null."""
    try:
        return json.dumps(answer, allow_nan=False)
    except ValueError:
        return json.dumps(_nulled(answer), allow_nan=False)


def _nulled(x):
    """`x` with every float that is not finite replaced by None."""
    if isinstance(x, float):
        return x if x - x == 0 else None
    if isinstance(x, dict):
        return {k: _nulled(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_nulled(v) for v in x]
    return x


# -- the calls --------------------------------------------------------------------------

def _expression(server, a):
    return expression.answer(a.get('expression', ''), a.get('variables', ''))


def _reset(server, a):
    trainer = Trainer(a.get('settings', {}))
    server.sessions.replace(a.get('session'), trainer)
    return trainer.news()


def _training(act, create=False):
    """A call on the tab's trainer: its arguments checked (`since` first), `act(server,
    trainer, arguments)` done, its news the answer. `create`: the page's first question,
    which makes the tab's network."""
    def call(server, a):
        since, trainer = since_of(a), server.sessions.get(a.get('session'), create)
        act(server, trainer, a)
        return trainer.news(since)
    return call


def _points(server, trainer, a):
    action = a.get('action')
    if action == 'add':
        trainer.add(a.get('x'), a.get('y'), a.get('label'))
    elif action == 'remove':
        trainer.remove(a.get('index'))
    else:
        raise Refusal(f"action must be 'add' or 'remove', got {shown(action)}")


def _point_graph(server, a):
    return server.sessions.get(a.get('session')).point_graph(a.get('index'))


ROUTES = {
    '/api/health': ('GET', lambda server, a: {'ok': True}),
    '/api/expression': ('POST', _expression),
    # (a POST: a GET could come from any page)
    '/api/train/state': ('POST', _training(lambda s, t, a: None, create=True)),
    '/api/train/reset': ('POST', _reset),
    '/api/train/step': ('POST', _training(lambda s, t, a: t.step(a.get('steps', 1)))),
    '/api/train/start': ('POST', _training(lambda s, t, a: t.start(s.sessions.running()))),
    '/api/train/pause': ('POST', _training(lambda s, t, a: t.pause())),
    '/api/train/points': ('POST', _training(_points)),
    '/api/train/graph': ('POST', _point_graph),
}


class Server(ThreadingHTTPServer):
    """The playground's HTTP server, with the trainers of its open tabs."""

    daemon_threads = True

    def __init__(self, host='127.0.0.1', port=8000, verbose=False):
        self.sessions = Sessions()
        self.verbose = verbose
        if ':' in host:
            self.address_family = socket.AF_INET6
        super().__init__((host, port), Handler)
        self.names = {'localhost', socket.gethostname().lower(), socket.getfqdn().lower()}

    def answers_to(self, host):
        """Whether `host` (a Host header) names this server: its port, and an address
        (which no one can rebind) or one of this machine's own names."""
        name, _, port = host.rpartition(':')
        if port != str(self.server_address[1]):
            return False
        name = name.lower()
        if name.startswith('[') and name.endswith(']'):
            name = name[1:-1]
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return name in self.names

    @property
    def url(self):
        host, port = self.server_address[:2]
        return f"http://{'[' + host + ']' if ':' in host else host}:{port}/"

    def server_close(self):
        self.sessions.close()
        super().server_close()

    def handle_error(self, request, client_address):
        """One line, not a traceback; a page closed while it was answered is not news."""
        kind, error = sys.exc_info()[:2]
        if not issubclass(kind, ConnectionError):
            sys.stderr.write(f"micrograd playground: a request from {client_address[0]} "
                             f"failed: {kind.__name__}: {error}\n")


def start(host='127.0.0.1', port=0):
    """A server on a thread of its own (port 0: any free one); `.url` says where. Stop it
    with `.shutdown()` and `.server_close()`. For tests and notebooks."""
    server = Server(host, port)
    threading.Thread(target=server.serve_forever, daemon=True,
                     name='micrograd-playground').start()
    return server


def serve(host='127.0.0.1', port=8000, open_browser=True):
    """Serve the playground until Ctrl-C; returns the exit code (1: cannot listen)."""
    try:
        server = Server(host, port)
    except OSError as e:
        if e.errno == errno.EADDRINUSE:
            why = f"port {port} is in use: stop what uses it, or pass --port with another"
        elif e.errno == errno.EACCES:
            why = f"port {port} needs more privileges: pass --port with one above 1023"
        else:
            why = f"cannot listen on {host}:{port}: {e.strerror or e}"
        print(f"micrograd playground: {why}", file=sys.stderr)
        return 1
    print(f"micrograd playground: {server.url}  (Ctrl-C stops it)", flush=True)
    if open_browser:
        threading.Thread(target=webbrowser.open, args=(server.url,), daemon=True).start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("\nmicrograd playground: stopped", flush=True)
    finally:
        server.server_close()
    return 0
