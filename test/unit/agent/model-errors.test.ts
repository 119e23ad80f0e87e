import {
  ContextWindowOverflowError,
  MaxTokensError,
  Message,
  ModelError,
  ModelThrottledError,
} from '@strands-agents/sdk';
import { APIConnectionError, APIConnectionTimeoutError, APIError, InternalServerError } from 'openai';
import { describe, expect, it } from 'vitest';
import { modelError } from '../../../src/agent/model-errors.js';
import { AppError, errorCatalog } from '../../../src/domain/errors.js';

/** An openai error as the client builds it from a response, with the provider's own words in it. */
function openaiError(status: number, headers: Record<string, string> = {}, code: string | null = null): APIError {
  return APIError.generate(
    status,
    { error: { message: 'Provider says: secret detail', type: 'x', code } },
    undefined,
    new Headers(headers),
  );
}

/** An AWS SDK exception: what the mapping reads is its name and, sometimes, its HTTP status. */
function awsError(name: string, httpStatusCode?: number): Error {
  return Object.assign(new Error(`${name}: provider says: secret detail`), {
    name,
    $fault: 'client',
    $metadata: httpStatusCode === undefined ? {} : { httpStatusCode },
  });
}

/** How the agent throws a provider failure: a ModelError with the provider's error as its cause. */
const wrapped = (cause: unknown) => new ModelError('Provider says: secret detail', { cause });
const throttled = (cause: unknown) => new ModelThrottledError('Provider says: secret detail', { cause });

describe('modelError', () => {
  it('passes an AppError through unchanged', () => {
    const original = new AppError('agent_conflict');

    expect(modelError(original)).toBe(original);
  });

  describe('throttling → 429 agent_throttled', () => {
    it.each([
      ['Retry-After in seconds', { 'retry-after': '12' }, 12],
      ['a fractional Retry-After, rounded up', { 'retry-after': '1.2' }, 2],
      ['Retry-After: 0, as at least a second', { 'retry-after': '0' }, 1],
      ['retry-after-ms, in whole seconds', { 'retry-after-ms': '2500' }, 3],
      ['a Retry-After that is neither, as the default', { 'retry-after': 'soon' }, 5],
      ['no Retry-After, as the default', {}, 5],
    ])('with %s', (_what, headers, seconds) => {
      const mapped = modelError(throttled(openaiError(429, headers)));

      expect(mapped).toMatchObject({ status: 429, errorType: 'agent_throttled', retryAfterSeconds: seconds });
    });

    it('with Retry-After as an HTTP date, as the seconds until then', () => {
      const at = new Date(Date.now() + 30_000).toUTCString();

      const mapped = modelError(throttled(openaiError(429, { 'retry-after': at })));

      // The date has whole seconds: 29 s and a fraction, rounded up, or 30.
      expect(mapped.retryAfterSeconds).toBeGreaterThanOrEqual(29);
      expect(mapped.retryAfterSeconds).toBeLessThanOrEqual(30);
    });

    it.each([
      ['a 429 that is only a ModelError', wrapped(openaiError(429, { 'retry-after': '3' })), 3],
      [
        'a ModelThrottledError from an in-stream error without a status',
        throttled(new APIError(undefined, {}, 'rate limit', undefined)),
        5,
      ],
      ['a Bedrock HTTP 429 ThrottlingException', wrapped(awsError('ThrottlingException', 429)), 5],
      ['a Bedrock in-stream throttlingException', throttled({ name: 'ThrottlingException', message: 'slow down' }), 5],
      [
        'AWS response headers',
        wrapped(
          Object.assign(awsError('ThrottlingException', 429), { $response: { headers: { 'Retry-After': '9' } } }),
        ),
        9,
      ],
    ])('from %s', (_what, error, seconds) => {
      expect(modelError(error)).toMatchObject({
        status: 429,
        errorType: 'agent_throttled',
        retryAfterSeconds: seconds,
      });
    });
  });

  it.each([
    [
      'an OpenAI insufficient_quota 429 (which the SDK reports as throttling)',
      throttled(openaiError(429, {}, 'insufficient_quota')),
    ],
    ['a Bedrock ServiceQuotaExceededException', wrapped(awsError('ServiceQuotaExceededException', 400))],
  ])('an exhausted quota → 429 agent_quota_exceeded: %s', (_what, error) => {
    const mapped = modelError(error);

    expect(mapped).toMatchObject({ status: 429, errorType: 'agent_quota_exceeded' });
    expect(mapped.retryAfterSeconds).toBeUndefined();
  });

  it.each([
    ['the openai client timing out', wrapped(new APIConnectionTimeoutError())],
    ['an HTTP 504 from a gateway', wrapped(openaiError(504))],
    ['an HTTP 408', wrapped(openaiError(408))],
    ['a Bedrock ModelTimeoutException', wrapped(awsError('ModelTimeoutException', 408))],
    ['the AWS SDK giving up on a silent stream (TimeoutError)', wrapped(awsError('TimeoutError'))],
    ['an AbortSignal.timeout deadline', wrapped(new DOMException('The operation timed out.', 'TimeoutError'))],
  ])('a timeout → 504 agent_timeout: %s', (_what, error) => {
    expect(modelError(error)).toMatchObject({ status: 504, errorType: 'agent_timeout' });
  });

  it('missing credentials → 503 agent_not_configured, saying what to provide', () => {
    const mapped = modelError(wrapped(awsError('CredentialsProviderError')));

    expect(mapped).toMatchObject({ status: 503, errorType: 'agent_not_configured' });
    expect(mapped.message).toContain('AWS credentials');
    expect(mapped.message).toContain('AWS_REGION');
    expect(mapped.message).not.toContain('secret detail');
  });

  it.each([
    ['an HTTP 401 (AuthenticationError)', wrapped(openaiError(401))],
    ['an HTTP 403 (PermissionDeniedError)', wrapped(openaiError(403))],
    ['a Bedrock AccessDeniedException', wrapped(awsError('AccessDeniedException', 403))],
    ['AWS credentials that are not accepted', wrapped(awsError('UnrecognizedClientException'))],
    ['expired AWS credentials', wrapped(awsError('ExpiredTokenException'))],
  ])('access refused → 502 agent_access_denied: %s', (_what, error) => {
    expect(modelError(error)).toMatchObject({ status: 502, errorType: 'agent_access_denied' });
  });

  it.each([
    ['an HTTP 500', wrapped(openaiError(500))],
    ['an InternalServerError without a cause chain', new InternalServerError(500, undefined, 'boom', new Headers())],
    ['a connection failure', wrapped(new APIConnectionError({ message: 'Connection error.' }))],
    [
      'an error the server sent in the stream',
      wrapped(new APIError(undefined, { message: 'oops' }, undefined, undefined)),
    ],
    ['MaxTokensError', new MaxTokensError('limit', new Message({ role: 'assistant', content: [] }))],
    ['ContextWindowOverflowError', new ContextWindowOverflowError('too long')],
    ['unparseable tool input', new ModelError('unable to parse tool input JSON', { cause: new SyntaxError('x') })],
    ['a Bedrock ValidationException', wrapped(awsError('ValidationException', 400))],
    ['a plain Error', new Error('Provider says: secret detail')],
    ['a thrown string', 'Provider says: secret detail'],
    ['undefined', undefined],
  ])('anything else → 502 agent_error: %s', (_what, error) => {
    expect(modelError(error)).toMatchObject({
      status: 502,
      errorType: 'agent_error',
      message: errorCatalog.agent_error.message,
    });
  });

  it.each([
    ['ModelNotReadyException', 'agent_not_ready', 503],
    ['ResourceNotFoundException', 'agent_not_found', 502],
    ['ConcurrentInvocationError', 'agent_conflict', 409],
  ])('maps %s as the chat API maps it from Bedrock Agents: %s', (name, code, status) => {
    expect(modelError(wrapped(awsError(name, 400)))).toMatchObject({ errorType: code, status });
  });

  it("keeps the original as the cause and none of the provider's words in the sentence", () => {
    const originals = [
      throttled(openaiError(429)),
      wrapped(openaiError(500)),
      wrapped(openaiError(401)),
      wrapped(new APIConnectionTimeoutError()),
      wrapped(awsError('ServiceQuotaExceededException')),
    ];

    for (const original of originals) {
      const mapped = modelError(original);

      expect(mapped.cause).toBe(original);
      expect(mapped.message).toBe(errorCatalog[mapped.errorType].message);
      expect(mapped.message).not.toMatch(/secret detail|provider says/i);
    }
  });

  it('stops at a cause chain that loops', () => {
    const looping = new ModelError('loop');
    Object.assign(looping, { cause: looping });

    expect(modelError(looping)).toMatchObject({ errorType: 'agent_error' });
  });
});
