/**
 * USE_MOCK_API=true: PF360 answers come from openapi/pf360.yaml's own examples, in-process, with
 * no network at all, so a stage without PF360 access still works end to end. The
 * first example of each 200 response is the answer, as Prism serves it by default.
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

function example<T>(operationId: keyof typeof pf360Examples): T {
  const first = Object.values(pf360Examples[operationId]['200'])[0];
  return structuredClone(first) as T;
}

export class ExamplePf360Client implements Pf360Api {
  async getDashboard(): Promise<DashboardItem[]> {
    return example<{ data: DashboardItem[] }>('getDashboard').data;
  }

  async getReschedulerSlots(): Promise<ReschedulerSlots> {
    return example<{ data: ReschedulerSlots }>('getReschedulerSlots').data;
  }

  async schedule(): Promise<ScheduleResponse> {
    return example<ScheduleResponse>('scheduleProject');
  }

  async cancel(): Promise<CancelResponse> {
    return example<CancelResponse>('cancelSchedule');
  }

  async getBusinessHours(): Promise<BusinessHours> {
    return example<{ data: BusinessHours }>('getBusinessHours').data;
  }

  async addNote(): Promise<AddNoteResponse> {
    return example<AddNoteResponse>('addProjectNote');
  }

  async listNotes(): Promise<NoteList> {
    return example<{ data: NoteList }>('listProjectNotes').data;
  }
}
