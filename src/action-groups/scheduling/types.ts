import type { components } from '../../../generated/types/scheduling.js';

type Schemas = components['schemas'];
export type ProjectList = Schemas['ProjectList'];
export type AvailableDates = Schemas['AvailableDates'];
export type TimeSlots = Schemas['TimeSlots'];
export type BookingRequest = Schemas['BookingRequest'];
export type BookingResult = Schemas['BookingResult'];
export type CancelRequest = Schemas['CancelRequest'];
export type CancelResult = Schemas['CancelResult'];
export type BusinessHoursBody = Schemas['BusinessHours'];
