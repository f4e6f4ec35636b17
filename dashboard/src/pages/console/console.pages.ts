// The operators' console.
import type { Page } from "../../routes";

export const CONSOLE_PAGES: Page[] = [];
