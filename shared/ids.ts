// Prefixed, random, sortable-enough ids. 20 base62 symbols carry about 119 bits of randomness.
import { randomBase62 } from "./crypto";

export type IdPrefix = "mch" | "key" | "evt" | "wh" | "dl" | "em" | "cb" | "cc" | "dv" | "ol" | "rtc" | "rsk" | "usr" | "ses" | "aud";

export const newId = (prefix: IdPrefix) => `${prefix}_${randomBase62(20)}`;
