"""The `ivig-skill` command line: thin commands over the library."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from skill.speech import DEFAULT_LOCALE, SUPPORTED_LOCALES

LOCALE = click.option("--locale", type=click.Choice(SUPPORTED_LOCALES), default=DEFAULT_LOCALE,
                      show_default=True, help="The request locale (sets the emergency number).")


def audio_dir_option(help_text: str):
    """--audio-dir, the rendered audio's folder (or IVIG_AUDIO_DIR): one option, each command its help."""
    return click.option("--audio-dir", type=click.Path(path_type=Path), envvar="IVIG_AUDIO_DIR",
                        default=Path("audio"), show_default=True, help=help_text)


@click.group()
@click.version_option(package_name="ivig-skill")
def main() -> None:
    """IVIG helper: an Alexa skill about IVIG treatment, with a post-infusion symptom check."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--skill-id", envvar="ALEXA_SKILL_ID", help="Your skill's application id (or ALEXA_SKILL_ID).")
@click.option("--no-verify", is_flag=True, help="Turn request verification off. Local testing only.")
@click.option("--data-dir", type=click.Path(path_type=Path), envvar="IVIG_DATA_DIR", default=Path("data"),
              show_default=True, help="Where the SQLite file lives (or IVIG_DATA_DIR).")
def serve(host: str, port: int, skill_id: str | None, no_verify: bool, data_dir: Path) -> None:
    """Run the web endpoint Alexa calls: POST /alexa, GET /health."""
    from skill.config import Settings
    from skill.store import StoreSetupError
    from skill.web import create_app

    overrides = {"skill_id": skill_id or None, "data_dir": data_dir}
    if no_verify:
        overrides.update(verify_signature=False, verify_timestamp=False)
    try:
        settings = Settings.from_env(**overrides)
        app = create_app(settings)  # refuses verification without a skill id, saying what to set
    except StoreSetupError as error:  # the store cannot start: say what happened and what to do
        raise click.ClickException(str(error)) from error
    except ValueError as error:
        raise click.UsageError(str(error)) from error
    if not settings.verify_signature:
        click.secho("WARNING: request verification is OFF (--no-verify). Anyone who can reach this "
                    "port can send requests. Use this for local testing only.", fg="red", bold=True, err=True)
    import waitress

    click.echo(f"IVIG helper listening on http://{host}:{port}/alexa (put HTTPS in front of it for Alexa)",
               err=True)
    waitress.serve(app, host=host, port=port, threads=8, ident="ivig-skill")


@main.command(context_settings={"ignore_unknown_options": True})
@LOCALE
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per question.")
@click.argument("text", nargs=-1, type=click.UNPROCESSED)
def ask(locale: str, as_json: bool, text: tuple[str, ...]) -> None:
    """Answer a question the way the skill would say it. TEXT of - reads one question per line."""
    from skill import replies, speech

    def answer(words: str) -> None:
        answered = replies.question_reply(words, locale)
        spoken = speech.plain(answered.reply.speech)
        if as_json:
            click.echo(json.dumps({"topic": answered.topic, "understood": answered.understood, "speech": spoken,
                                   "ssml": speech.to_ssml(answered.reply.speech),
                                   "reprompt": answered.reply.reprompt}, ensure_ascii=False))
        else:
            click.echo(spoken)

    words = " ".join(text)
    if words == "-":
        for line in sys.stdin:
            answer(line.rstrip("\n"))
    else:
        answer(words)


@main.command("render-audio")
@audio_dir_option("Where the MP3 files and manifest.json go (or IVIG_AUDIO_DIR).")
@click.option("--allow-offline", is_flag=True,
              help="Without internet, fall back to the offline espeak-ng voice (marked in the manifest).")
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@click.option("--check", is_flag=True, help="Only check the rendered files; exit 1 if any is missing or wrong.")
def render_audio(audio_dir: Path, allow_offline: bool, no_progress: bool, check: bool) -> None:
    """Render each topic's answer and each part of the article to MP3 with gTTS."""
    from skill import audio

    try:
        if check:
            manifest = audio.check_audio_dir(audio_dir)
            click.echo(f"{audio_dir}: all {len(manifest.clips)} clips are rendered and in Alexa's format")
            return
        audio.render_all(audio_dir, allow_offline=allow_offline,
                                  progress=not no_progress and sys.stderr.isatty(), echo=click.echo)
    except audio.AudioRenderError as error:
        raise click.ClickException(str(error)) from error
    except KeyboardInterrupt:
        click.echo("interrupted; finished clips kept", err=True)
        raise SystemExit(130)


@main.command("build-models")
@click.option("--out", type=click.Path(path_type=Path), default=Path("interaction_models"), show_default=True)
def build_models(out: Path) -> None:
    """Train the question matcher and the symptom reader from their corpora, then write the
    interaction model of every locale (whose topic samples the trained matcher picks).

    Training needs scikit-learn (pip install -e ".[build]"); nothing at run time does."""
    from skill import answers, hearing, training
    from skill.models import write_models

    trained = training.build_question_model()
    trained.save(answers.MODEL_PATH)
    answers.model.cache_clear()
    cv = trained.settings["cross_validated"]
    click.echo(f"wrote {answers.MODEL_PATH} (threshold {trained.settings['threshold']}; cross-validated: "
               f"in-scope right {cv['in_scope_right']:.1%}, declined {cv['out_of_scope_declined']:.1%}, "
               f"wrongly declined {cv['wrongly_declined']:.1%})")
    reader = training.build_symptom_model()
    reader.save(hearing.MODEL_PATH)
    hearing.model.cache_clear()
    click.echo(f"wrote {hearing.MODEL_PATH} (thresholds: report {reader.settings['report']}, "
               f"suspect {reader.settings['suspect']}, confirm {reader.settings['confirm']})")
    for path in write_models(out):
        click.echo(f"wrote {path}")


@main.command()
@LOCALE
@click.option("--show", "show", multiple=True, type=click.Choice(["card", "reprompt", "state", "intent"]),
              help="Also print the card, the reprompt, the session state or the resolved intent (repeatable).")
@click.option("--speak", is_flag=True, help="Hear each reply: render it to audio and play it or save it.")
@click.option("--audio-out", type=click.Path(path_type=Path), default=None,
              help="With --speak: a folder to save each reply's audio in, instead of playing it.")
@click.option("--data-dir", type=click.Path(path_type=Path), envvar="IVIG_DATA_DIR", default=Path("data"),
              show_default=True)
def chat(locale: str, show: tuple[str, ...], speak: bool, audio_out: Path | None, data_dir: Path) -> None:
    """Talk to the skill in the terminal; or pipe a script, one utterance per line."""
    from skill.chat import run_chat
    from skill.store import StoreSetupError

    try:
        run_chat(locale=locale, show=set(show), speak=speak, audio_out=audio_out, data_dir=data_dir)
    except StoreSetupError as error:
        raise click.ClickException(str(error)) from error


@main.command()
@click.option("--out", type=click.Path(path_type=Path), required=True, help="The folder to write the project into.")
@click.option("--endpoint", default=None,
              help="Self-hosted: the https address of your `serve` endpoint (…/alexa), or a Lambda ARN. "
                   "Without it, `ask deploy` deploys the Lambda function and sets the endpoint.")
@click.option("--certificate", type=click.Choice(["Wildcard", "Trusted"]), default="Wildcard", show_default=True,
              help="With an https endpoint: its certificate type (Trusted: a certificate authority's).")
@click.option("--region", default="us-east-1", show_default=True, help="The AWS region of the Lambda stack.")
@click.option("--hash-key", envvar="IVIG_HASH_KEY", default=None,
              help="The user-id hashing key for the stack (or IVIG_HASH_KEY); else the one in DIR, else a new one.")
@audio_dir_option("Where the rendered audio's manifest.json is (bundled; the MP3s are not).")
@click.option("--keep-health-data", is_flag=True,
              help="Deploy with IVIG_KEEP_HEALTH_DATA=true (HIPAA-eligible skills only; see the README).")
@click.option("--privacy-policy-url", default=None, help="Your privacy policy.")
@click.option("--terms-url", default=None, help="Your terms of use.")
def package(out: Path, endpoint: str | None, certificate: str, region: str, hash_key: str | None, audio_dir: Path,
            keep_health_data: bool, privacy_policy_url: str | None, terms_url: str | None) -> None:
    """Write an ASK CLI project (skill package, CloudFormation stack, Lambda zip) for `ask deploy`."""
    from skill.config import parse_hash_key
    from skill.package import write_project

    if endpoint and not endpoint.startswith(("https://", "arn:aws:lambda:")):
        raise click.UsageError("--endpoint must be an https address or a Lambda function ARN")
    if hash_key is not None:
        try:
            parse_hash_key(hash_key, "--hash-key (IVIG_HASH_KEY)")
        except ValueError as error:
            raise click.UsageError(str(error)) from error
    result = write_project(out, endpoint=endpoint, certificate=certificate, region=region, hash_key=hash_key,
                           audio_dir=audio_dir, keep_health_data=keep_health_data,
                           privacy_policy_url=privacy_policy_url, terms_url=terms_url)
    for path in result.files:
        click.echo(f"wrote {path}")
    if result.zip_bytes:
        click.echo(f"Lambda code: {result.zip_path} is {result.zip_bytes / 2**20:.1f} MB zipped "
                   f"({result.unzipped_bytes / 2**20:.1f} MB unzipped; Lambda's limits: 50 MB and 250 MB); "
                   f"bundled: {', '.join(result.distributions)}; boto3 comes with Lambda's runtime")
        click.echo(f"{result.out / 'ask-resources.json'} holds the hashing key: keep it (mode 600), and keep using it")
    for warning in result.warnings:
        click.secho(f"warning: {warning}", fg="yellow", err=True)
    click.echo(f"Next: cd {result.out} && ask deploy")
