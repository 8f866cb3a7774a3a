#!/usr/bin/env python3
"""A loopback-only static file server with HTTP Range support, for download tests.

Usage: range_server.py ROOT [--drop-after N] [--no-range]
Prints the chosen port on the first line of stdout, then serves ROOT on 127.0.0.1
until killed. --drop-after N: the first full (non-ranged) GET of each file sends
Content-Length for the whole file but closes the connection after N bytes, so the
client has to resume. --no-range: ignore Range headers (always 200 + whole file).
"""
import http.server
import os
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    root = "."
    drop_after = None
    no_range = False
    dropped = set()

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = os.path.normpath(os.path.join(self.root, self.path.lstrip("/").split("?")[0]))
        if not path.startswith(os.path.abspath(self.root)) or not os.path.isfile(path):
            self.send_error(404)
            return
        data = open(path, "rb").read()
        rng = self.headers.get("Range")
        start = 0
        if rng and not self.no_range and rng.startswith("bytes="):
            start = int(rng[6:].split("-")[0])
            if start >= len(data):
                self.send_response(416)
                self.send_header("Content-Range", "bytes */%d" % len(data))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        if self.drop_after is not None and start == 0 and path not in self.dropped:
            self.dropped.add(path)
            self.wfile.write(body[:self.drop_after])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


def main():
    args = sys.argv[1:]
    Handler.root = os.path.abspath(args[0])
    if "--drop-after" in args:
        Handler.drop_after = int(args[args.index("--drop-after") + 1])
    Handler.no_range = "--no-range" in args
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
