import type { Transform } from "node:stream";

export function withoutRuntimeNetworkTraces(): Transform;
