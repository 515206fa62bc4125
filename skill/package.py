"""`ivig-skill package --out DIR`: an ASK CLI project that `ask deploy` can deploy.

    DIR/ask-resources.json                      the project: skill package, code, infrastructure
    DIR/skill-package/skill.json                the manifest (words from content/manifest.toml)
    DIR/skill-package/interactionModels/custom/<locale>.json   skill.models.build_model, as is
    DIR/infrastructure/skill-stack.json         CloudFormation: Lambda, DynamoDB table, role, logs
    DIR/lambda/                                 the function's code, unpacked (ASK CLI's code src)
    DIR/lambda.zip                              the same code as the zip that is uploaded
    DIR/hooks/build.sh                          hands ASK CLI that zip instead of re-zipping

The zip is made from what is installed here (no network, no AWS account): the `skill`
package and the distributions it needs at run time, less what a Lambda function does not
use (the web server, request verification) and boto3, which Lambda's Python runtime
provides. Compiled wheels are copied as installed, so the function's runtime and
architecture are this interpreter's (python3.X, x86_64 or arm64) and the build machine
must be Linux."""

from __future__ import annotations

import importlib.util
import json
import os
import platform
import py_compile
import re
import secrets
import shutil
import stat
import sys
import tempfile
import tomllib
import zipfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

from skill import knowledge, models
from skill.config import KEY_BYTES
from skill.speech import SUPPORTED_LOCALES, emergency_number

HANDLER = "skill.lambda_function.lambda_handler"
COUNTRIES = {"en-US": "US", "en-GB": "GB", "en-CA": "CA", "en-AU": "AU", "en-IN": "IN"}
# Distributions the Lambda function never imports: the web endpoint and its request
# verification, the test tools, and boto3 with its own dependencies (in Lambda's runtime).
NOT_IN_LAMBDA = {"flask", "waitress", "cryptography", "boto3", "botocore", "s3transfer", "jmespath"}
_SKIPPED_PARTS = {"__pycache__", "tests", "test"}  # (bytecode is compiled afresh: `compiled`)
_SKIPPED_SUFFIXES = (".pyc", ".pyo", ".pyi")
LAMBDA_ZIP_LIMIT = 50 * 1024 * 1024


@dataclass(frozen=True)
class Written:
    out: Path
    files: tuple[Path, ...]
    zip_path: Path
    zip_bytes: int
    unzipped_bytes: int
    distributions: tuple[str, ...]
    warnings: tuple[str, ...]


def manifest_words() -> dict:
    text = resources.files("skill.content").joinpath("manifest.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _fields(locale: str) -> dict[str, str]:
    source = knowledge.source()
    return {"emergency_number": emergency_number(locale), "title": source.title, "publisher": source.publisher,
            "reviewed": f"{source.reviewed:%B} {source.reviewed.day}, {source.reviewed.year}",
            "invocation": models.model_source()["invocation_name"]}


def skill_manifest(*, endpoint: str | None = None, certificate: str = "Wildcard", keep_health_data: bool = False,
                   privacy_policy_url: str | None = None, terms_url: str | None = None) -> dict:
    """skill.json. Without `endpoint`, ASK CLI writes the Lambda function's ARN into
    apis.custom.endpoint after it deploys the stack (the SkillEndpoint output). A deployment
    that keeps health data uses personal information."""
    words = manifest_words()
    publishing, privacy = words["publishing"], words["privacy"]
    locales, privacy_locales = {}, {}
    for locale in SUPPORTED_LOCALES:
        fields = _fields(locale)
        locales[locale] = {
            "name": publishing["name"],
            "summary": publishing["summary"].format(**fields),
            "description": publishing["description"].format(**fields),
            "examplePhrases": [phrase.format(**fields) for phrase in publishing["example_phrases"]],
            "keywords": list(publishing["keywords"]),
        }
        urls = {k: v for k, v in (("privacyPolicyUrl", privacy_policy_url), ("termsOfUseUrl", terms_url)) if v}
        if urls:
            privacy_locales[locale] = urls
    custom: dict = {"interfaces": [{"type": "AUDIO_PLAYER"}]}
    if endpoint:
        custom["endpoint"] = {"uri": endpoint}
        if endpoint.startswith("https://"):
            custom["endpoint"]["sslCertificateType"] = certificate
    compliance = {"allowsPurchases": privacy["allows_purchases"],
                  "usesPersonalInfo": privacy["uses_personal_info"] or keep_health_data,
                  "isChildDirected": privacy["is_child_directed"], "isExportCompliant": privacy["is_export_compliant"],
                  "containsAds": privacy["contains_ads"]}
    if privacy_locales:
        compliance["locales"] = privacy_locales
    return {"manifest": {
        "manifestVersion": "1.0",
        "publishingInformation": {
            "locales": locales,
            "isAvailableWorldwide": False,
            "distributionCountries": [COUNTRIES[locale] for locale in SUPPORTED_LOCALES],
            "distributionMode": "PUBLIC",
            "category": words["category"],
            "testingInstructions": publishing["testing_instructions"].format(**_fields("en-US")),
        },
        "privacyAndCompliance": compliance,
        "apis": {"custom": custom},
    }}


def lambda_runtime() -> tuple[str, str]:
    """The function's runtime and architecture: this interpreter's, as the copied wheels are."""
    machine = platform.machine().lower()
    architecture = {"x86_64": "x86_64", "amd64": "x86_64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    return f"python{sys.version_info.major}.{sys.version_info.minor}", architecture


def template() -> dict:
    """The CloudFormation template: the function, its table, a role that can do only what the
    function does, and its log group. ASK CLI's cfn-deployer passes SkillId, LambdaRuntime,
    LambdaHandler and the Code* parameters; ask-resources.json passes the rest."""
    string = {"Type": "String"}
    table_arn = {"Fn::GetAtt": ["Table", "Arn"]}
    log_group = {"Fn::Sub": "/aws/lambda/${AWS::StackName}-skill"}
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "IVIG Helper: the Alexa skill's Lambda function and its DynamoDB table.",
        "Parameters": {
            "SkillId": {**string, "Description": "The Alexa skill's id: the only skill that may invoke the function."},
            "LambdaRuntime": {**string, "Default": lambda_runtime()[0]},
            "LambdaHandler": {**string, "Default": HANDLER},
            "CodeBucket": string, "CodeKey": string, "CodeVersion": string,
            "Architecture": {**string, "Default": lambda_runtime()[1], "AllowedValues": ["x86_64", "arm64"]},
            "HashKey": {**string, "NoEcho": True, "AllowedPattern": "^[0-9a-fA-F]{64}$",
                        "Description": "The secret user ids are hashed with (IVIG_HASH_KEY, 64 hex digits); "
                                       "keep it for good."},
            "TableName": {**string, "Default": "ivig-skill"},
            "ResumeHours": {**string, "Default": "12", "AllowedPattern": r"^[0-9]+(\.[0-9]+)?$",
                            "Description": "How long an unfinished symptom check is kept (IVIG_RESUME_HOURS)."},
            "KeepHealthData": {**string, "Default": "false", "AllowedValues": ["true", "false"],
                               "Description": "Keep unfinished and (with each person's yes) finished symptom "
                                              "checks (IVIG_KEEP_HEALTH_DATA): HIPAA-eligible skills only."},
            "AudioBaseUrl": {**string, "Default": "",
                             "Description": "HTTPS address of the rendered audio folder (IVIG_AUDIO_BASE_URL)."},
        },
        "Resources": {
            "Table": {
                "Type": "AWS::DynamoDB::Table",
                "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain",
                "Properties": {
                    "TableName": {"Ref": "TableName"},
                    "BillingMode": "PAY_PER_REQUEST",
                    "AttributeDefinitions": [{"AttributeName": "user_hash", "AttributeType": "S"},
                                             {"AttributeName": "attribute", "AttributeType": "S"}],
                    "KeySchema": [{"AttributeName": "user_hash", "KeyType": "HASH"},
                                  {"AttributeName": "attribute", "KeyType": "RANGE"}],
                    "TimeToLiveSpecification": {"AttributeName": "expires_at", "Enabled": True},
                    "SSESpecification": {"SSEEnabled": True},
                },
            },
            "LogGroup": {
                "Type": "AWS::Logs::LogGroup",
                "DeletionPolicy": "Delete", "UpdateReplacePolicy": "Delete",
                "Properties": {"LogGroupName": log_group, "RetentionInDays": 14},
            },
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{
                        "Effect": "Allow", "Principal": {"Service": ["lambda.amazonaws.com"]},
                        "Action": ["sts:AssumeRole"]}]},
                    "Policies": [{"PolicyName": "ivig-skill", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                        {"Sid": "Logs", "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                         "Resource": {"Fn::GetAtt": ["LogGroup", "Arn"]}},
                        {"Sid": "Store", "Effect": "Allow",
                         "Action": ["dynamodb:DescribeTable", "dynamodb:Query", "dynamodb:UpdateItem",
                                    "dynamodb:DeleteItem"],
                         "Resource": table_arn},
                    ]}}],
                },
            },
            "Function": {
                "Type": "AWS::Lambda::Function",
                "DependsOn": ["LogGroup"],
                "Properties": {
                    "FunctionName": {"Fn::Sub": "${AWS::StackName}-skill"},
                    "Code": {"S3Bucket": {"Ref": "CodeBucket"}, "S3Key": {"Ref": "CodeKey"},
                             "S3ObjectVersion": {"Ref": "CodeVersion"}},
                    "Handler": {"Ref": "LambdaHandler"},
                    "Runtime": {"Ref": "LambdaRuntime"},
                    "Architectures": [{"Ref": "Architecture"}],
                    "Role": {"Fn::GetAtt": ["Role", "Arn"]},
                    "MemorySize": 1024,
                    "Timeout": 8,
                    "Environment": {"Variables": {
                        "ALEXA_SKILL_ID": {"Ref": "SkillId"},
                        "IVIG_STORE": "dynamodb",
                        "IVIG_DYNAMODB_TABLE": {"Ref": "Table"},
                        "IVIG_HASH_KEY": {"Ref": "HashKey"},
                        "IVIG_RESUME_HOURS": {"Ref": "ResumeHours"},
                        "IVIG_KEEP_HEALTH_DATA": {"Ref": "KeepHealthData"},
                        "IVIG_AUDIO_DIR": "audio",
                        "IVIG_AUDIO_BASE_URL": {"Ref": "AudioBaseUrl"},
                        "IVIG_DATA_DIR": "/tmp/ivig",
                    }},
                },
            },
            "AlexaPermission": {
                "Type": "AWS::Lambda::Permission",
                "Properties": {"Action": "lambda:InvokeFunction", "FunctionName": {"Fn::GetAtt": ["Function", "Arn"]},
                               "Principal": "alexa-appkit.amazon.com", "EventSourceToken": {"Ref": "SkillId"}},
            },
        },
        "Outputs": {
            "SkillEndpoint": {"Description": "The function's ARN, the skill's endpoint",
                              "Value": {"Fn::GetAtt": ["Function", "Arn"]}},
            "TableName": {"Value": {"Ref": "Table"}},
        },
    }


def ask_resources(hash_key: str, region: str, *, with_lambda: bool = True, keep_health_data: bool = False) -> dict:
    profile: dict = {"skillMetadata": {"src": "./skill-package"}}
    if with_lambda:
        runtime, architecture = lambda_runtime()
        profile["code"] = {"default": {"src": "./lambda"}}
        profile["skillInfrastructure"] = {"type": "@ask-cli/cfn-deployer", "userConfig": {
            "runtime": runtime, "handler": HANDLER, "awsRegion": region,
            "templatePath": "./infrastructure/skill-stack.json",
            "cfn": {"parameters": {"HashKey": hash_key, "Architecture": architecture,
                                   "KeepHealthData": "true" if keep_health_data else "false"}},
        }}
    return {"askcliResourcesVersion": "2020-03-31", "profiles": {"default": profile}}


_BUILD_HOOK = """#!/bin/sh
# ASK CLI's build step: hand it the zip `ivig-skill package` made (and measured) as it is.
# $1 is where ASK CLI wants the built zip.
set -e
cp "$(dirname "$0")/../lambda.zip" "$1"
"""


# ---- the function's code ---------------------------------------------------------------------

def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _needed(requirement: str) -> bool:
    """A requirement that applies here and now (not an extra's, markers met)."""
    try:
        from packaging.requirements import Requirement
    except ImportError:  # pragma: no cover - pip's copy, when packaging is not installed
        from pip._vendor.packaging.requirements import Requirement
    parsed = Requirement(requirement)
    return parsed.marker is None or parsed.marker.evaluate({"extra": ""})


def runtime_distributions() -> list[metadata.Distribution]:
    """ivig-skill's run-time dependencies and theirs, less NOT_IN_LAMBDA."""
    wanted, seen, queue = [], set(), [r for r in metadata.requires("ivig-skill") or [] if _needed(r)]
    while queue:
        name = _name(queue.pop(0))
        if name in seen or name in NOT_IN_LAMBDA:
            continue
        seen.add(name)
        dist = metadata.distribution(name)
        wanted.append(dist)
        queue.extend(r for r in dist.requires or [] if _needed(r))
    return wanted


def _keep(relative: Path) -> bool:
    return not (set(relative.parts) & _SKIPPED_PARTS or relative.suffix in _SKIPPED_SUFFIXES
                or relative.parts[0] == ".." or relative.is_absolute())


def code_files(audio_dir: Path | None = None) -> dict[str, Path]:
    """{path in the zip: file here}: the skill package, its distributions, the audio manifest."""
    files: dict[str, Path] = {}
    package = Path(resources.files("skill")).resolve()  # type: ignore[arg-type]
    for path in sorted(package.rglob("*")):
        relative = path.relative_to(package.parent)
        if path.is_file() and _keep(relative):
            files[relative.as_posix()] = path
    for dist in runtime_distributions():
        for entry in dist.files or []:
            relative = Path(entry)
            path = Path(dist.locate_file(entry))
            if _keep(relative) and path.is_file():
                files.setdefault(relative.as_posix(), path)
    if audio_dir is not None and (Path(audio_dir) / "manifest.json").is_file():
        files["audio/manifest.json"] = Path(audio_dir) / "manifest.json"  # the clips are served from elsewhere
    return files


def compiled(files: dict[str, Path], workdir: Path) -> dict[str, Path]:
    """Bytecode for every module, beside its source as Python looks for it. Lambda's code
    folder is read-only, so without it every cold start compiles every module again. The
    bytecode is unchecked-hash (valid whatever the files' times after unzipping), for this
    interpreter's version, which is the function's runtime (lambda_runtime)."""
    jobs = [(name, str(path), str(workdir / importlib.util.cache_from_source(name)))
             for name, path in files.items() if name.endswith(".py")]
    with ProcessPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        done = pool.map(_compile, jobs, chunksize=64)
        return {importlib.util.cache_from_source(name): Path(target)
                for (name, _, target), ok in zip(jobs, done) if ok}


def _compile(job: tuple[str, str, str]) -> bool:
    name, source, target = job
    try:
        py_compile.compile(source, cfile=target, dfile=name, doraise=True,
                           invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
    except py_compile.PyCompileError:  # a file this Python can't compile is never imported by it
        return False
    return True


def write_zip(files: dict[str, Path], zip_path: Path) -> int:
    """A reproducible zip (fixed times, sorted names, files world-readable as Lambda needs)."""
    with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            mode = 0o755 if os.access(files[name], os.X_OK) else 0o644
            info.external_attr = (stat.S_IFREG | mode) << 16
            archive.writestr(info, files[name].read_bytes())
    return zip_path.stat().st_size


# ---- the project -----------------------------------------------------------------------------

def project_hash_key(out: Path, given: str | None = None) -> str:
    """The stack's hashing key: the one given, else the one a project already in `out` has
    (so packaging again keeps everyone's data findable), else a new one."""
    if given:
        return given
    try:
        config = json.loads((Path(out) / "ask-resources.json").read_text())
        return config["profiles"]["default"]["skillInfrastructure"]["userConfig"]["cfn"]["parameters"]["HashKey"]
    except (OSError, ValueError, KeyError, TypeError):
        return secrets.token_hex(KEY_BYTES)


def _write_json(path: Path, data: dict, written: list[Path], mode: int | None = None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if mode is not None:
        path.chmod(mode)
    written.append(path)


def write_project(out: Path, *, endpoint: str | None = None, certificate: str = "Wildcard",
                  region: str = "us-east-1", hash_key: str | None = None, audio_dir: Path | None = None,
                  keep_health_data: bool = False, privacy_policy_url: str | None = None,
                  terms_url: str | None = None) -> Written:
    """Writes the ASK CLI project into `out`. With an https `endpoint` (self-hosted) there is
    no Lambda code or stack, only the skill package pointing at it."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    warnings: list[str] = []
    with_lambda = not (endpoint or "").startswith("https://")
    if keep_health_data:
        warnings.append("--keep-health-data: publish only as a HIPAA-eligible skill (see the README's Health "
                        "data section): en-US only, account linking and a PIN before anything kept is read back")
        if not privacy_policy_url:
            warnings.append("no --privacy-policy-url: a skill that keeps personal information needs one "
                            "for certification")
    _write_json(out / "skill-package" / "skill.json",
                skill_manifest(endpoint=endpoint, certificate=certificate, keep_health_data=keep_health_data,
                               privacy_policy_url=privacy_policy_url, terms_url=terms_url), written)
    for locale in SUPPORTED_LOCALES:
        _write_json(out / "skill-package" / "interactionModels" / "custom" / f"{locale}.json",
                    models.build_model(locale), written)
    key = project_hash_key(out, hash_key)
    _write_json(out / "ask-resources.json",
                ask_resources(key, region, with_lambda=with_lambda, keep_health_data=keep_health_data), written,
                mode=0o600)  # it holds the hashing key
    zip_path, zip_bytes, unzipped, names = out / "lambda.zip", 0, 0, ()
    if with_lambda:
        _write_json(out / "infrastructure" / "skill-stack.json", template(), written)
        files = code_files(audio_dir)
        names = tuple(sorted(d.metadata["Name"] for d in runtime_distributions()))
        code = out / "lambda"
        if code.exists():
            shutil.rmtree(code)
        with tempfile.TemporaryDirectory() as workdir:
            files.update(compiled(files, Path(workdir)))
            for name, path in files.items():
                target = code / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
            unzipped = sum(path.stat().st_size for path in files.values())
            zip_bytes = write_zip(files, zip_path)
        written.append(zip_path)
        hook = out / "hooks" / "build.sh"
        hook.parent.mkdir(parents=True, exist_ok=True)
        hook.write_text(_BUILD_HOOK)
        hook.chmod(0o755)
        written.append(hook)
        if not sys.platform.startswith("linux"):
            warnings.append("the zip holds this machine's compiled wheels; build it on Linux for Lambda")
        if zip_bytes > LAMBDA_ZIP_LIMIT:
            warnings.append(f"the zip is {zip_bytes / 2**20:.1f} MB, over Lambda's 50 MB limit")
    return Written(out, tuple(written), zip_path, zip_bytes, unzipped, names, tuple(warnings))
