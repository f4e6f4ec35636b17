// Circuits as D1 sees them (routing_circuits): each merchant's RoutingHealthDO writes a circuit's
// new state there when it changes, for the edgepay_routing_circuits gauge and the operators'
// alerts. A state only moves forward in time: an older write arriving late changes nothing.
import { sql } from "drizzle-orm";
import { writeBatch } from "../db/batch";
import { routingCircuits } from "../db/schema";
import type { CircuitStatus } from "./circuit";

export interface CircuitChange {
  channel: string;
  state: CircuitStatus;
  changedAt: number;
}

export const publishCircuits = (db: D1Database, owner: { merchantId: string; livemode: boolean }, changes: CircuitChange[]): Promise<void> =>
  writeBatch(db, (orm) =>
    changes.map((change) =>
      orm
        .insert(routingCircuits)
        .values({ ...owner, ...change })
        .onConflictDoUpdate({
          target: [routingCircuits.merchantId, routingCircuits.livemode, routingCircuits.channel],
          set: { state: sql`excluded.state`, changedAt: sql`excluded.changed_at` },
          setWhere: sql`excluded.changed_at >= ${routingCircuits.changedAt}`,
        }),
    ),
  );
