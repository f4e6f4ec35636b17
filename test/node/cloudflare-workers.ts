// `cloudflare:workers` for the Node tests that load the Worker's modules to read what they declare
// (the OpenAPI document): nothing runs a request there, so the runtime's hooks do nothing.
export const waitUntil = (promise: Promise<unknown>): void => void promise;
