/**
 * The 13 operations as the agent's tools: name, description and input JSON Schema straight from
 * the generated catalog (the same definitions as the MCP tools), and every call run in-process by
 * the tool invoker with this conversation's session id — so identity, ownership, validation, the
 * offered-slot guard, idempotency and audit are exactly those of the Lambdas. The SDK does not
 * validate plain JSON Schema inputs; the operations' own generated validators stay the gate.
 */
import {
  type JSONSchema,
  JsonBlock,
  Tool,
  type ToolContext,
  ToolResultBlock,
  type ToolSpec,
  type ToolStreamGenerator,
} from '@strands-agents/sdk';
import { actionCatalog } from '../../generated/catalog/actions.js';
import { mcpTools } from '../../generated/catalog/mcp-tools.js';
import type { ToolInvoker } from '../tools/invoke-tool.js';

type JsonValue = ConstructorParameters<typeof JsonBlock>[0]['json'];

/** The tools whose operations their spec marks `x-requireConfirmation`: they wait for the customer. */
export const writeTools: ReadonlySet<string> = new Set(
  Object.values(actionCatalog)
    .flat()
    .filter((operation) => operation.requiresConfirmation)
    .map((operation) => operation.operationId),
);

/** One operation as a tool: its result as JSON, an error result (status `error`) with the error body otherwise. */
class OperationTool extends Tool {
  readonly toolSpec: ToolSpec;

  constructor(
    readonly name: string,
    readonly description: string,
    inputSchema: JSONSchema,
    private readonly run: (input: unknown) => ReturnType<ToolInvoker>,
  ) {
    super();
    this.toolSpec = { name, description, inputSchema };
  }

  // biome-ignore lint/correctness/useYield: the result is the generator's return value, as the SDK expects.
  async *stream(context: ToolContext): ToolStreamGenerator {
    const { status, body } = await this.run(context.toolUse.input);
    return new ToolResultBlock({
      toolUseId: context.toolUse.toolUseId,
      status: status < 400 ? 'success' : 'error',
      content: [new JsonBlock({ json: body as JsonValue })],
    });
  }
}

/** The catalog's tools, bound to one conversation's session. */
export function operationTools(invoke: ToolInvoker, sessionId: string): Tool[] {
  return mcpTools.map(
    ({ tool }) =>
      new OperationTool(tool.name, tool.description, structuredClone(tool.inputSchema) as JSONSchema, (input) =>
        invoke(tool.name, input, sessionId),
      ),
  );
}
