// What the developer pages (webhooks, channels) share: telling "there is none yet" (404) from a failure.
import { ApiFailure } from "../../api";

/** A GET answered 404: the thing is not set up yet, which a page shows as such, not as an error. */
export const isMissing = (error: unknown) => error instanceof ApiFailure && error.status === 404;
