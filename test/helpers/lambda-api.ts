/**
 * A loopback stand-in for the two AWS Lambda API calls `npm run test:stage` makes
 * (GetFunctionConfiguration and Invoke, REST paths and error shape as AWS answers them), so
 * the runner's whole path can be tested without AWS: the "deployed" functions are our real
 * handlers, in this process, against the run's local stack.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActionHandler } from '../../src/bedrock/dispatch.js';

export interface EmulatedFunction {
  handler: ActionHandler;
  environment: Record<string, string>;
}

export interface LambdaApi {
  url: string;
  /** Every invocation: function name and the event's apiPath. */
  invocations: Array<{ functionName: string; apiPath: string }>;
  close(): Promise<void>;
}

const route = /^\/2015-03-31\/functions\/([^/]+)\/(configuration|invocations)$/;

export async function startLambdaApi(functions: Record<string, EmulatedFunction>): Promise<LambdaApi> {
  const invocations: LambdaApi['invocations'] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = route.exec(new URL(req.url ?? '/', 'http://lambda').pathname);
    const name = decodeURIComponent(match?.[1] ?? '');
    const fn = Object.hasOwn(functions, name) ? functions[name] : undefined;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    if (!match || !fn) {
      send(
        404,
        { Type: 'User', message: `Function not found: arn:aws:lambda:us-east-1:000000000000:function:${name}` },
        { 'x-amzn-errortype': 'ResourceNotFoundException' },
      );
    } else if (match[2] === 'configuration' && req.method === 'GET') {
      send(200, { FunctionName: name, Runtime: 'nodejs22.x', Environment: { Variables: fn.environment } });
    } else if (match[2] === 'invocations' && req.method === 'POST') {
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      invocations.push({ functionName: name, apiPath: event.apiPath });
      send(200, await fn.handler(event), { 'x-amz-executed-version': '$LATEST' });
    } else {
      send(400, { Type: 'User', message: 'unsupported' }, { 'x-amzn-errortype': 'InvalidRequestContentException' });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    invocations,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
