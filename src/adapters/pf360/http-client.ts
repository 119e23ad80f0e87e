/**
 * The PF360 client: openapi-fetch typed by the generated `paths`, the shared timeout/retry
 * policy, headers as PF360 expects them (the token in `authorization`, the tenant in `client_id`), every 200 body validated against
 * openapi/pf360.yaml, and every failure mapped to an AppError the agent can act on.
 */
import createClient from 'openapi-fetch';
import type { paths } from '../../../generated/types/pf360.js';
import * as validators from '../../../generated/validators/pf360.cjs';
import type { HttpPolicyConfig } from '../../config/env.js';
import { AppError } from '../../domain/errors.js';
import type { Logger } from '../../observability/logger.js';
import type {
  AddNoteResponse,
  BusinessHours,
  CancelResponse,
  DashboardItem,
  NoteList,
  Pf360Api,
  Pf360Identity,
  ReschedulerSlots,
  ScheduleRequest,
  ScheduleResponse,
} from '../../ports/pf360.js';
import { createResilientFetch, retryAfterMs } from '../http/resilient-fetch.js';
import { callUpstream, type FetchResult } from '../http/upstream-call.js';

const system = 'The scheduling system';

interface CallContext {
  /** The call changes PF360 state: an untrustworthy answer leaves its outcome unknown. */
  write?: boolean;
  /** A 409 means the slot was taken (E4). */
  booking?: boolean;
  /** What the agent should do after a 400/409/422 from this call. */
  startOver?: string;
  notFound?: string;
}
/** `import *` of a CommonJS module also exposes `default`; only the named validators count. */
type OperationId = Exclude<keyof typeof validators, 'default'>;

/** PF360's error bodies carry `message`; keep it short and single-line for the agent. */
function upstreamMessage(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message.replace(/\s+/g, ' ').slice(0, 160) : '';
}

export interface Pf360HttpClientOptions {
  baseUrl: string;
  policy: HttpPolicyConfig;
  logger: Logger;
  fetch?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
}

export class Pf360HttpClient implements Pf360Api {
  private readonly client;
  private readonly logger: Logger;
  /** For state changes sent as GET (E5 cancel): same deadline, never retried. */
  private readonly oneShotFetch: typeof fetch;

  constructor(options: Pf360HttpClientOptions) {
    this.logger = options.logger;
    const deps = {
      upstream: system,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      onAttempt: (info: object) => this.logger.debug('pf360 attempt', { ...info }),
    };
    this.client = createClient<paths>({ baseUrl: options.baseUrl, fetch: createResilientFetch(options.policy, deps) });
    this.oneShotFetch = createResilientFetch(options.policy, { ...deps, oneShot: true });
  }

  private headers(who: Pf360Identity) {
    // The token goes through exactly as the portal issued it (legacy behaviour); `client_id`
    // repeats the tenant as a header, underscore included.
    return { authorization: who.authToken };
  }

  private params(who: Pf360Identity) {
    return { client_id: who.clientId, charset: 'utf-8' };
  }

  /** Runs a call and returns its validated body, or throws an AppError the agent can act on. */
  private call<T>(operation: OperationId, run: () => Promise<FetchResult<T>>, context: CallContext = {}): Promise<T> {
    // After a write that got an answer we cannot trust, the change may have happened: say so,
    // so that nobody retries a booking blindly.
    const outcome = context.write
      ? 'the change may or may not have been made, so check the status before trying again'
      : 'nothing was changed';
    return callUpstream({
      upstream: 'pf360',
      spec: 'openapi/pf360.yaml',
      operation,
      logger: this.logger,
      // biome-ignore lint/performance/noDynamicNamespaceImportAccess: all PF360 validators are used.
      validate: validators[operation],
      run,
      unreadable: (cause) =>
        new AppError('upstream_invalid_response', `${system} sent an answer that could not be read; ${outcome}.`, {
          cause,
        }),
      failed: (response, error) => this.mapFailure(response, error, context),
      invalid: (response) =>
        new AppError('upstream_invalid_response', `${system} sent an answer in an unexpected format; ${outcome}.`, {
          upstreamStatus: response.status,
        }),
    });
  }

  private mapFailure(response: Response, error: unknown, context: CallContext): AppError {
    const status = response.status;
    const detail = upstreamMessage(error);
    if (status === 401 || status === 403) {
      return new AppError(
        'upstream_unauthorized',
        `${system} no longer accepts this customer's sign-in; ask them to sign in to the portal again.`,
        { upstreamStatus: status },
      );
    }
    if (status === 404) {
      return new AppError(
        'not_found',
        context.notFound ??
          `${system} has no record of that project; call list_projects to see the customer's projects.`,
      );
    }
    const because = detail ? ` (${detail})` : '';
    if (status === 409 && context.booking) {
      return new AppError(
        'slot_taken',
        `${system} refused the booking${because}: the slot may just have been taken. Call get_time_slots again and offer another time.`,
      );
    }
    if (status === 409 || status === 422 || status === 400) {
      return new AppError(
        'upstream_rejected',
        `${system} rejected the request${because}; nothing was changed. ${context.startOver ?? "Call list_projects to see the current state of the customer's projects."}`,
        { upstreamStatus: status },
      );
    }
    if (status === 429) {
      const afterMs = retryAfterMs(response.headers.get('retry-after'), Date.now());
      const seconds = afterMs === undefined ? undefined : Math.max(1, Math.ceil(afterMs / 1000));
      return new AppError(
        'upstream_busy',
        `${system} is busy right now; please try again${seconds ? ` in ${seconds} seconds` : ' in a minute'}.`,
        { upstreamStatus: status },
      );
    }
    return new AppError(
      'upstream_error',
      context.write
        ? `${system} reported an error (HTTP ${status}) and did not confirm the change; check the appointment status before trying again.`
        : `${system} is having a problem right now (HTTP ${status}); nothing was changed. Please try again in a few minutes.`,
      { upstreamStatus: status },
    );
  }

  async getDashboard(who: Pf360Identity): Promise<DashboardItem[]> {
    const body = await this.call(
      'getDashboard',
      () =>
        this.client.GET('/dashboard/get/{client_id}/{customer_id}', {
          params: { path: { client_id: who.clientId, customer_id: who.customerId }, header: this.params(who) },
          headers: this.headers(who),
        }),
      { notFound: `${system} does not know this customer; ask them to sign in to the portal again.` },
    );
    return body.data;
  }

  async getReschedulerSlots(
    who: Pf360Identity,
    projectId: string,
    query: { date: string; selectedDate: string; requestId?: string },
  ): Promise<ReschedulerSlots> {
    const body = await this.call(
      'getReschedulerSlots',
      () =>
        this.client.GET(
          '/scheduler/client/{client_id}/project/{project_id}/date/{date}/selected/{selected_date}/get-rescheduler-slots',
          {
            params: {
              path: {
                client_id: who.clientId,
                project_id: projectId,
                date: query.date,
                selected_date: query.selectedDate,
              },
              ...(query.requestId ? { query: { request_id: query.requestId } } : {}),
              header: this.params(who),
            },
            headers: this.headers(who),
          },
        ),
      { startOver: 'Start again with get_available_dates.' },
    );
    return body.data;
  }

  async schedule(who: Pf360Identity, projectId: string, request: ScheduleRequest): Promise<ScheduleResponse> {
    return this.call(
      'scheduleProject',
      () =>
        this.client.POST('/scheduler/client/{client_id}/project/{project_id}/schedule', {
          params: { path: { client_id: who.clientId, project_id: projectId }, header: this.params(who) },
          headers: this.headers(who),
          body: request,
        }),
      { write: true, booking: true, startOver: 'Start again with get_available_dates.' },
    );
  }

  async cancel(who: Pf360Identity, projectId: string): Promise<CancelResponse> {
    // E5 changes state over GET: send it once, like a POST, never retried by the policy.
    return this.call(
      'cancelSchedule',
      () =>
        this.client.GET('/scheduler/client/{client_id}/project/{project_id}/cancel-reschedule', {
          params: { path: { client_id: who.clientId, project_id: projectId }, header: this.params(who) },
          headers: this.headers(who),
          fetch: this.oneShotFetch,
        }),
      { write: true },
    );
  }

  async getBusinessHours(who: Pf360Identity): Promise<BusinessHours> {
    const body = await this.call('getBusinessHours', () =>
      this.client.GET('/scheduler/client/{client_id}/business-hours', {
        params: { path: { client_id: who.clientId }, header: this.params(who) },
        headers: this.headers(who),
      }),
    );
    return body.data;
  }

  async addNote(who: Pf360Identity, projectId: string, noteText: string): Promise<AddNoteResponse> {
    return this.call(
      'addProjectNote',
      () =>
        this.client.POST('/project-notes/add/{client_id}/{project_id}', {
          params: { path: { client_id: who.clientId, project_id: projectId }, header: this.params(who) },
          headers: this.headers(who),
          body: { note_text: noteText },
        }),
      { write: true },
    );
  }

  async listNotes(who: Pf360Identity, projectId: string): Promise<NoteList> {
    const body = await this.call('listProjectNotes', () =>
      this.client.GET('/project-notes/list/{client_id}', {
        params: { path: { client_id: who.clientId }, query: { project_id: projectId }, header: this.params(who) },
        headers: this.headers(who),
      }),
    );
    return body.data;
  }
}
