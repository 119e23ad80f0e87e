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
