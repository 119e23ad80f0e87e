/**
 * The tools as the MCP servers (stdio and Streamable HTTP) list them: the catalog's definitions,
 * generated from the action specs (name, description, input, the 200 response as outputSchema,
 * annotations), as the two-step surfaces have them — write tools take an optional
 * `confirmation_id` (src/tools/two-step.ts). A write tool's call can answer three ways, so its
 * outputSchema is any of them, and a client that validates structured results accepts each:
 * the operation's own result (the change was made), the question of a first call without
 * elicitation (confirmationRequiredSchema), or a change the customer did not confirm
 * (notConfirmedSchema, after an elicitation).
 */
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { writeTools } from '../tools/invoke-tool.js';
import { twoStepTools } from '../tools/two-step.js';
import { confirmationRequiredSchema } from '../tools/two-step-schema.js';

/** How the customer answered a write the server asked them about (MCP elicitation), when it was not a yes. */
export type NotConfirmedAnswer = 'declined' | 'cancelled' | 'denied' | 'not_answered';

/** A write's answer when the customer did not say yes: nothing was changed. */
export interface NotConfirmed {
  confirmed: false;
  answer: NotConfirmedAnswer;
  operation: string;
  summary: string;
  message: string;
}

export const notConfirmedSchema = {
  type: 'object',
  description: 'The customer was asked and did not confirm: nothing was changed.',
  properties: {
    confirmed: { type: 'boolean', const: false },
    answer: {
      type: 'string',
      enum: ['declined', 'cancelled', 'denied', 'not_answered'],
      description:
        'declined or denied: the customer said no; cancelled: they closed the question; not_answered: the question could not be put or timed out.',
    },
    operation: { type: 'string', description: 'The tool that asked.' },
    summary: { type: 'string', description: 'The change the customer was asked about.' },
    message: { type: 'string', description: 'What to tell the customer.' },
  },
  required: ['confirmed', 'answer', 'operation', 'summary', 'message'],
} as const;

export const mcpServerTools: readonly Tool[] = twoStepTools.map((tool) => {
  const listed = structuredClone(tool) as unknown as Tool;
  if (!writeTools.has(tool.name)) return listed;
  return {
    ...listed,
    outputSchema: { type: 'object', anyOf: [listed.outputSchema, confirmationRequiredSchema, notConfirmedSchema] },
  };
});
