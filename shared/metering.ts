// Counts what the platform asks of Cloudflare's billed services (Worker invocations, Durable
// Object requests and alarms, their SQLite rows, D1 statements and rows, queue messages,
// subrequests), so that `npm run bench` can state what one payment costs. On only when the var
// BENCH_METER is "on", which only the bench sets; otherwise every wrapper hands its argument back
// untouched. The counts live in the isolate: locally the Worker, its objects and its consumers
// share one, which is all the bench needs (in production they would not, and it is never on).

export interface MeterReading {
  /** Worker invocations by kind: "fetch <route>", "queue <name>", "scheduled". */
  invocations: Record<string, number>;
  /** Durable Object requests (RPC calls and alarms) by "<binding>.<method>" or "<class>.alarm". */
  objectRequests: Record<string, number>;
  /** Statements run on the objects' own SQLite, and the rows they wrote, by verb and table. */
  objectStatements: Record<string, number>;
  objectRowsWrittenBy: Record<string, number>;
  /** The same rows by the class of the object that wrote them. */
  objectRowsWrittenByClass: Record<string, number>;
  objectRowsWritten: number;
  objectRowsRead: number;
  /** D1 statements by verb and table ("insert payments", "select events", …). */
  d1Statements: Record<string, number>;
  /** D1 rows written (as billed: index entries count) by verb and table. */
  d1RowsWrittenBy: Record<string, number>;
  /** D1 statements that changed at least one row. */
  d1Writes: number;
  /** D1 round trips: a batch of statements is one. */
  d1Calls: number;
  d1RowsWritten: number;
  d1RowsRead: number;
  /** Writing statements whose driver call returns no row counts (drizzle's `.raw()`). */
  d1WritesUncounted: number;
  /** Queue messages sent, by binding. */
  queueMessages: Record<string, number>;
  subrequests: number;
}

const reading: MeterReading = {
  invocations: {},
  objectRequests: {},
  objectStatements: {},
  objectRowsWrittenBy: {},
  objectRowsWrittenByClass: {},
  objectRowsWritten: 0,
  objectRowsRead: 0,
  d1Statements: {},
  d1RowsWrittenBy: {},
  d1Writes: 0,
  d1Calls: 0,
  d1RowsWritten: 0,
  d1RowsRead: 0,
  d1WritesUncounted: 0,
  queueMessages: {},
  subrequests: 0,
};

export const meterReading = (): MeterReading => structuredClone(reading);

const bump = (counts: Record<string, number>, key: string, by = 1) => {
  counts[key] = (counts[key] ?? 0) + by;
};

export const meterOn = (env: Env) => (env as { BENCH_METER?: string }).BENCH_METER === "on";

/** Counts a Worker invocation (fetch, queue batch, cron run). */
export function meterInvocation(env: Env, kind: string): void {
  if (meterOn(env)) bump(reading.invocations, kind);
}

/** Counts a Durable Object's alarm run, a billed request of its own. */
export function meterAlarm(env: Env, className: string): void {
  if (meterOn(env)) bump(reading.objectRequests, `${className}.alarm`);
}

const wrapped = new WeakMap<object, Env>();

/** The environment with its bindings counted, when metering is on. */
export function metered(env: Env): Env {
  if (!meterOn(env)) return env;
  const known = wrapped.get(env);
  if (known) return known;
  countSubrequests();
  const counted: Env = {
    ...env,
    DB: meteredD1(env.DB),
    PAYMENT: meteredNamespace(env.PAYMENT, "PAYMENT"),
    ORDER: meteredNamespace(env.ORDER, "ORDER"),
    IDEMPOTENCY: meteredNamespace(env.IDEMPOTENCY, "IDEMPOTENCY"),
    SANDBOX: meteredNamespace(env.SANDBOX, "SANDBOX"),
    ROUTING_HEALTH: meteredNamespace(env.ROUTING_HEALTH, "ROUTING_HEALTH"),
    RISK_COUNTER: meteredNamespace(env.RISK_COUNTER, "RISK_COUNTER"),
    CHANNEL_EVENTS: meteredQueue(env.CHANNEL_EVENTS, "CHANNEL_EVENTS"),
    CHANNEL_CALLS: meteredQueue(env.CHANNEL_CALLS, "CHANNEL_CALLS"),
    NOTIFICATIONS: meteredQueue(env.NOTIFICATIONS, "NOTIFICATIONS"),
  };
  wrapped.set(env, counted);
  wrapped.set(counted, counted);
  return counted;
}

/** Counts the rows a Durable Object's own SQLite reads and writes, when metering is on. */
export function meterStorage(storage: DurableObjectStorage, env: Env, className: string): void {
  if (!meterOn(env)) return;
  const sql = storage.sql;
  const exec = sql.exec.bind(sql);
  sql.exec = ((query: string, ...bindings: unknown[]) => {
    const cursor = exec(query, ...bindings);
    bump(reading.objectStatements, shapeOf(query));
    // a write has run by the time exec returns; a read's rows count as they are consumed
    reading.objectRowsWritten += cursor.rowsWritten;
    if (cursor.rowsWritten > 0) {
      bump(reading.objectRowsWrittenBy, shapeOf(query), cursor.rowsWritten);
      bump(reading.objectRowsWrittenByClass, className, cursor.rowsWritten);
    }
    reading.objectRowsRead += cursor.rowsRead;
    return cursor;
  }) as typeof sql.exec;
}

let fetchCounted = false;
function countSubrequests() {
  if (fetchCounted) return;
  fetchCounted = true;
  const original = globalThis.fetch;
  globalThis.fetch = ((...args: Parameters<typeof fetch>) => {
    reading.subrequests++;
    return original(...args);
  }) as typeof fetch;
}

/** Every method called on a stub is one billed request (one RPC session). */
function meteredNamespace<T extends Rpc.DurableObjectBranded | undefined>(ns: DurableObjectNamespace<T>, binding: string) {
  const stubOf = <S extends object>(stub: S): S =>
    new Proxy(stub, {
      get(target, prop) {
        const value = Reflect.get(target, prop);
        if (typeof value !== "function" || typeof prop !== "string") return value;
        return (...args: unknown[]) => {
          bump(reading.objectRequests, `${binding}.${prop}`);
          // Reflect.apply: an RPC method's own `.apply` would be taken for a remote method
          return Reflect.apply(value, target, args);
        };
      },
    });
  return new Proxy(ns, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (prop === "get" || prop === "getByName") {
        return (...args: unknown[]) => stubOf(Reflect.apply(value as (...a: unknown[]) => object, target, args));
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function meteredQueue<T>(queue: Queue<T>, binding: string): Queue<T> {
  return new Proxy(queue, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (prop === "send") {
        return (body: T, options?: QueueSendOptions) => {
          bump(reading.queueMessages, binding);
          return target.send(body, options);
        };
      }
      if (prop === "sendBatch") {
        return (messages: Iterable<MessageSendRequest<T>>, options?: QueueSendBatchOptions) => {
          const list = [...messages];
          bump(reading.queueMessages, binding, list.length);
          return target.sendBatch(list, options);
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** "insert payments", "select events": what a statement does to which table. */
const shapeOf = (query: string) => {
  const verb = /^\s*(\w+)/.exec(query)?.[1]?.toLowerCase() ?? "other";
  const table = /\b(?:into|update|from)\s+["`]?(\w+)/i.exec(query)?.[1] ?? "?";
  return `${verb} ${table}`;
};
const WRITES = /^(insert|update|delete|replace)/;

interface D1Counts {
  rows_read?: number;
  rows_written?: number;
  changes?: number;
}
const countResult = (shape: string, meta: D1Counts | undefined) => {
  reading.d1RowsRead += meta?.rows_read ?? 0;
  reading.d1RowsWritten += meta?.rows_written ?? 0;
  if (meta?.rows_written) bump(reading.d1RowsWrittenBy, shape, meta.rows_written);
  if (meta?.changes && WRITES.test(shape)) reading.d1Writes++;
};

/** The real statement behind a counted one (D1's batch wants its own objects), and its SQL. */
const statements = new WeakMap<object, { statement: D1PreparedStatement; query: string }>();

function meteredStatement(statement: D1PreparedStatement, query: string): D1PreparedStatement {
  const counted = new Proxy(statement, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (typeof value !== "function") return value;
      if (prop === "bind") return (...args: unknown[]) => meteredStatement(target.bind(...args), query);
      if (prop === "run" || prop === "all" || prop === "first" || prop === "raw") {
        return async (...args: unknown[]) => {
          reading.d1Calls++;
          bump(reading.d1Statements, shapeOf(query));
          const result = await Reflect.apply(value, target, args);
          if (prop === "run" || prop === "all") countResult(shapeOf(query), (result as D1Result).meta);
          else if (WRITES.test(shapeOf(query))) reading.d1WritesUncounted++;
          return result;
        };
      }
      return value.bind(target);
    },
  });
  statements.set(counted, { statement, query });
  return counted;
}

function meteredD1(db: D1Database): D1Database {
  return new Proxy(db, {
    get(target, prop) {
      const value = Reflect.get(target, prop);
      if (prop === "prepare") return (query: string) => meteredStatement(target.prepare(query), query);
      if (prop === "batch") {
        return async (list: D1PreparedStatement[]) => {
          reading.d1Calls++;
          const shapes = list.map((s) => shapeOf(statements.get(s)?.query ?? ""));
          for (const shape of shapes) bump(reading.d1Statements, shape);
          const results = await target.batch(list.map((s) => statements.get(s)?.statement ?? s));
          results.forEach((result, i) => countResult(shapes[i]!, result.meta));
          return results;
        };
      }
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
