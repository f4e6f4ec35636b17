// The RoutingHealthDO of a merchant in one mode: where its channels' attempt outcomes are counted
// and its circuits kept.
export const healthStub = (env: Env, merchantId: string, livemode: boolean) =>
  env.ROUTING_HEALTH.get(env.ROUTING_HEALTH.idFromName(`${merchantId}:${livemode ? "live" : "test"}`));
