/** What a call under test throws, for assertions on the error itself. Each fails the test when nothing is thrown. */
import { AppError } from '../../src/domain/errors.js';

export function thrown(act: () => unknown): unknown {
  try {
    act();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** The AppError a promise rejects with; any other rejection fails the test as it is. */
export async function appError(promise: Promise<unknown>): Promise<AppError> {
  const error = await rejection(promise);
  if (error instanceof AppError) return error;
  throw error;
}
