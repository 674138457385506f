// Server-rendered SVG charts: no chart script, no inline style (colours come from classes in
// app.css), so they pass the strict CSP and print well. Values scale the bars only; the
// labels people read are formatted by the caller from exact amounts.

export type ChartPoint = { label: string; value: number; display: string; href?: string };

/** Vertical bars over time (e.g. spend per month). */
export function ColumnChart({ title, points, height = 180 }: { title: string; points: ChartPoint[]; height?: number }) {
  const width = 640;
  const top = 16;
  const bottom = 28;
  const max = Math.max(1, ...points.map((p) => p.value));
  const slot = width / Math.max(1, points.length);
  const barWidth = Math.max(4, Math.min(40, slot * 0.6));
  const plot = height - top - bottom;
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={title}
      preserveAspectRatio="xMidYMid meet"
    >
      <title>{title}</title>
      <line class="chart-axis" x1="0" x2={width} y1={height - bottom} y2={height - bottom} />
      {points.map((p, i) => {
        const h = p.value > 0 ? Math.max(2, (p.value / max) * plot) : 0;
        const x = i * slot + (slot - barWidth) / 2;
        const y = height - bottom - h;
        return (
          <g>
            <rect
              class="chart-bar"
              x={x.toFixed(1)}
              y={y.toFixed(1)}
              width={barWidth.toFixed(1)}
              height={h.toFixed(1)}
              rx="3"
            >
              <title>{`${p.label}: ${p.display}`}</title>
            </rect>
            <text class="chart-label" x={(i * slot + slot / 2).toFixed(1)} y={height - 10} text-anchor="middle">
              {p.label}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** Horizontal bars for a ranking (e.g. spend per vendor), with the amount at the end of each bar. */
export function BarList({ title, points }: { title: string; points: ChartPoint[] }) {
  const rowHeight = 30;
  const width = 640;
  const labelWidth = 190;
  const valueWidth = 120;
  const height = Math.max(rowHeight, points.length * rowHeight);
  const max = Math.max(1, ...points.map((p) => p.value));
  const span = width - labelWidth - valueWidth;
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-label={title}>
      <title>{title}</title>
      {points.map((p, i) => {
        const y = i * rowHeight;
        const w = p.value > 0 ? Math.max(2, (p.value / max) * span) : 0;
        const label = p.label.length > 26 ? `${p.label.slice(0, 25)}…` : p.label;
        return (
          <g>
            {p.href ? (
              <a href={p.href}>
                <text class="chart-label chart-label-left chart-link" x="0" y={y + 19}>
                  {label}
                </text>
              </a>
            ) : (
              <text class="chart-label chart-label-left" x="0" y={y + 19}>
                {label}
              </text>
            )}
            <rect
              class="chart-bar chart-bar-alt"
              x={labelWidth}
              y={y + 6}
              width={w.toFixed(1)}
              height={rowHeight - 12}
              rx="3"
            >
              <title>{`${p.label}: ${p.display}`}</title>
            </rect>
            <text class="chart-value" x={(labelWidth + w + 6).toFixed(1)} y={y + 19}>
              {p.display}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
