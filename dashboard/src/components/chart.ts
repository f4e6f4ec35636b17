// Charts, drawn by uPlot (small and fast with long time series): LineChart and BarChart take the
// x values and one array of y values per series. The chart fills its container's width, follows
// it as it resizes, and is destroyed with the component. Pass arrays that keep their identity
// between renders (useMemo, or straight from the loaded answer), and a formatValue defined outside
// the component: new ones rebuild the chart. Its legend is a table, so screen readers get the values.
import { html } from "htm/preact";
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

export interface ChartSeries {
  label: string;
  values: Array<number | null>;
}

export interface ChartProps {
  /** What the chart shows: the figure's caption. */
  title: string;
  /** Unix seconds (a time axis), or indexes into `categories`. */
  x: number[];
  series: ChartSeries[];
  /** Names for the x values 0, 1, 2… instead of a time axis (bars per channel, per status). */
  categories?: string[];
  /** What the x values are, in the legend: "Time" unless said. */
  xLabel?: string;
  height?: number;
  /** How a y value reads on the axis and in the legend (money, a percentage). */
  formatValue?: (value: number) => string;
  /** A dot on every value, for lines with gaps (null), where a lone value has no line to show it. */
  points?: boolean;
}

// Dark enough on white for AA contrast as lines, text and bars.
const PALETTE = ["#1f5fbf", "#b3261e", "#1e7d32", "#7b3fa0", "#8a5a00", "#00707a"];
const AXIS = { stroke: "#3d4451", grid: { stroke: "#e3e6ea" }, ticks: { stroke: "#e3e6ea" } };

function options(props: ChartProps, bars: boolean, width: number): uPlot.Options {
  const { categories, xLabel = "Time", formatValue = (v: number) => v.toLocaleString() } = props;
  return {
    width,
    height: props.height ?? 240,
    scales: {
      x: categories
        ? { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }
        : { time: true },
      // from zero: a bar or a line of amounts read from a cut axis overstates every change
      y: { range: (_u, min, max) => uPlot.rangeNum(Math.min(0, min), Math.max(0, max), 0.1, true) },
    },
    axes: [
      {
        ...AXIS,
        ...(categories && { splits: () => props.x, values: (_u, splits) => splits.map((i) => categories[i] ?? "") }),
      },
      { ...AXIS, size: 72, values: (_u, splits) => splits.map(formatValue) },
    ],
    series: [
      { label: xLabel, ...(categories && { value: (_u: uPlot, i: number | null) => (i == null ? "—" : (categories[i] ?? "")) }) },
      ...props.series.map((s, i): uPlot.Series => {
        const color = PALETTE[i % PALETTE.length]!;
        return {
          label: s.label,
          stroke: color,
          width: bars ? 1 : 2,
          value: (_u, v) => (v == null ? "—" : formatValue(v)),
          ...(props.points && { points: { show: true, size: 7, fill: color } }),
          ...(bars && { fill: `${color}cc`, paths: uPlot.paths.bars!({ size: [0.6, 64] }), points: { show: false } }),
        };
      }),
    ],
  };
}

function Chart({ bars, ...props }: ChartProps & { bars: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current!;
    const plot = new uPlot(
      options(props, bars, element.clientWidth),
      [props.x, ...props.series.map((s) => s.values)] as uPlot.AlignedData,
      element,
    );
    const resize = new ResizeObserver(() => plot.setSize({ width: element.clientWidth, height: props.height ?? 240 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [bars, props.x, props.series, props.categories, props.xLabel, props.height, props.formatValue, props.points]);
  return html`<figure class="chart">
    <figcaption>${props.title}</figcaption>
    <div class="chart-box" ref=${box}></div>
  </figure>`;
}

export const LineChart = (props: ChartProps) => html`<${Chart} ...${props} bars=${false} />`;
export const BarChart = (props: ChartProps) => html`<${Chart} ...${props} bars=${true} />`;
