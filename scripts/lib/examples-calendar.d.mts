/** See examples-calendar.mjs. */
export declare const examplesNow: string;
export declare const offsetVariable: string;
export declare function examplesClockEnv(env?: Record<string, string | undefined>): Record<string, string>;
export declare function realClockEnv(env?: Record<string, string | undefined>): Record<string, string | undefined>;
