import { describe, expect, it, vi } from 'vitest';
import { AppError, errorCatalog, toErrorResponse, validationError } from '../../../src/domain/errors.js';

describe('AppError', () => {
  it('takes its status and default sentence from the catalog', () => {
    // Act
    const error = new AppError('slot_not_offered');

    // Assess
    expect(error.status).toBe(409);
    expect(error.message).toBe(errorCatalog.slot_not_offered.message);
  });

  it('keeps a specific sentence, the field and the cause', () => {
    // Prepare
    const cause = new TypeError('socket hang up');

    // Act
    const error = new AppError('validation_error', 'date is required.', { field: 'date', cause });

    // Assess
    expect([error.status, error.message, error.field, error.cause]).toEqual([400, 'date is required.', 'date', cause]);
  });

  it('gives every catalog entry an HTTP error status and a sentence', () => {
    // Act
    const odd = Object.entries(errorCatalog).filter(
      ([, entry]) => entry.status < 400 || entry.status > 599 || !/[.?]$/.test(entry.message),
    );

    // Assess
    expect(odd).toEqual([]);
  });
});

describe('toErrorResponse', () => {
  it('answers an AppError with its status, code, sentence and field', () => {
    // Act
    const response = toErrorResponse(validationError('time is required.', 'time'));

    // Assess
    expect(response).toStrictEqual({
      status: 400,
      body: { error: 'time is required.', error_type: 'validation_error', field: 'time' },
    });
  });

  it('passes the wait of a 429 on, for the Retry-After header', () => {
    // Act
    const response = toErrorResponse(new AppError('rate_limited', undefined, { retryAfterSeconds: 17 }));

    // Assess
    expect(response.status).toBe(429);
    expect(response.retryAfterSeconds).toBe(17);
  });

  it('answers anything else with the generic 500 and logs the Error', () => {
    // Prepare
    const logger = { error: vi.fn() };
    const bug = new RangeError('index out of range');

    // Act
    const response = toErrorResponse(bug, logger);

    // Assess
    expect(response).toStrictEqual({
      status: 500,
      body: { error: errorCatalog.internal_error.message, error_type: 'internal_error' },
    });
    expect(logger.error).toHaveBeenCalledWith('failed unexpectedly', bug);
  });

  it('logs a thrown non-Error by its type only: its value may carry personal data', () => {
    // Prepare
    const logger = { error: vi.fn() };

    // Act
    toErrorResponse({ note: 'Jane Roe, 555-0100' }, logger);

    // Assess
    expect(logger.error).toHaveBeenCalledWith('failed unexpectedly', { thrown: 'object' });
  });
});
