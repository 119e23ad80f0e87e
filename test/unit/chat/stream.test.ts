import { describe, expect, it, vi } from 'vitest';
import { agentError, consumeCompletion, traceSummary } from '../../../src/chat/stream.js';
import { createLogger } from '../../../src/observability/logger.js';
import { chunk, completion, named } from '../../helpers/chat.js';
import { appError } from '../../helpers/errors.js';

function quietLogger() {
  const logger = createLogger('test');
  const debug = vi.spyOn(logger, 'debug').mockImplementation(() => undefined);
  vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
  return { logger, debug };
}

describe('consumeCompletion', () => {
  it('joins text chunks, including a character split across chunks', async () => {
    const bytes = new TextEncoder().encode('café ✓');
    const events = [
      { chunk: { bytes: bytes.slice(0, 4) } },
      { chunk: { bytes: bytes.slice(4, 6) } },
      { chunk: { bytes: bytes.slice(6) } },
    ];
    const { logger } = quietLogger();
    expect(await consumeCompletion(completion(events), { logger, logTraces: false })).toEqual({ text: 'café ✓' });
  });

  it('logs traces as step and action names only, when asked to', async () => {
    const { logger, debug } = quietLogger();
    const trace = {
      trace: {
        agentId: 'AGENT',
        collaboratorName: 'scheduling',
        trace: {
          orchestrationTrace: {
            invocationInput: {
              invocationType: 'ACTION_GROUP',
              actionGroupInvocationInput: {
                actionGroupName: 'notes',
                apiPath: '/add-note',
                requestBody: { content: { 'application/json': [{ name: 'note_text', value: 'Gate code 4417' }] } },
              },
            },
          },
        },
      },
    } as never;
    await consumeCompletion(completion([trace, chunk('ok')]), { logger, logTraces: true });
    expect(debug).toHaveBeenCalledTimes(1);
    const logged = JSON.stringify(debug.mock.calls[0]);
    expect(logged).toContain('/add-note');
    expect(logged).not.toContain('4417');
    await consumeCompletion(completion([trace, chunk('ok')]), { logger, logTraces: false });
    expect(debug).toHaveBeenCalledTimes(1);
  });

  it('keeps a returnControl for the confirmation flow', async () => {
    const { logger } = quietLogger();
    const returnControl = { invocationId: 'inv-1', invocationInputs: [] };
    expect(
      await consumeCompletion(completion([chunk('Shall I?'), { returnControl }]), { logger, logTraces: false }),
    ).toEqual({
      text: 'Shall I?',
      returnControl,
    });
  });

  it('never returns partial text when the stream fails after it', async () => {
    const { logger } = quietLogger();
    const error = await appError(
      consumeCompletion(completion([chunk('Your booking is confi')], named('DependencyFailedException')), {
        logger,
        logTraces: false,
      }),
    );
    expect(error.status).toBe(502);
    expect(error.message).not.toContain('confi');
  });

  it('handles an error delivered as a stream member', async () => {
    const { logger } = quietLogger();
    const error = await appError(
      consumeCompletion(completion([chunk('partial'), { throttlingException: { message: 'slow down' } } as never]), {
        logger,
        logTraces: false,
      }),
    );
    expect(error.status).toBe(429);
  });

  it('refuses a missing completion', async () => {
    const { logger } = quietLogger();
    expect((await appError(consumeCompletion(undefined, { logger, logTraces: false }))).status).toBe(502);
  });
});

describe('agentError', () => {
  it.each([
    ['ThrottlingException', 429, 'agent_throttled'],
    ['DependencyFailedException', 502, 'agent_dependency_failed'],
    ['BadGatewayException', 502, 'agent_bad_gateway'],
    ['InternalServerException', 502, 'agent_error'],
    ['ValidationException', 400, 'agent_validation_error'],
    ['ServiceQuotaExceededException', 429, 'agent_quota_exceeded'],
    ['ConflictException', 409, 'agent_conflict'],
    ['AccessDeniedException', 502, 'agent_access_denied'],
    ['ResourceNotFoundException', 502, 'agent_not_found'],
    ['ModelNotReadyException', 503, 'agent_not_ready'],
    ['TimeoutError', 504, 'agent_timeout'],
    ['AbortError', 504, 'agent_timeout'],
    ['CredentialsProviderError', 503, 'agent_not_configured'],
    ['SomethingNew', 502, 'agent_error'],
  ])('maps %s to %d %s', (name, status, type) => {
    const error = agentError(named(name));
    expect([error.status, error.errorType]).toEqual([status, type]);
  });
});

describe('traceSummary', () => {
  it('names the step without copying any model text', () => {
    const summary = traceSummary({
      agentId: 'A',
      trace: { orchestrationTrace: { rationale: { text: 'The customer Maria wants…' } } },
    } as never);
    expect(summary.step).toBe('orchestrationTrace');
    expect(JSON.stringify(summary)).not.toContain('Maria');
  });
});

describe('traceSummary of an action call', () => {
  it('names the invocation, the action group and path, and the observation, never the values', () => {
    // Prepare
    const trace = {
      agentId: 'COLLAB0001',
      collaboratorName: 'scheduling',
      trace: {
        orchestrationTrace: {
          invocationInput: {
            invocationType: 'ACTION_GROUP',
            actionGroupInvocationInput: {
              actionGroupName: 'scheduling',
              apiPath: '/add-note',
              parameters: [{ value: 'Gate 4417' }],
            },
          },
          observation: { type: 'ACTION_GROUP' },
        },
      },
    };

    // Act
    const summary = traceSummary(trace as never);

    // Assess
    expect(summary).toEqual({
      step: 'orchestrationTrace',
      agent_id: 'COLLAB0001',
      collaborator: 'scheduling',
      invocation_type: 'ACTION_GROUP',
      action_group: 'scheduling',
      api_path: '/add-note',
      observation: 'ACTION_GROUP',
    });
    expect(JSON.stringify(summary)).not.toContain('4417');
  });

  it('is empty-handed for a missing trace', () => {
    expect(traceSummary(undefined)).toEqual({ step: undefined, agent_id: undefined, collaborator: undefined });
  });
});

describe('consumeCompletion, other members', () => {
  it('ignores files and a trace when traces are off', async () => {
    // Prepare
    const events = [{ files: { files: [{ name: 'a.txt' }] } }, { trace: { agentId: 'A', trace: {} } }, chunk('Done.')];

    // Act
    const turn = await consumeCompletion(completion(events as never), {
      logger: createLogger('stream-test'),
      logTraces: false,
    });

    // Assess
    expect(turn).toEqual({ text: 'Done.' });
  });
});
