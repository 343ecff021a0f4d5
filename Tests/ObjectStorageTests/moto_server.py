"""An S3-compatible server for the ObjectStorage tests: moto, with SigV4 signatures enforced.

Starts moto on 127.0.0.1 and a free port, spends moto's four unauthenticated requests on making
an IAM user allowed s3:* with an access key, and the bucket; then prints one JSON line
{"endpoint", "bucket", "access_key_id", "secret_access_key", "region"} and serves until its
standard input closes, so it never outlives the test process that started it.

With --no-auth, signatures are never checked (moto cannot serve presigned URLs while it checks
signatures: it looks for an Authorization header and fails with a 500).

Usage: moto_server.py BUCKET [--no-auth]
"""

import json
import os
import sys

# moto reads this when it is imported: after four requests, every request must be signed.
if "--no-auth" not in sys.argv:
    os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "4"

import boto3  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

REGION = "us-east-1"


def main() -> None:
    bucket = sys.argv[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"

    def client(service: str):
        # Dummy keys: the first four requests are not checked.
        return boto3.client(service, endpoint_url=endpoint, region_name=REGION,
                            aws_access_key_id="setup", aws_secret_access_key="setup")

    iam = client("iam")
    iam.create_user(UserName="tapedeck")
    key = iam.create_access_key(UserName="tapedeck")["AccessKey"]
    iam.put_user_policy(
        UserName="tapedeck", PolicyName="s3-all",
        PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
    client("s3").create_bucket(Bucket=bucket)

    print(json.dumps({
        "endpoint": endpoint, "bucket": bucket, "region": REGION,
        "access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"],
    }), flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
