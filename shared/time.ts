// Times are stored as epoch milliseconds and shown as ISO-8601 UTC; days are UTC days, YYYY-MM-DD.
export const toIso = (ms: number) => new Date(ms).toISOString();
export const toIsoOrNull = (ms: number | null) => (ms === null ? null : toIso(ms));

export const DAY_MS = 24 * 60 * 60 * 1000;

/** The UTC day (YYYY-MM-DD) of an epoch-ms instant. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Midnight UTC (epoch ms) at the start of a YYYY-MM-DD day. */
export const dayStart = (day: string) => Date.parse(`${day}T00:00:00.000Z`);

/** The day `n` days after (or before, if negative) a YYYY-MM-DD day. */
export const addDays = (day: string, n: number) => utcDay(dayStart(day) + n * DAY_MS);
