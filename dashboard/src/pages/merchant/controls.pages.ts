// The merchant's controls: routing and risk.
import type { Page } from "../../routes";

export const CONTROL_PAGES: Page[] = [];
