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
import { mcpTools } from '../../generated/catalog/mcp-tools.js';
import type { ToolInvoker } from '../tools/invoke-tool.js';

type JsonValue = ConstructorParameters<typeof JsonBlock>[0]['json'];

/** One operation as a tool: its result as JSON, an error result (status `error`) with the error body otherwise. */
class OperationTool extends Tool {
  readonly name: string;
  readonly description: string;

  constructor(
    readonly toolSpec: ToolSpec,
    private readonly run: (input: unknown) => ReturnType<ToolInvoker>,
  ) {
    super();
    this.name = toolSpec.name;
    this.description = toolSpec.description;
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

/**
 * The specs, built once per process: an agent is built for every turn, and copying 13 schemas
 * each time was a measurable part of a turn's own cost (npm run bench). Frozen, since every
 * agent shares them (the SDK copies what it sends to the model).
 */
const toolSpecs: readonly ToolSpec[] = mcpTools.map(({ tool }) =>
  deepFreeze({
    name: tool.name,
    description: tool.description,
    inputSchema: structuredClone(tool.inputSchema) as JSONSchema,
  }),
);

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** The catalog's tools, bound to one conversation's session. */
export function operationTools(invoke: ToolInvoker, sessionId: string): Tool[] {
  return toolSpecs.map((spec) => new OperationTool(spec, (input) => invoke(spec.name, input, sessionId)));
}
