import type { components } from '../../../generated/types/notes.js';

type Schemas = components['schemas'];
export type AddNoteRequest = Schemas['AddNoteRequest'];
export type AddNoteResult = Schemas['AddNoteResult'];
export type NoteList = Schemas['NoteList'];
