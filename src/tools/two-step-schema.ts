/**
 * The `confirmation_id` input of the write tools on the surfaces where nothing else asks the
 * customer — the AgentCore Gateway and the MCP servers (src/tools/two-step.ts). Defined once so
 * that the Gateway's generated tool schemas, the MCP tool lists and the backend that checks it
 * agree. The Strands agent's tools keep the catalog schema: its hook asks the customer instead.
 *
 * Only `type` and `description`: the Gateway's tool schema takes nothing more (no pattern, no
 * format), and the backend checks the value itself.
 */

/** The name of the property the write tools gain on the Gateway/MCP surfaces. */
export const confirmationIdName = 'confirmation_id';

/** How long a confirmation id stays good after the first call issued it. */
export const confirmationLifetimeMinutes = 10;

export const confirmationIdProperty = {
  type: 'string',
  description: `Leave this out on the first call: the change is then only checked, nothing is changed, and the answer has confirmation_required, a confirmation_id and a summary. Read the summary to the customer; only after they say yes, call this tool again with exactly the same arguments plus that confirmation_id to make the change. A confirmation_id works once, only for those arguments, and expires after ${confirmationLifetimeMinutes} minutes.`,
} as const;

/**
 * What the first call of a write answers (two-step.ts ConfirmationRequired), as a JSON Schema:
 * the surfaces that declare an outputSchema add it to the write tools' output, so a client that
 * validates structured results accepts the question as well as the change's own result.
 */
export const confirmationRequiredSchema = {
  type: 'object',
  description:
    'Nothing was changed yet: the question to put to the customer. Only after their yes, call the same tool again with the same arguments and this confirmation_id.',
  properties: {
    confirmation_required: { type: 'boolean', const: true },
    confirmation_id: { type: 'string', description: 'Pass this back, with the same arguments, to make the change.' },
    operation: { type: 'string', description: 'The tool that asks.' },
    summary: { type: 'string', description: 'The change in one sentence, to read to the customer.' },
    details: { type: 'object', description: 'The change’s arguments, as shown to the customer.' },
    expires_at: { type: 'string', format: 'date-time', description: 'After this the id no longer works.' },
    next_step: { type: 'string', description: 'What to do next.' },
  },
  required: ['confirmation_required', 'confirmation_id', 'operation', 'summary', 'details', 'expires_at', 'next_step'],
} as const;
