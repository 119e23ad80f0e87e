/** See examples-clock.mjs: importing it moves the process onto the examples calendar. */
export {};
