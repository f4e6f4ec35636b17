// Times are stored as epoch milliseconds and shown as ISO-8601 UTC.
export const toIso = (ms: number) => new Date(ms).toISOString();
export const toIsoOrNull = (ms: number | null) => (ms === null ? null : toIso(ms));
