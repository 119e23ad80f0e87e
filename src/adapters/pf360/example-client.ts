/**
 * USE_MOCK_API=true: PF360 answers come from openapi/pf360.yaml's own examples, in-process, with
 * no network at all, so a stage without PF360 access still works end to end. The
 * first example of each 200 response is the answer, as Prism serves it by default, with its dates
 * moved onto today's calendar (example-calendar.ts).
 */
import { pf360Examples } from '../../../generated/catalog/pf360-examples.js';
import type {
  AddNoteResponse,
  BusinessHours,
  CancelResponse,
  DashboardItem,
  NoteList,
  Pf360Api,
  ReschedulerSlots,
  ScheduleResponse,
} from '../../ports/pf360.js';
import { type ExampleCalendar, onToday } from '../example-calendar.js';

export class ExamplePf360Client implements Pf360Api {
  constructor(private readonly calendar: ExampleCalendar) {}

  private example<T>(operationId: keyof typeof pf360Examples): T {
    return onToday(Object.values(pf360Examples[operationId]['200'])[0], this.calendar) as T;
  }

  async getDashboard(): Promise<DashboardItem[]> {
    return this.example<{ data: DashboardItem[] }>('getDashboard').data;
  }

  async getReschedulerSlots(): Promise<ReschedulerSlots> {
    return this.example<{ data: ReschedulerSlots }>('getReschedulerSlots').data;
  }

  async schedule(): Promise<ScheduleResponse> {
    return this.example<ScheduleResponse>('scheduleProject');
  }

  async cancel(): Promise<CancelResponse> {
    return this.example<CancelResponse>('cancelSchedule');
  }

  async getBusinessHours(): Promise<BusinessHours> {
    return this.example<{ data: BusinessHours }>('getBusinessHours').data;
  }

  async addNote(): Promise<AddNoteResponse> {
    return this.example<AddNoteResponse>('addProjectNote');
  }

  async listNotes(): Promise<NoteList> {
    return this.example<{ data: NoteList }>('listProjectNotes').data;
  }
}
