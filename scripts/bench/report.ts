// One line of figures: rate, and the latency percentiles when given.
export function report(name: string, count: number, ms: number, latencies?: number[]) {
  const perSec = Math.round((count / ms) * 1000);
  let line = `${name.padEnd(34)} ${String(perSec).padStart(7)} /s`;
  if (latencies) {
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(2);
    line += `   p50 ${q(0.5)} ms   p95 ${q(0.95)} ms   p99 ${q(0.99)} ms`;
  }
  process.stdout.write(`${line}\n`);
}
