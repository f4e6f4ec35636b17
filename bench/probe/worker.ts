// The ceiling probe (bench/probe/): the least Worker that does what a payment create costs the local
// runtime most, a new SQLite-backed Durable Object, beside its own bare route, one existing object
// and one D1 query, so that the platform's figures can be read as a share of the runtime's.
// Started only by bench/probe/start.mjs; nothing outside bench/ imports it.
import { DurableObject } from "cloudflare:workers";

interface ProbeEnv {
  OBJECT: DurableObjectNamespace<ProbeObject>;
  DB: D1Database;
}

export class ProbeObject extends DurableObject<ProbeEnv> {
  /** One table and one row: the least a payment's object writes. */
  write(): void {
    this.ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS hit (id INTEGER PRIMARY KEY, at INTEGER NOT NULL)");
    this.ctx.storage.sql.exec("INSERT INTO hit (at) VALUES (?)", Date.now());
  }
}

/** The flags workerd sets on an error from a Durable Object call. */
interface ObjectError extends Error {
  overloaded?: boolean;
  retryable?: boolean;
  durableObjectReset?: boolean;
  /** Thrown by the object's own code, not by the runtime on the way to it. */
  remote?: boolean;
}

/**
 * Whether the runtime, not the object's code, failed the call, so that a retry may get past it:
 * overloaded, disconnected, the object reset (its storage failed, e.g. `out of memory:
 * SQLITE_NOMEM`), or an internal error of the runtime (`internal error; reference = …`, its detail
 * only in the runtime's log; most SQLITE_NOMEM failures arrive so).
 */
function unavailable(error: ObjectError): boolean {
  return (
    error.overloaded === true ||
    error.retryable === true ||
    error.durableObjectReset === true ||
    (error.remote !== true && error.message.startsWith("internal error"))
  );
}

/** A failed call answers its message's first line, for the bench to count: 503 if unavailable, else 500. */
function failure(e: unknown): Response {
  const error: ObjectError = e instanceof Error ? e : new Error(String(e));
  const message = error.message.split("\n")[0] ?? "";
  return new Response(message, unavailable(error) ? { status: 503, headers: { "Retry-After": "1" } } : { status: 500 });
}

async function route(request: Request, env: ProbeEnv): Promise<Response> {
  switch (`${request.method} ${new URL(request.url).pathname}`) {
    case "GET /bare":
      return new Response("ok");
    case "POST /new-object":
      await env.OBJECT.get(env.OBJECT.idFromName(crypto.randomUUID())).write();
      return new Response("created", { status: 201 });
    case "POST /existing-object":
      await env.OBJECT.get(env.OBJECT.idFromName("existing")).write();
      return new Response("written");
    case "GET /d1":
      await env.DB.prepare("SELECT 1").first();
      return new Response("ok");
    default:
      return new Response("not found", { status: 404 });
  }
}

export default {
  async fetch(request, env) {
    try {
      return await route(request, env);
    } catch (e) {
      return failure(e);
    }
  },
} satisfies ExportedHandler<ProbeEnv>;
