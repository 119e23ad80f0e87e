/**
 * Pass 2 of `npm run load`: each step makes exactly the DynamoDB and Prism calls the handler makes
 * for it (same order, same parallelism), straight from the SDK and fetch, with nothing of ours in
 * between. Its latency is the I/O the handler cannot avoid.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoDbClient } from '../../src/adapters/dynamodb/client.js';
import { keyOf, newSession, patchPlan, toItem } from '../../src/adapters/dynamodb/session-item.js';
import { auditTable, epochSeconds, idempotencyTable, sessionsTable } from '../../src/adapters/dynamodb/tables.js';
import { toUpdateParams } from '../../src/adapters/dynamodb/update-plan.js';
import { projectCache } from '../../src/domain/projects.js';
import type { SessionPatch } from '../../src/domain/session.js';
import { newSessionId } from '../../src/domain/session-id.js';
import type { AuditEntry } from '../../src/ports/audit-log.js';
import type { DashboardItem } from '../../src/ports/pf360.js';
import { demoCustomer } from '../local/env.js';
import { conversation, type Sample, type Step } from './conversation.js';

export interface RawTargets {
  pf360: string;
  weather: string;
  tables: { sessions: string; idempotency: string; audit: string };
}

const customer = {
  customer_id: demoCustomer.customerId,
  client_id: demoCustomer.clientId,
  client_name: demoCustomer.clientName,
};

export function rawStep(targets: RawTargets) {
  const db = createDocumentClient(createDynamoDbClient());
  const headers = { authorization: 'load-test-token', client_id: customer.client_id, charset: 'utf-8' };
  const json = async (url: string, init: RequestInit = {}) => {
    const response = await fetch(url, {
      ...init,
      headers: { ...headers, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    });
    if (!response.ok) throw new Error(`HTTP ${response.status} from ${new URL(url).pathname}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const pf360 = (path: string, init?: RequestInit) => json(`${targets.pf360}${path}`, init);
  const client = `/scheduler/client/${customer.client_id}/project/${conversation.projectId}`;
  const now = () => epochSeconds(Date.now());

  // The same items and plans as the stores (src/adapters/dynamodb/tables.ts, session-item.ts).
  const readSession = (id: string) =>
    db.send(new GetCommand({ TableName: targets.tables.sessions, Key: keyOf(id), ConsistentRead: true }));
  const writeSession = (id: string, patch: SessionPatch) =>
    db.send(
      new UpdateCommand({
        TableName: targets.tables.sessions,
        Key: keyOf(id),
        ...toUpdateParams(patchPlan(patch, new Date(), 1800)),
      }),
    );
  // The records Powertools idempotency writes around a write (take, then complete), under the
  // attribute names the table model gives it, and the audit entry.
  const { key, ttl, attributes } = idempotencyTable;
  const guarded = async (write: () => Promise<unknown>) => {
    const id = randomUUID();
    await db.send(
      new PutCommand({
        TableName: targets.tables.idempotency,
        Item: {
          [key]: id,
          [attributes.status]: 'INPROGRESS',
          [ttl]: now() + 3600,
          [attributes.inProgressExpiry]: Date.now() + 30_000,
        },
        ConditionExpression: 'attribute_not_exists(#key)',
        ExpressionAttributeNames: { '#key': key },
      }),
    );
    const result = await write();
    await db.send(
      new UpdateCommand({
        TableName: targets.tables.idempotency,
        Key: { [key]: id },
        ...toUpdateParams({
          set: [
            [[attributes.status], 'COMPLETED'],
            [[attributes.data], JSON.stringify(result)],
            [[ttl], now() + 3600],
          ],
        }),
      }),
    );
    const entry: AuditEntry = {
      at: new Date().toISOString(),
      customerId: customer.customer_id,
      clientId: customer.client_id,
      sessionRef: 'load',
      operation: 'load',
      projectId: conversation.projectId,
      parameters: {},
      outcome: 'succeeded',
    };
    await db.send(new PutCommand({ TableName: targets.tables.audit, Item: auditTable.toItem(entry, 1) }));
  };
  // The handlers geocode a job site once per container (withPlaceCache); so does the raw pass.
  let first: { latitude: number; longitude: number } | undefined;
  const weather = async () => {
    if (!first) {
      const place = await json(
        `${targets.weather}/v1/search?name=33760&count=1&language=en&format=json&countryCode=US`,
      );
      first = (place.results as { latitude: number; longitude: number }[])[0];
    }
    return json(
      `${targets.weather}/v1/forecast?latitude=${first?.latitude}&longitude=${first?.longitude}&daily=weather_code,temperature_2m_max,temperature_2m_min,precipitation_sum,precipitation_probability_max,wind_speed_10m_max&timezone=auto&forecast_days=16&temperature_unit=fahrenheit&wind_speed_unit=mph&precipitation_unit=mm`,
    );
  };

  const io: Record<Step, (state: Record<string, string>) => Promise<void>> = {
    create_session: async (state) => {
      state.sessionId = newSessionId();
      const session = newSession(
        {
          sessionId: state.sessionId,
          customerId: customer.customer_id,
          clientId: customer.client_id,
          clientName: customer.client_name,
          authToken: 'load-test-token',
          stage: 'local',
        },
        new Date(),
        1800,
      );
      await db.send(
        new PutCommand({
          TableName: targets.tables.sessions,
          Item: toItem(session),
          ConditionExpression: 'attribute_not_exists(#key)',
          ExpressionAttributeNames: { '#key': sessionsTable.key },
        }),
      );
    },
    list_projects: async (state) => {
      await readSession(state.sessionId ?? '');
      const dashboard = await pf360(`/dashboard/get/${customer.client_id}/${customer.customer_id}`);
      // The same attribute the handler stores: the project list as the session caches it.
      await writeSession(state.sessionId ?? '', { projects: projectCache(dashboard.data as DashboardItem[]) });
    },
    get_available_dates: async (state) => {
      await readSession(state.sessionId ?? '');
      const [offer] = await Promise.all([
        pf360(`${client}/date/2026-11-25/selected/2026-11-25/get-rescheduler-slots`),
        weather(),
      ]);
      const data = offer.data as { request_id: string; dates: string[] };
      state.requestId = data.request_id;
      state.dates = JSON.stringify(data.dates);
      await writeSession(state.sessionId ?? '', {
        scheduling: {
          [conversation.projectId]: { requestId: data.request_id, offeredDates: data.dates, offeredSlots: {} },
        },
      });
    },
    get_time_slots: async (state) => {
      await readSession(state.sessionId ?? '');
      const result = await pf360(
        `${client}/date/${conversation.date}/selected/${conversation.date}/get-rescheduler-slots?request_id=${state.requestId}`,
      );
      const slots = (result.data as { slots?: string[] }).slots ?? [];
      await writeSession(state.sessionId ?? '', {
        scheduling: {
          [conversation.projectId]: {
            requestId: state.requestId ?? '',
            offeredDates: JSON.parse(state.dates ?? '[]'),
            offeredSlots: { [conversation.date]: slots },
          },
        },
      });
    },
    confirm_appointment: async (state) => {
      await readSession(state.sessionId ?? '');
      await guarded(() =>
        pf360(`${client}/schedule`, {
          method: 'POST',
          body: JSON.stringify({
            created_at: '11-25-2026 19:42:10',
            date: conversation.date,
            time: conversation.time,
            request_id: state.requestId,
            is_chatbot: 'true',
          }),
        }),
      );
      await writeSession(state.sessionId ?? '', {
        scheduling: {
          [conversation.projectId]: {
            booking: {
              date: conversation.date,
              time: conversation.time,
              confirmationNumber: 'CONF',
              bookedAt: new Date().toISOString(),
              requestId: state.requestId ?? '',
            },
          },
        },
      });
    },
    get_appointment_status: async (state) => {
      await readSession(state.sessionId ?? '');
      const dashboard = await pf360(`/dashboard/get/${customer.client_id}/${customer.customer_id}`);
      await writeSession(state.sessionId ?? '', { projects: projectCache(dashboard.data as DashboardItem[]) });
    },
    add_note: async (state) => {
      await readSession(state.sessionId ?? '');
      await guarded(() =>
        pf360(`/project-notes/add/${customer.client_id}/${conversation.projectId}`, {
          method: 'POST',
          body: JSON.stringify({ note_text: conversation.note }),
        }),
      );
      await writeSession(state.sessionId ?? '', {});
    },
  };

  return async (step: Step, state: Record<string, string>): Promise<Sample> => {
    const started = performance.now();
    try {
      await io[step](state);
      return { step, ms: performance.now() - started, ok: true, status: 200 };
    } catch {
      return { step, ms: performance.now() - started, ok: false, status: 0 };
    }
  };
}
