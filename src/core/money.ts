// Money is an integer of minor units plus an ISO 4217 code; never a float.

/**
 * Parses an amount typed by a person ("12,500.50", "12500", "0.5") into minor units.
 * Returns null for anything that is not a plain non-negative amount with at most
 * `minorUnits` decimals.
 */
export function parseAmount(input: string, minorUnits: number): bigint | null {
  const s = input
    .trim()
    .replace(/[\s_\u00a0\u202f]/g, '')
    .replace(/,(?=\d{3}(?:\D|$))/g, '');
  const m = /^(\d{1,15})(?:\.(\d+))?$/.exec(s);
  if (!m) return null;
  const decimals = m[2] ?? '';
  if (decimals.length > minorUnits) return null;
  return BigInt(m[1]!) * 10n ** BigInt(minorUnits) + BigInt(decimals.padEnd(minorUnits, '0') || '0');
}

/** Minor units as a plain decimal string ("12500.50"), as a form field shows it. */
export function toDecimalString(minor: bigint | string | number, minorUnits: number): string {
  const v = BigInt(minor);
  const neg = v < 0n;
  const abs = neg ? -v : v;
  if (minorUnits === 0) return `${neg ? '-' : ''}${abs}`;
  const unit = 10n ** BigInt(minorUnits);
  return `${neg ? '-' : ''}${abs / unit}.${(abs % unit).toString().padStart(minorUnits, '0')}`;
}

/** An amount as its integer of minor units and how many minor units make one major unit. */
export type FaceValue = { minor: bigint | string; minorUnits: number; currency: string };

/**
 * Compares two amounts by face value in major units (there are no exchange rates here):
 * a / 10^ua against b / 10^ub, cross-multiplied so that it stays exact integer math.
 * Approval thresholds and limits are set in the org's default currency and compared this way.
 */
export function compareFaceValue(a: FaceValue, b: FaceValue): -1 | 0 | 1 {
  const left = BigInt(a.minor) * 10n ** BigInt(b.minorUnits);
  const right = BigInt(b.minor) * 10n ** BigInt(a.minorUnits);
  return left < right ? -1 : left > right ? 1 : 0;
}

const formatters = new Map<string, Intl.NumberFormat>();

/** "€12,500.50": for pages. The digits come from the integer, never from a float division. */
export function formatMoney(minor: bigint | string | number, currency: string, minorUnits = 2): string {
  let f = formatters.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('en-GB', {
      style: 'currency',
      currency,
      minimumFractionDigits: minorUnits,
      maximumFractionDigits: minorUnits,
    });
    formatters.set(currency, f);
  }
  // Intl formats decimal strings exactly (no float rounding) on Node 20+.
  return f.format(toDecimalString(minor, minorUnits) as `${number}`);
}
