// The merchant's developer pages: events, webhooks, receipts, keys, channels, team.
import "./developers.css";
import type { Page } from "../../routes";
import { ApiKeysPage } from "./api-keys";
import { ChannelsPage } from "./channels";
import { EventPage, EventsPage } from "./events";
import { ReceiptsPage } from "./receipts";
import { TeamPage } from "./team";
import { WebhooksPage } from "./webhooks";

export const DEVELOPER_PAGES: Page[] = [
  { path: "/events", component: EventsPage, kind: "merchant", nav: "Events" },
  { path: "/events/:eventId", component: EventPage, kind: "merchant" },
  { path: "/webhooks", component: WebhooksPage, kind: "merchant", nav: "Webhooks" },
  { path: "/receipts", component: ReceiptsPage, kind: "merchant", nav: "Receipts" },
  { path: "/api-keys", component: ApiKeysPage, kind: "merchant", roles: ["owner", "developer"], nav: "API keys" },
  { path: "/channels", component: ChannelsPage, kind: "merchant", nav: "Channels" },
  { path: "/team", component: TeamPage, kind: "merchant", roles: ["owner"], nav: "Team" },
];
