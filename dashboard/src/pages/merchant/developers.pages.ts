// The merchant's developer pages: keys, webhooks, events, channels, team.
import type { Page } from "../../routes";
import { ApiKeysPage } from "./api-keys";

export const DEVELOPER_PAGES: Page[] = [
  { path: "/api-keys", component: ApiKeysPage, kind: "merchant", roles: ["owner", "developer"], nav: "API keys" },
];
