'use strict';
/**
 * Variable resolver for serverless.yml (`${file(./scripts/serverless/gateway-tools.cjs):inlinePayload}`):
 * the AgentCore GatewayTarget's tool schemas, exactly as `npm run generate` wrote them to
 * generated/catalog/gateway-tools.json (scripts/lib/gateway-tools.ts converts the MCP tool
 * definitions to the Gateway's schema subset). Nothing is computed here, so the template carries
 * the committed, reviewed file; the generated-fresh test keeps that file in step with the specs.
 *
 * CommonJS because the repository is "type": "module" and osls `require`s resolver files.
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const repoRoot = join(__dirname, '..', '..');
const file = 'generated/catalog/gateway-tools.json';

function loadGatewayTools(root = repoRoot) {
  const text = readFileSync(join(root, file), 'utf8');
  // osls re-reads resolved strings for variables: "${" in a description would be taken for one.
  if (text.includes('${')) throw new Error(`${file} contains "\${", which the framework would try to resolve`);
  const { tools } = JSON.parse(text);
  if (!Array.isArray(tools) || tools.length === 0) throw new Error(`${file} has no tools: run npm run generate`);
  return tools;
}

module.exports = async () => ({ inlinePayload: loadGatewayTools() });
module.exports.loadGatewayTools = loadGatewayTools;
