"""A TCP relay: accepts on one address and port and connects each client through to a target.

It lets a process in a network namespace reach a server that listens on the root namespace's
loopback only (the throwaway PostgreSQL of scripts/test-postgres): the relay listens on the
namespace link's `outer` address. Bytes are passed on as they come, nothing is read into them;
cutting the relay's port with nftables cuts the namespace off from the server."""
import socket
import threading


class TcpRelay:
    def __init__(self, listen_host: str, target: tuple[str, int]):
        self.target = target
        self.server = socket.create_server((listen_host, 0))
        self.host, self.port = self.server.getsockname()[:2]
        self.closed = False
        self.connections = 0
        self._sockets = []
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return  # closed
            try:
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self.closed:
                    client.close()
                    upstream.close()
                    return
                self.connections += 1
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self):
        with self._lock:
            self.closed = True
            sockets, self._sockets = self._sockets, []
        self.server.close()
        for end in sockets:
            try:
                end.close()
            except OSError:
                pass
