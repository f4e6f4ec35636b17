// Operator alerts from the cron (issue #17): a circuit that opened and dead letters that grew reach
// every admin operator and ALERT_EMAIL once, through the notifications queue's email consumer.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { consumeNotifications } from "../../queues/notifications";
import { CIRCUIT_ALERT_WINDOW_MS, operatorAlerts } from "../../shared/email/operator-alerts";
import type { NotificationsQueueMessage } from "../../shared/notifications/message";
import { TEST_SMTP } from "../constants";
import { addOperator } from "./dashboard-session";

const SMTP_API = `http://127.0.0.1:${TEST_SMTP.webPort}/api`;
const mailsTo = async (address: string) =>
  (await (await fetch(`${SMTP_API}/messages`)).json<Array<{ subject: string; text: string; envelope: { to: string[] } }>>()).filter((m) =>
    m.envelope.to.includes(address),
  );

const ONCALL = `oncall-${Date.now()}@ops.test`;
const alertEnv = { ...env, ALERT_EMAIL: ONCALL } as Env;

let letters = 0;
const parkLetters = (n: number) =>
  env.DB.batch(
    Array.from({ length: n }, () =>
      env.DB.prepare("INSERT INTO dead_letters (id, queue, message_id, body, attempts, created_at) VALUES (?, 'channel-calls', ?, '{}', 10, ?)").bind(
        `dl_alert_${++letters}`,
        `msg_alert_${letters}`,
        Date.now(),
      ),
    ),
  );

const openCircuit = (merchantId: string, changedAt: number) =>
  env.DB.prepare("INSERT INTO routing_circuits (merchant_id, livemode, channel, state, changed_at) VALUES (?, 1, 'stripe', 'open', ?)").bind(merchantId, changedAt).run();

describe("operator alerts", () => {
  it("each open circuit and each new high of dead letters: one email to every admin and ALERT_EMAIL, once", async () => {
    const admin = await addOperator("admin");
    const support = await addOperator("support");
    const now = Date.now();
    await parkLetters(2);
    await openCircuit("mch_alerted", now - 60_000);
    await openCircuit("mch_long_ago", now - CIRCUIT_ALERT_WINDOW_MS - 60_000);

    const due = await operatorAlerts(alertEnv, now);
    expect(due.map((m) => [m.type, m.to, m.dedupeKey]).sort()).toEqual(
      [
        ["alert.circuit_opened", admin.email, `circuit:mch_alerted:live:stripe:${now - 60_000}`],
        ["alert.circuit_opened", ONCALL, `circuit:mch_alerted:live:stripe:${now - 60_000}`],
        ["alert.dead_letters", admin.email, `dead_letters:2:${now}`],
        ["alert.dead_letters", ONCALL, `dead_letters:2:${now}`],
      ].sort(),
    );
    expect(due.some((m) => m.to === support.email)).toBe(false);

    const batch = createMessageBatch<NotificationsQueueMessage>("notifications", due.map((body, i) => ({ id: `alert-${i}`, body, attempts: 1, timestamp: new Date() })));
    const ctx = createExecutionContext();
    await consumeNotifications(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(4);
    const subjects = (await mailsTo(admin.email)).map((m) => m.subject).sort();
    expect(subjects).toEqual(["Circuit opened: stripe for mch_alerted (live)", "Dead letters growing: 2 waiting"]);
    expect(await mailsTo(ONCALL)).toHaveLength(2);

    // the next run: nothing new, nothing sent
    expect(await operatorAlerts(alertEnv, now + 300_000)).toEqual([]);
    // more dead letters than at the last alert: one more alert, saying how many there were
    await parkLetters(1);
    const grown = await operatorAlerts(alertEnv, now + 600_000);
    expect(grown).toHaveLength(2);
    expect(grown[0]).toMatchObject({ type: "alert.dead_letters", alert: { count: 3, previous: 2 } });
  });
});

describe("operator alerts' query plans", () => {
  it.each([
    ["the admin operators", "SELECT email FROM dashboard_users WHERE kind = 'operator' AND role = ?", /USING (COVERING )?INDEX idx_dashboard_users_operators/],
    ["circuits opened lately", "SELECT * FROM routing_circuits WHERE state = ? AND changed_at >= ? LIMIT 20", /USING (COVERING )?INDEX idx_routing_circuits_state/],
    ["dead letters waiting", "SELECT count(*) FROM dead_letters WHERE replayed_at IS NULL", /USING (COVERING )?INDEX idx_dead_letters_parked/],
    ["alerts already made", "SELECT DISTINCT dedupe_key FROM emails WHERE dedupe_key IN (?, ?)", /USING (COVERING )?INDEX sqlite_autoindex_emails_2/],
  ])("%s are read through an index", async (_, sql, index) => {
    const plan = (await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...sql.split("?").slice(1).map(() => "x")).all<{ detail: string }>()).results;
    const details = plan.map((r) => r.detail).join("\n");
    expect(details).toMatch(index);
    expect(details).not.toMatch(/SCAN (?!.*USING)/);
  });
});
