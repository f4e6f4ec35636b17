// Test-side shapes and calls of the merchant's routing API.
import { expect } from "vitest";
import { api } from "./helpers";

export interface VersionJson {
  id: string;
  object: string;
  livemode: boolean;
  version: number;
  name: string;
  active: boolean;
  config: Record<string, unknown>;
  created_at: string;
  activated_at: string | null;
}

/** Stores `config` as the key's next version and makes it the active one; answers the version. */
export async function activateConfig(key: string, config: unknown): Promise<VersionJson> {
  const created = await api("/api/v1/routing/configs", { key, body: config });
  expect(created.status).toBe(201);
  const { id } = await created.json<VersionJson>();
  const activated = await api(`/api/v1/routing/configs/${id}/activate`, { key, method: "POST" });
  expect(activated.status).toBe(200);
  return activated.json<VersionJson>();
}
