import { BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";

// Charts are drawn at a fixed size on the server (recharts 2 renders the SVG without the
// browser) and scale to the card's width with CSS; an explicit chart id keeps the SVG's
// clip-path ids the same on the server and in the browser. Recharts measures text only in the
// browser, so both axes use fixed tick intervals and the x axis plain labels: automatic
// intervals and its word-wrapping labels would come out different in the browser and break
// hydration.
const WIDTH = 320;
const HEIGHT = 110;
const ACCENT = "#2c6ecb";

/** A plain SVG label: recharts' own tick text wraps words by measuring them, in the browser only. */
function Tick({ x, y, payload }: { x?: number; y?: number; payload?: { value: string } }) {
  return (
    <text x={x} y={(y ?? 0) + 10} textAnchor="middle" fontSize={10} fill="#616161">
      {payload?.value}
    </text>
  );
}

export interface TrendPoint {
  label: string;
  value: number | null;
}

export function TrendChart({
  id,
  points,
  format,
  title,
}: {
  id: string;
  points: TrendPoint[];
  format: (v: number) => string;
  title: string;
}) {
  return (
    <div className="kembali-chart" role="img" aria-label={title}>
      <LineChart id={id} width={WIDTH} height={HEIGHT} data={points} margin={{ top: 8, right: 8, bottom: 0, left: 8 }}>
        <CartesianGrid stroke="#e3e3e3" vertical={false} />
        <XAxis dataKey="label" tick={Tick} tickLine={false} axisLine={false} interval={3} />
        <YAxis hide domain={["auto", "auto"]} interval={0} tickCount={4} />
        <Tooltip formatter={(v: number) => format(v)} />
        <Line type="monotone" dataKey="value" stroke={ACCENT} strokeWidth={2} dot={false} isAnimationActive={false} connectNulls />
      </LineChart>
    </div>
  );
}

/**
 * One dashboard figure: its value for the period, the change against the previous period
 * (green when it moved the right way) and its month-by-month chart.
 */
export function Metric({
  id,
  label,
  value,
  change,
  better = "up",
  previous,
  points,
  format,
  help,
}: {
  id: string;
  label: string;
  value: string;
  /** The change against the previous period, and its sign (0: unchanged). */
  change: { text: string; sign: number } | null;
  /** Which way of moving is good news; "none" for figures that are neither. */
  better?: "up" | "down" | "none";
  previous: string;
  points: TrendPoint[];
  format: (v: number) => string;
  help?: string;
}) {
  const sign = change?.sign ?? 0;
  const tone = better === "none" || sign === 0 ? "subdued" : sign > 0 === (better === "up") ? "success" : "critical";
  return (
    <Card>
      <BlockStack gap="150">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <InlineStack gap="200" blockAlign="baseline">
          <Text as="p" variant="headingXl">
            {value}
          </Text>
          {change !== null ? (
            <Text as="span" variant="bodySm" tone={tone}>
              {change.text}
            </Text>
          ) : null}
        </InlineStack>
        <Text as="p" variant="bodySm" tone="subdued">
          {previous}
        </Text>
        <TrendChart id={id} points={points} format={format} title={label} />
        {help ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {help}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}
