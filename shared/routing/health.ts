// A merchant's routing health: one RoutingHealthDO per merchant and mode, where its channels'
// attempt outcomes are counted and its circuits kept, over a sliding window.

/** How far back health figures reach (the merchant's object, and the platform's view in D1). */
export const HEALTH_WINDOW_MS = 30 * 60_000;

export const healthStub = (env: Env, merchantId: string, livemode: boolean) =>
  env.ROUTING_HEALTH.get(env.ROUTING_HEALTH.idFromName(`${merchantId}:${livemode ? "live" : "test"}`));
