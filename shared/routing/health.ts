// A merchant's routing health: one RoutingHealthDO per merchant and mode, where its channels'
// attempt outcomes are counted and its circuits kept, over a sliding window.

/** How far back health figures reach (the merchant's object, and the platform's view in D1). */
export const HEALTH_WINDOW_MS = 30 * 60_000;

const healthName = (merchantId: string, livemode: boolean) => `${merchantId}:${livemode ? "live" : "test"}`;

export const healthStub = (env: Env, merchantId: string, livemode: boolean) => env.ROUTING_HEALTH.get(env.ROUTING_HEALTH.idFromName(healthName(merchantId, livemode)));

/** Whose health object this is, from the name its stub was made with (the object's ctx.id.name). */
export function healthOwner(name: string): { merchantId: string; livemode: boolean } {
  const at = name.lastIndexOf(":");
  return { merchantId: name.slice(0, at), livemode: name.slice(at + 1) === "live" };
}
