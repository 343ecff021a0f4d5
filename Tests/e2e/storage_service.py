"""Real parts for the storage tests: an S3-compatible server (moto, SigV4 enforced), read back
independently with boto3, and a TCP proxy in front of it that can be cut (connections refused,
those open dropped) and slowed, to stand for a network outage or a slow link."""
import json
import socket
import subprocess
import sys
import threading
import time

import boto3

from peers import ROOT

MOTO_SERVER = ROOT / "Tests" / "ObjectStorageTests" / "moto_server.py"


class MotoS3:
    """moto's standalone server with one bucket and an IAM user allowed s3:* (see moto_server.py)."""

    def __init__(self, bucket: str = "recordings"):
        self.process = subprocess.Popen([sys.executable, str(MOTO_SERVER), bucket], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"moto did not start: {self.process.stderr.read()}")
        found = json.loads(line)
        self.endpoint, self.bucket, self.region = found["endpoint"], found["bucket"], found["region"]
        self.access_key_id, self.secret_access_key = found["access_key_id"], found["secret_access_key"]
        self.port = int(self.endpoint.rsplit(":", 1)[1])

    def env(self, endpoint: str | None = None, secret: str | None = None) -> dict:
        """The AWS SDK variables a tapedeck process reads its S3 configuration from."""
        return {"AWS_ACCESS_KEY_ID": self.access_key_id, "AWS_SECRET_ACCESS_KEY": secret or self.secret_access_key,
                "AWS_REGION": self.region, "AWS_ENDPOINT_URL_S3": endpoint or self.endpoint, "HOME": "/nonexistent"}

    def client(self):
        return boto3.client("s3", endpoint_url=self.endpoint, region_name=self.region,
                            aws_access_key_id=self.access_key_id, aws_secret_access_key=self.secret_access_key)

    def keys(self, prefix: str = "") -> list[str]:
        listing = self.client().list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def multipart_uploads(self) -> list[dict]:
        return self.client().list_multipart_uploads(Bucket=self.bucket).get("Uploads", [])

    def stop(self):
        self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target port. `cut()` makes the port refuse connections and
    drops those open, as an outage would; `restore()` serves again on the same port.
    `upload_bytes_per_second` slows what clients send (each connection on its own)."""

    def __init__(self, target_port: int, upload_bytes_per_second: int | None = None):
        self.target_port = target_port
        self.rate = upload_bytes_per_second
        self.lock = threading.Lock()
        self.connections: list[socket.socket] = []
        self.listener = self._listen(0)
        self.port = self.listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._serve(self.listener)

    def _listen(self, port: int) -> socket.socket:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", port))
        listener.listen(64)
        return listener

    def _serve(self, listener: socket.socket):
        def accept():
            while True:
                try:
                    client, _ = listener.accept()
                except OSError:
                    return
                try:
                    upstream = socket.create_connection(("127.0.0.1", self.target_port))
                except OSError:
                    client.close()
                    continue
                with self.lock:
                    self.connections += [client, upstream]
                threading.Thread(target=self._pump, args=(client, upstream, self.rate), daemon=True).start()
                threading.Thread(target=self._pump, args=(upstream, client, None), daemon=True).start()
        threading.Thread(target=accept, daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket, rate: int | None):
        chunk = 16 * 1024
        try:
            while True:
                data = source.recv(chunk)
                if not data:
                    break
                sink.sendall(data)
                if rate:
                    time.sleep(len(data) / rate)
        except OSError:
            pass
        for end in (source, sink):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()

    def cut(self):
        # shutdown, not close alone: it wakes the thread blocked in accept() and stops the
        # listening at once (a close leaves the socket listening until accept() returns).
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        with self.lock:
            connections, self.connections = self.connections, []
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            connection.close()

    def restore(self):
        self.listener = self._listen(self.port)
        self._serve(self.listener)

    def stop(self):
        self.cut()


__all__ = ["MotoS3", "TcpProxy"]
