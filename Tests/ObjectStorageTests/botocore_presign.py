"""botocore's presigned GET URL, for comparison with ObjectStorage's: reads one JSON object
{"endpoint", "bucket", "key", "region", "access_key_id", "secret_access_key", "session_token",
"expires", "time"} (time in seconds since 1970) on standard input and prints the URL botocore
signs for it, path-style, at that time."""

import datetime
import json
import sys
from unittest import mock

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.utils import percent_encode

request = json.load(sys.stdin)
instant = datetime.datetime.fromtimestamp(request["time"], datetime.timezone.utc).replace(tzinfo=None)


class FrozenDatetime(datetime.datetime):
    @classmethod
    def utcnow(cls):
        return instant

    @classmethod
    def now(cls, tz=None):
        return instant.replace(tzinfo=tz) if tz else instant


credentials = Credentials(request["access_key_id"], request["secret_access_key"], request.get("session_token"))
key = "/".join(percent_encode(part) for part in request["key"].split("/"))
aws_request = AWSRequest("GET", f"{request['endpoint']}/{request['bucket']}/{key}")
with mock.patch.object(botocore.auth.datetime, "datetime", FrozenDatetime):
    botocore.auth.S3SigV4QueryAuth(credentials, "s3", request["region"], expires=request["expires"]).add_auth(aws_request)
print(aws_request.url)
