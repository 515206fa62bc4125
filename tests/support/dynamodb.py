"""A real DynamoDB-compatible server (moto in server mode) on 127.0.0.1, for tests and
benchmarks, reached the way boto3 reaches DynamoDB: AWS_ENDPOINT_URL_DYNAMODB."""

from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

from tests.support.server import LoggedProcess, _free_port

# boto3 settings that keep every call on this machine: the local endpoint, made-up
# credentials, no config files, no instance-metadata lookups.
_AWS_LOCAL = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}
HASH_KEY = "5e" * 32  # IVIG_HASH_KEY's form: 64 hex digits


class LocalDynamoDB(LoggedProcess):
    """moto's server in its own process, on a free port of 127.0.0.1."""

    def __init__(self, log_dir: Path):
        self.port = _free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        super().__init__("moto server", [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
                         log_dir / "dynamodb.log")
        self.wait_ready(self.endpoint + "/moto-api/", any_status=True)

    @property
    def env(self) -> dict[str, str]:
        """The environment a process needs to use this server as its DynamoDB."""
        return {**_AWS_LOCAL, "AWS_ENDPOINT_URL_DYNAMODB": self.endpoint, "AWS_ENDPOINT_URL": self.endpoint}

    def store_env(self, table: str | None = None, *, keep_health_data: bool = True) -> dict[str, str]:
        """The environment of a skill process with IVIG_STORE=dynamodb on `table` (a new one by
        default), keeping health data unless told not to (so that a check can be resumed)."""
        return {**self.env, "IVIG_STORE": "dynamodb", "IVIG_DYNAMODB_TABLE": table or new_table_name(),
                "IVIG_HASH_KEY": HASH_KEY, "IVIG_KEEP_HEALTH_DATA": "true" if keep_health_data else "false"}

    def client(self):
        import boto3

        return boto3.client("dynamodb", endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def people_items(self, table: str) -> list[dict]:
        """A table's items of people (not the store's record of its hashing key's fingerprint)."""
        items = self.client().scan(TableName=table, ConsistentRead=True)["Items"]
        return [item for item in items if item["user_hash"]["S"] != "#meta"]


def new_table_name() -> str:
    return f"ivig-test-{uuid.uuid4().hex[:12]}"
