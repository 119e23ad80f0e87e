'use strict';
/**
 * Variable resolver for serverless.yml (`${file(./scripts/serverless/guardrail.cjs):<key>}`): the
 * stage's Bedrock guardrail (infra/guardrail.yml) built from `custom.guardrail`, which names the
 * `guardrail*` params, so every setting lives in serverless.yml params.
 *
 * - `blockedInputMessaging`, `blockedOutputsMessaging`: what the customer reads when it blocks.
 * - `contentPolicy`: ContentPolicyConfig: the prompt-attack filter on input only (a model answer
 *   is not an attack on it), plus one content filter per category with its input and output strength.
 * - `topicPolicy`: TopicPolicyConfig: the denied topics.
 * - `settingsHash`: a sha256 prefix of exactly those four values. AWS::Bedrock::GuardrailVersion
 *   has only create-only properties, so it snapshots the guardrail once; its Description carries
 *   this hash, and a change of settings therefore replaces it, which cuts a new version from the
 *   updated DRAFT. The agents' definition hashes include it too (custom.agents.guardrail), so the
 *   Classic aliases move to an agent version that uses the new guardrail version.
 *
 * Settings are checked here against what the service accepts (cfn-lint checks the shapes, not
 * the limits that matter here), so a bad value fails `sls package`, not the deploy.
 * CommonJS because the repository is "type": "module" and osls `require`s resolver files.
 */
const { settingsHash } = require('./settings-hash.cjs');

const strengths = ['NONE', 'LOW', 'MEDIUM', 'HIGH'];
/** Bedrock's content-filter categories other than PROMPT_ATTACK, in a fixed order. */
const contentCategories = ['SEXUAL', 'VIOLENCE', 'HATE', 'INSULTS', 'MISCONDUCT'];
const messageMaxChars = 500;
const maxTopics = 30;
const topicNamePattern = /^[0-9a-zA-Z-_ !?.]{1,100}$/;
/** The definition limit of the guardrail's default (classic) topic tier; the schema allows more. */
const topicDefinitionMaxChars = 200;
const maxExamples = 5;
const exampleMaxChars = 100;

function fail(path, message) {
  throw new Error(`serverless.yml custom.guardrail.${path} ${message}`);
}

function text(value, path, max) {
  if (typeof value !== 'string' || value.trim() === '') fail(path, 'must be a non-empty string');
  const trimmed = value.trim();
  if ([...trimmed].length > max) fail(path, `has ${[...trimmed].length} characters; Bedrock accepts at most ${max}`);
  // osls re-reads a resolved string for variables.
  if (trimmed.includes('${')) fail(path, 'contains "${", which the framework would try to resolve as a variable');
  return trimmed;
}

function strength(value, path) {
  if (!strengths.includes(value)) fail(path, `must be one of ${strengths.join(', ')}, not ${JSON.stringify(value)}`);
  return value;
}

function contentPolicy(settings) {
  const filters = settings.contentFilters;
  if (!filters || typeof filters !== 'object' || Array.isArray(filters)) {
    fail('contentFilters', `must map categories (${contentCategories.join(', ')}) to { input, output } strengths`);
  }
  for (const category of Object.keys(filters)) {
    if (!contentCategories.includes(category)) {
      fail(`contentFilters.${category}`, `is not a category; use ${contentCategories.join(', ')}`);
    }
  }
  const promptAttack = strength(settings.promptAttackStrength, 'promptAttackStrength');
  if (promptAttack === 'NONE') fail('promptAttackStrength', 'must not be NONE: the prompt-attack filter is required');
  return {
    FiltersConfig: [
      { Type: 'PROMPT_ATTACK', InputStrength: promptAttack, OutputStrength: 'NONE' },
      ...contentCategories
        .filter((category) => filters[category] !== undefined)
        .map((category) => ({
          Type: category,
          InputStrength: strength(filters[category]?.input, `contentFilters.${category}.input`),
          OutputStrength: strength(filters[category]?.output, `contentFilters.${category}.output`),
        })),
    ],
  };
}

function topicPolicy(settings) {
  const topics = settings.deniedTopics;
  if (!Array.isArray(topics) || topics.length === 0 || topics.length > maxTopics) {
    fail('deniedTopics', `must list 1 to ${maxTopics} topics`);
  }
  const names = new Set();
  return {
    TopicsConfig: topics.map((topic, i) => {
      const name = text(topic?.name, `deniedTopics[${i}].name`, 100);
      if (!topicNamePattern.test(name))
        fail(`deniedTopics[${i}].name`, 'may hold letters, digits, spaces and -_!?. only');
      if (names.has(name)) fail(`deniedTopics[${i}].name`, `repeats "${name}"`);
      names.add(name);
      const examples = topic.examples ?? [];
      if (!Array.isArray(examples) || examples.length > maxExamples) {
        fail(`deniedTopics[${i}].examples`, `must list at most ${maxExamples} examples`);
      }
      return {
        Name: name,
        Type: 'DENY',
        Definition: text(topic.definition, `deniedTopics[${i}].definition`, topicDefinitionMaxChars),
        Examples: examples.map((example, j) => text(example, `deniedTopics[${i}].examples[${j}]`, exampleMaxChars)),
      };
    }),
  };
}

/** Everything serverless.yml reads from this file, for `custom.guardrail` (resolved). */
function resolveGuardrail(settings) {
  if (!settings || typeof settings !== 'object') throw new Error('serverless.yml custom.guardrail must be set');
  const policy = {
    BlockedInputMessaging: text(settings.blockedInputMessage, 'blockedInputMessage', messageMaxChars),
    BlockedOutputsMessaging: text(settings.blockedOutputMessage, 'blockedOutputMessage', messageMaxChars),
    ContentPolicyConfig: contentPolicy(settings),
    TopicPolicyConfig: topicPolicy(settings),
  };
  return {
    blockedInputMessaging: policy.BlockedInputMessaging,
    blockedOutputsMessaging: policy.BlockedOutputsMessaging,
    contentPolicy: policy.ContentPolicyConfig,
    topicPolicy: policy.TopicPolicyConfig,
    settingsHash: settingsHash(policy),
  };
}

module.exports = async ({ resolveVariable }) => resolveGuardrail(await resolveVariable('self:custom.guardrail'));
module.exports.resolveGuardrail = resolveGuardrail;
module.exports.settingsHash = settingsHash;
