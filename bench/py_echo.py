"""py_echo: a peer for make bench, not part of forkd.  What a Python user
would write: socketserver.ForkingTCPServer with a StreamRequestHandler
that echoes each line.  Its stock caps (max_children 40, a backlog of 5)
are raised so that it is measured, not its defaults.  Binds 127.0.0.1 on
a free port and prints "tcp_port=N"."""
import socketserver
import sys


class LineEcho(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(line)


class Server(socketserver.ForkingTCPServer):
    allow_reuse_address = True
    max_children = 1000000
    request_queue_size = 1024


with Server(("127.0.0.1", 0), LineEcho) as srv:
    print("tcp_port=%d" % srv.server_address[1])
    sys.stdout.flush()
    srv.serve_forever()
