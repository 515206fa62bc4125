// Drives a running `ivig-skill serve --no-verify` with Bespoken's virtual-alexa, which reads our
// interaction model and builds the request envelopes itself, the way Alexa would.
//
//   node driver.js http://127.0.0.1:5000/alexa [interaction model file]
//
// Prints one JSON object: {"ok": true, "journeys": {name: [step, ...]}}, each step being what was
// said, the request virtual-alexa sent (type, intent, slots, whether the session was new) and
// what came back (speech as SSML, shouldEndSession, the symptom_check session attribute).
// On an error: {"ok": false, "error": "..."} and exit status 1. tests/emulator/test_virtual_alexa.py
// runs it and makes the assertions.
//
// What virtual-alexa (0.7.8) cannot express, and how the journeys get around it (our pytest test
// covers these with our own envelopes, tests/support/envelopes.py):
// - Its launch detection is an unanchored /(ask|open|launch|talk to|tell).*/: any utterance that
//   contains "tell", "ask" or "open" anywhere becomes a LaunchRequest, so the AMAZON.SearchQuery
//   carriers "tell me {query}", "can you tell me {query}", "i want to ask {query}" cannot be
//   uttered. Carriers without those letters ("i want to know {query}") work; "tell me ..." is
//   sent with intend("AskQuestionIntent", {query}).
// - No AMAZON.FallbackIntent: words that match no sample throw instead; sent with intend().
// - Its built-in utterances win over our samples: "go back" becomes AMAZON.PreviousIntent, not
//   our GoBackIntent.
// - No near or fuzzy matching: only exact samples and slot patterns resolve.
"use strict";

process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = "1";

const path = require("path");
const va = require("virtual-alexa");

const url = process.argv[2];
const model = process.argv[3] || path.join(__dirname, "..", "..", "interaction_models", "en-US.json");
const skillId = process.env.ALEXA_SKILL_ID || "amzn1.ask.skill.00000000-0000-4000-8000-000000000000";

function newAlexa() {
  const alexa = va.VirtualAlexa.Builder()
    .interactionModelFile(model)
    .skillURL(url)
    .applicationID(skillId)
    .locale("en-US")
    .create();
  const seen = { request: null };
  alexa.filter((envelope) => { seen.request = envelope; });
  return { alexa, seen };
}

function summarise(said, seen, reply) {
  const envelope = seen.request || {};
  const request = envelope.request || {};
  const slots = {};
  for (const [name, slot] of Object.entries((request.intent && request.intent.slots) || {})) {
    const authority = ((slot.resolutions || {}).resolutionsPerAuthority || [])[0];
    slots[name] = { value: slot.value === undefined ? null : slot.value,
                    id: authority && authority.values && authority.values[0] ? authority.values[0].value.id : null };
  }
  const response = (reply && reply.response) || {};
  const attributes = (reply && reply.sessionAttributes) || {};
  return {
    said,
    request: { type: request.type, intent: request.intent ? request.intent.name : null, slots,
               new_session: envelope.session ? envelope.session.new : null, locale: request.locale },
    response: { ssml: response.outputSpeech ? response.outputSpeech.ssml || null : null,
                should_end_session: response.shouldEndSession === undefined ? null : response.shouldEndSession,
                symptom_check: attributes.symptom_check || null },
  };
}

// One person's conversation: each step is an utterance (a string), or an explicit
// {intend: name, slots: {...}} where virtual-alexa can't resolve the words itself.
async function converse(alexa, seen, steps, log) {
  for (const step of steps) {
    seen.request = null;
    let reply;
    if (typeof step === "string") {
      reply = await alexa.utter(step);
    } else {
      reply = await alexa.intend(step.intend, step.slots || {});
    }
    log.push(summarise(step, seen, reply));
  }
  return log;
}

// Answer "no" to every question of a symptom check until it reaches an outcome.
async function answerNoUntilDone(alexa, seen, log, limit = 15) {
  for (let i = 0; i < limit; i++) {
    const last = log[log.length - 1].response.symptom_check;
    if (!last || last.outcome) return log;
    await converse(alexa, seen, ["no"], log);
  }
  return log;
}

async function main() {
  if (!url) throw new Error("usage: node driver.js <skill url> [interaction model file]");
  const journeys = {};

  let { alexa, seen } = newAlexa();
  journeys.questions = await converse(alexa, seen, [
    "open i. v. i. g. helper",
    "what is intravenous immunoglobulin",
    "yes",                                            // "Want to hear more?"
    "i want to know how long does it take",           // AskQuestionIntent, AMAZON.SearchQuery
    { intend: "AskQuestionIntent", slots: { query: "how long does it take" } },  // "tell me how long does it take"
    "read me about side effects",                     // a custom slot synonym -> its id
    { intend: "AMAZON.FallbackIntent" },              // words that fit nothing
    "stop",
  ], []);

  ({ alexa, seen } = newAlexa());
  const check = await converse(alexa, seen, [
    "ask i. v. i. g. helper to check my symptoms",
    "no",
    "i'm not sure",                                   // asked again in plain words
    "no",
  ], []);
  journeys.check_no_symptoms = await answerNoUntilDone(alexa, seen, check);

  ({ alexa, seen } = newAlexa());
  journeys.check_stopped_and_resumed = await converse(alexa, seen, [
    "open i. v. i. g. helper",
    "check my symptoms",
    "no",
    "maybe",
    "help",
    "stop",                                           // ends the session, keeps the answers
    "open i. v. i. g. helper",                        // offers to continue
    "yes",
    "i can't catch my breath",                        // an emergency in the person's words
  ], []);

  ({ alexa, seen } = newAlexa());
  journeys.emergency_at_once = await converse(alexa, seen, [
    "ask i. v. i. g. helper to check my symptoms",
    "my throat feels tight",
  ], []);

  ({ alexa, seen } = newAlexa());
  journeys.go_back_mid_check = await converse(alexa, seen, ["check my symptoms", "no", "go back"], []);

  ({ alexa, seen } = newAlexa());
  journeys.exit = await converse(alexa, seen, ["open i. v. i. g. helper", "check my symptoms", "exit"], []);

  return journeys;
}

main().then(
  (journeys) => { process.stdout.write(JSON.stringify({ ok: true, journeys }) + "\n"); },
  (error) => {
    process.stdout.write(JSON.stringify({ ok: false, error: String(error && error.stack || error) }) + "\n");
    process.exitCode = 1;
  });
