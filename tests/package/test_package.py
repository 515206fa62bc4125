"""`ivig-skill package --out DIR`: the ASK CLI project it writes, checked file by file, the
CloudFormation template under cfn-lint, and the Lambda zip run on its own as Lambda would."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from skill import models, speech
from skill.speech import SUPPORTED_LOCALES
from tests.support.dynamodb import new_table_name
from tests.support.envelopes import SKILL_ID, Conversation
from tests.support.lambda_runtime import LambdaContainer
from tests.support.server import REPO

INVOCATION = models.model_source()["invocation_name"]
ALEXA_CATEGORIES_FOR_HEALTH = {"HEALTH_AND_FITNESS", "EDUCATION_AND_REFERENCE"}


def run_package(out: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "skill", "package", "--out", str(out), *args], cwd=REPO,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "IVIG_AUDIO_DIR": str(out.parent / "no-audio")})


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("package") / "build"
    result = run_package(out, "--privacy-policy-url", "https://example.org/privacy")
    assert result.returncode == 0, result.stderr
    (out / "stdout.txt").write_text(result.stdout)
    return out


def read(project: Path, name: str) -> dict:
    return json.loads((project / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def manifest(project) -> dict:
    return read(project, "skill-package/skill.json")["manifest"]


@pytest.fixture(scope="module")
def template(project) -> dict:
    return read(project, "infrastructure/skill-stack.json")


def test_it_prints_what_it_wrote_and_the_zips_size(project):
    printed = (project / "stdout.txt").read_text()
    size = (project / "lambda.zip").stat().st_size
    assert f"wrote {project / 'skill-package' / 'skill.json'}" in printed
    assert f"lambda.zip is {size / 2**20:.1f} MB zipped" in printed


def test_ask_resources_point_at_what_was_written(project):
    config = read(project, "ask-resources.json")
    profile = config["profiles"]["default"]
    assert (project / profile["skillMetadata"]["src"] / "skill.json").is_file()
    assert (project / profile["code"]["default"]["src"] / "skill" / "lambda_function.py").is_file()
    infrastructure = profile["skillInfrastructure"]
    assert infrastructure["type"] == "@ask-cli/cfn-deployer"
    user = infrastructure["userConfig"]
    assert (project / user["templatePath"]).is_file()
    assert user["handler"] == "skill.lambda_function.lambda_handler"
    assert user["runtime"] == f"python{sys.version_info.major}.{sys.version_info.minor}"
    assert re.fullmatch("[0-9a-f]{64}", user["cfn"]["parameters"]["HashKey"])
    assert user["cfn"]["parameters"]["KeepHealthData"] == "false"
    assert stat.S_IMODE((project / "ask-resources.json").stat().st_mode) == 0o600  # it holds the key


def test_the_manifest_publishes_every_locale(manifest):
    publishing = manifest["publishingInformation"]
    assert set(publishing["locales"]) == set(SUPPORTED_LOCALES)
    assert publishing["category"] in ALEXA_CATEGORIES_FOR_HEALTH
    assert sorted(publishing["distributionCountries"]) == ["AU", "CA", "GB", "IN", "US"]
    for locale, words in publishing["locales"].items():
        assert words["name"] == "IVIG Helper"
        assert 0 < len(words["summary"]) <= 160
        description = words["description"]
        assert "not medical advice" in description and "Cleveland Clinic" in description
        assert speech.emergency_number(locale) in description
        assert len(words["examplePhrases"]) == 3
        assert 1 <= len(words["keywords"]) <= 30 and "IVIG" in words["keywords"]
    assert publishing["testingInstructions"]


def _sample_pattern(sample: str) -> re.Pattern:
    words = re.split(r"(\{\w+\})", sample.lower())
    return re.compile("".join(".+" if re.fullmatch(r"\{\w+\}", w) else re.escape(w) for w in words))


def _is_utterance(text: str, locale: str) -> bool:
    text = re.sub(r"[^\w' ]", "", text.lower()).strip()
    samples = [s for intent in models.build_model(locale)["interactionModel"]["languageModel"]["intents"]
               for s in intent.get("samples", [])]
    return any(_sample_pattern(sample).fullmatch(text) for sample in samples)


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_example_phrases_are_utterances_of_the_model_the_first_with_wake_word_and_invocation(manifest, locale):
    first, *others = manifest["publishingInformation"]["locales"][locale]["examplePhrases"]
    opening = re.match(rf"Alexa, (ask|open|tell|launch|start) {re.escape(INVOCATION)}(?: to)? ?(.*)$", first)
    assert opening, first
    assert opening.group(2) == "" or _is_utterance(opening.group(2), locale)
    for phrase in others:
        assert _is_utterance(phrase, locale), phrase


def test_privacy_and_compliance_are_answered(manifest):
    privacy = manifest["privacyAndCompliance"]
    for answer in ("allowsPurchases", "usesPersonalInfo", "isChildDirected", "isExportCompliant", "containsAds"):
        assert isinstance(privacy[answer], bool)
    assert privacy["usesPersonalInfo"] is False and privacy["isChildDirected"] is False  # nothing personal kept
    assert {locale: urls["privacyPolicyUrl"] for locale, urls in privacy["locales"].items()} == {
        locale: "https://example.org/privacy" for locale in SUPPORTED_LOCALES}


def test_the_custom_interface_has_the_audio_player_and_ask_deploy_sets_the_lambda_endpoint(manifest, template):
    custom = manifest["apis"]["custom"]
    assert custom["interfaces"] == [{"type": "AUDIO_PLAYER"}]
    assert "endpoint" not in custom  # ask deploy writes the stack's SkillEndpoint output here
    assert template["Outputs"]["SkillEndpoint"]["Value"] == {"Fn::GetAtt": ["Function", "Arn"]}


def test_a_self_hosted_endpoint_is_written_with_its_certificate_and_no_lambda(tmp_path):
    out = tmp_path / "hosted"
    result = run_package(out, "--endpoint", "https://skill.example.org/alexa", "--certificate", "Trusted")
    assert result.returncode == 0, result.stderr
    endpoint = read(out, "skill-package/skill.json")["manifest"]["apis"]["custom"]["endpoint"]
    assert endpoint == {"uri": "https://skill.example.org/alexa", "sslCertificateType": "Trusted"}
    assert set(read(out, "ask-resources.json")["profiles"]["default"]) == {"skillMetadata"}
    assert not (out / "lambda.zip").exists()


def test_keeping_health_data_is_declared_and_warned_about(tmp_path):
    out = tmp_path / "keeping"
    result = run_package(out, "--keep-health-data", "--endpoint", "https://skill.example.org/alexa")
    assert result.returncode == 0, result.stderr
    assert read(out, "skill-package/skill.json")["manifest"]["privacyAndCompliance"]["usesPersonalInfo"] is True
    assert "HIPAA-eligible" in result.stderr and "no --privacy-policy-url" in result.stderr


def test_each_locales_interaction_model_is_the_generated_one(project):
    folder = project / "skill-package" / "interactionModels" / "custom"
    assert sorted(p.stem for p in folder.glob("*.json")) == sorted(SUPPORTED_LOCALES)
    for locale in SUPPORTED_LOCALES:
        assert read(folder, f"{locale}.json") == models.build_model(locale)


def test_the_template_is_clean_under_cfn_lint(project):
    cfn_lint = Path(sys.executable).with_name("cfn-lint")  # installed with the test extras
    result = subprocess.run([str(cfn_lint), str(project / "infrastructure" / "skill-stack.json")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_table_matches_the_adapter_with_ttl_encryption_and_on_demand(template):
    from skill import store_dynamodb

    table = template["Resources"]["Table"]["Properties"]
    assert table["BillingMode"] == "PAY_PER_REQUEST"
    assert table["SSESpecification"] == {"SSEEnabled": True}
    assert table["TimeToLiveSpecification"] == {"AttributeName": store_dynamodb.EXPIRES, "Enabled": True}
    assert [k["AttributeName"] for k in table["KeySchema"]] == [store_dynamodb.USER, store_dynamodb.NAME]


def test_the_function_gets_the_skill_id_the_store_and_a_secret_hashing_key(template):
    function = template["Resources"]["Function"]["Properties"]
    variables = function["Environment"]["Variables"]
    assert variables["ALEXA_SKILL_ID"] == {"Ref": "SkillId"} and variables["IVIG_STORE"] == "dynamodb"
    assert variables["IVIG_DYNAMODB_TABLE"] == {"Ref": "Table"}
    assert variables["IVIG_HASH_KEY"] == {"Ref": "HashKey"} and template["Parameters"]["HashKey"]["NoEcho"] is True
    permission = template["Resources"]["AlexaPermission"]["Properties"]
    assert permission["Principal"] == "alexa-appkit.amazon.com" and permission["EventSourceToken"] == {"Ref": "SkillId"}


def _statements(template) -> list[dict]:
    policies = template["Resources"]["Role"]["Properties"]["Policies"]
    return [s for policy in policies for s in policy["PolicyDocument"]["Statement"]]


def test_the_role_is_least_privilege(template):
    for statement in _statements(template):
        assert "*" not in json.dumps(statement["Action"]) and statement["Resource"] != "*"
        assert isinstance(statement["Resource"], dict)  # one resource of this stack
    assert template["Resources"]["Role"]["Properties"].get("ManagedPolicyArns") is None


def test_the_role_allows_every_call_the_store_makes(template, dynamodb, monkeypatch):
    """The adapter on an existing table (as the stack makes it), through a whole conversation:
    every DynamoDB operation it calls is one the role allows."""
    from skill.alexa import open_store
    from skill.config import Settings

    allowed = {a.split(":", 1)[1] for s in _statements(template) if s["Sid"] == "Store" for a in s["Action"]}
    env = dynamodb.store_env(new_table_name())
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    open_store(Settings.from_env())  # the table now exists, as the stack would have made it
    import botocore.session

    called = []
    original = botocore.session.Session.create_client

    def recording(self, *args, **kwargs):
        client = original(self, *args, **kwargs)
        client.meta.events.register("before-call.dynamodb", lambda model, **_: called.append(model.name))
        return client

    monkeypatch.setattr(botocore.session.Session, "create_client", recording)
    from skill.web import create_app

    app = create_app(Settings.from_env(verify_signature=False, verify_timestamp=False))
    from tests.support.envelopes import flask_poster

    talk = Conversation(flask_poster(app.test_client()))
    talk.launch()
    talk.intent("StartSymptomCheckIntent")
    talk.intent("AMAZON.StopIntent")
    talk.launch()
    talk.intent("AMAZON.NoIntent")
    talk.intent("DeleteDataIntent")
    talk.intent("AMAZON.YesIntent")
    assert {"DescribeTable", "Query", "UpdateItem"} <= set(called)
    needs = {"TransactWriteItems": {"UpdateItem", "DeleteItem"}}  # checked per item: Update and Delete
    for operation in set(called):
        assert needs.get(operation, {operation}) <= allowed, operation


def test_the_zip_is_lean(project):
    size = (project / "lambda.zip").stat().st_size
    assert size < 50 * 2**20
    names = zipfile.ZipFile(project / "lambda.zip").namelist()
    assert "skill/lambda_function.py" in names and "skill/content/manifest.toml" in names
    tops = {name.split("/")[0] for name in names}
    assert not tops & {"boto3", "botocore", "flask", "cryptography", "waitress", "pytest", "moto"}
    assert not [n for n in names if "/tests/" in n]
    listed = sorted(p.relative_to(project / "lambda").as_posix() for p in (project / "lambda").rglob("*") if p.is_file())
    assert listed == sorted(names)  # ASK CLI's code folder holds exactly what the zip holds


def test_the_zip_carries_bytecode_that_needs_no_writable_folder(project):
    """Lambda's code folder is read-only: every module comes compiled for the runtime's Python,
    as unchecked-hash bytecode (valid whatever the unzipped files' times are)."""
    import importlib.util

    archive = zipfile.ZipFile(project / "lambda.zip")
    names = set(archive.namelist())
    sources = [n for n in names if n.startswith("skill/") and n.endswith(".py")]
    assert sources and all(importlib.util.cache_from_source(n) in names for n in sources)
    header = archive.read(importlib.util.cache_from_source("skill/lambda_function.py"))[:8]
    assert header[:4] == importlib.util.MAGIC_NUMBER and int.from_bytes(header[4:8], "little") == 0b01


def test_the_build_hook_hands_ask_cli_the_zip_as_it_is(project, tmp_path):
    subprocess.run(["sh", str(project / "hooks" / "build.sh"), str(tmp_path / "build.zip"), "false"], check=True)
    assert (tmp_path / "build.zip").read_bytes() == (project / "lambda.zip").read_bytes()


def test_packaging_again_keeps_the_hashing_key(project, tmp_path):
    from skill.package import project_hash_key

    key = read(project, "ask-resources.json")["profiles"]["default"]["skillInfrastructure"]["userConfig"]
    assert project_hash_key(project) == key["cfn"]["parameters"]["HashKey"]  # what `package` uses again
    fresh = {project_hash_key(tmp_path), project_hash_key(tmp_path)}
    assert len(fresh) == 2 and all(re.fullmatch("[0-9a-f]{64}", k) for k in fresh)  # none: a new one


def test_the_zip_runs_on_its_own_as_lambda_runs_it(project, tmp_path, dynamodb):
    """Unzipped into an empty folder, run with no site-packages (python -S) but boto3, as in
    Lambda's Python runtime: a check is started, stopped, and offered again."""
    task = tmp_path / "task"
    zipfile.ZipFile(project / "lambda.zip").extractall(task)
    runtime = tmp_path / "runtime"  # what Lambda's runtime adds: boto3 and its own dependencies
    runtime.mkdir()
    import boto3
    import botocore
    import jmespath
    import s3transfer

    for module in (boto3, botocore, jmespath, s3transfer):
        (runtime / module.__name__).symlink_to(Path(module.__file__).parent)
    container = LambdaContainer({**dynamodb.store_env(), "ALEXA_SKILL_ID": SKILL_ID, "IVIG_AUDIO_DIR": "audio"},
                                cwd=task, python_args=("-S",), path=[str(task), str(runtime)])
    try:
        talk = Conversation(container.post)
        talk.launch()
        talk.intent("StartSymptomCheckIntent")
        talk.intent("AMAZON.StopIntent")
        talk.launch()
        assert "continue" in talk.speech
        talk.intent("AskQuestionIntent", {"query": "how long does an infusion take"})
        assert talk.speech
    finally:
        log = container.stop()
    assert "Traceback" not in log
