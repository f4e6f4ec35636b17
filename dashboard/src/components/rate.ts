// Rates as the API gives them (0 to 1; null where nothing settled yet), as percentages in the
// reader's language.
const percent = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });

export const formatPercent = (rate: number) => percent.format(rate);

/** "—" where the API says null. */
export const formatRate = (rate: number | null) => (rate === null ? "—" : formatPercent(rate));
