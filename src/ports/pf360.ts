/**
 * What the action groups need from the PF360 Customer Scheduler API. Shapes are the spec's own
 * (generated from openapi/pf360.yaml), already validated; adapters translate every failure into
 * AppError subclasses, so operations never see HTTP.
 */
import type { components } from '../../generated/types/pf360.js';

type Schemas = components['schemas'];
export type DashboardItem = Schemas['DashboardItem'];
export type ReschedulerSlots = Schemas['ReschedulerSlotsResponse']['data'];
export type ScheduleRequest = Schemas['ScheduleRequest'];
export type ScheduleResponse = Schemas['ScheduleResponse'];
export type CancelResponse = Schemas['CancelResponse'];
export type BusinessHours = Schemas['BusinessHoursResponse']['data'];
export type AddNoteResponse = Schemas['AddNoteResponse'];
export type NoteList = Schemas['ListNotesResponse']['data'];

/** Who is calling PF360: always taken from the session. */
export interface Pf360Identity {
  clientId: string;
  customerId: string;
  authToken: string;
}

export interface Pf360Api {
  /** E1 */
  getDashboard(who: Pf360Identity): Promise<DashboardItem[]>;
  /** E2 (no requestId, today twice) and E3 (requestId, the chosen date twice) */
  getReschedulerSlots(
    who: Pf360Identity,
    projectId: string,
    query: { date: string; selectedDate: string; requestId?: string },
  ): Promise<ReschedulerSlots>;
  /** E4 */
  schedule(who: Pf360Identity, projectId: string, body: ScheduleRequest): Promise<ScheduleResponse>;
  /** E5 */
  cancel(who: Pf360Identity, projectId: string): Promise<CancelResponse>;
  /** E6 */
  getBusinessHours(who: Pf360Identity): Promise<BusinessHours>;
  /** E7a */
  addNote(who: Pf360Identity, projectId: string, noteText: string): Promise<AddNoteResponse>;
  /** E8 */
  listNotes(who: Pf360Identity, projectId: string): Promise<NoteList>;
}
