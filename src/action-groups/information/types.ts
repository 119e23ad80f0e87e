import type { components } from '../../../generated/types/information.js';

type Schemas = components['schemas'];
export type ProjectDetails = Schemas['ProjectDetails'];
export type AppointmentStatus = Schemas['AppointmentStatus'];
export type WorkingHours = Schemas['WorkingHours'];
export type Weather = Schemas['Weather'];
