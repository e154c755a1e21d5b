// Confidence intervals for the impact comparison (impact.ts), 95 % two-sided:
// - a proportion: Wilson's score interval;
// - a difference of two independent proportions: Newcombe's hybrid score interval (his
//   method 10, 1998), built from the two Wilson intervals; good coverage even for small
//   counts and rates near 0 or 1, where the plain normal approximation is not;
// - a difference of two means with unequal variances: Welch's t interval, with the
//   Welch–Satterthwaite degrees of freedom.
// Pure functions, no dependencies; checked against published and hand-computed values.

/** Standard normal quantile for a two-sided 95 % interval. */
export const Z_95 = 1.959963984540054;

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

/** Wilson score interval for x successes out of n (n > 0). */
export function wilsonInterval(x: number, n: number, z = Z_95): Interval {
  if (!(n > 0) || x < 0 || x > n) throw new RangeError("wilsonInterval needs 0 <= x <= n and n > 0");
  const p = x / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { estimate: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** p1 − p2 (x1/n1 − x2/n2) with Newcombe's hybrid score interval. */
export function proportionDifference(x1: number, n1: number, x2: number, n2: number, z = Z_95): Interval {
  const a = wilsonInterval(x1, n1, z);
  const b = wilsonInterval(x2, n2, z);
  const d = a.estimate - b.estimate;
  return {
    estimate: d,
    low: d - Math.sqrt((a.estimate - a.low) ** 2 + (b.high - b.estimate) ** 2),
    high: d + Math.sqrt((a.high - a.estimate) ** 2 + (b.estimate - b.low) ** 2),
  };
}

export interface SampleSummary {
  n: number;
  mean: number;
  /** Sample variance (divided by n − 1). */
  variance: number;
}

/** Sample mean and variance from a count, a sum and a sum of squares (n ≥ 2). */
export function summarise(n: number, sum: number, sumOfSquares: number): SampleSummary {
  if (n < 2) throw new RangeError("A variance needs at least 2 values");
  const mean = sum / n;
  // Floating-point cancellation can leave a tiny negative number for equal values.
  const variance = Math.max(0, (sumOfSquares - sum * mean) / (n - 1));
  return { n, mean, variance };
}

/** mean1 − mean2 with Welch's t interval; df is the Welch–Satterthwaite approximation. */
export function meanDifference(a: SampleSummary, b: SampleSummary, confidence = 0.95): Interval & { df: number } {
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  const d = a.mean - b.mean;
  if (se === 0) return { estimate: d, low: d, high: d, df: a.n + b.n - 2 };
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  const t = studentTQuantile(1 - (1 - confidence) / 2, df);
  return { estimate: d, low: d - t * se, high: d + t * se, df };
}

/** Student's t quantile: the t with P(T ≤ t) = p for df degrees of freedom (df > 0, real). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError("studentTQuantile needs 0 < p < 1 and df > 0");
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  // Bisection on the CDF: monotone, and 200 halvings reach double precision from any bracket.
  let low = 0;
  let high = 1;
  while (studentTCdf(high, df) < p) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-12 * high; i++) {
    const mid = (low + high) / 2;
    if (studentTCdf(mid, df) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** P(T ≤ t) for Student's t with df degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** I_x(a, b), the regularized incomplete beta function (continued fraction, Lentz's method). */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
  if (x > (a + 1) / (a + b + 2)) return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
  return (front * betaContinuedFraction(x, a, b)) / a;
}

function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let num = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d;
    c = 1 + num / c;
    if (Math.abs(d) < tiny) d = tiny;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    f *= d * c;
    num = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d;
    c = 1 + num / c;
    if (Math.abs(d) < tiny) d = tiny;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    f *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return f;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 significant digits). */
export function logGamma(x: number): number {
  const g = 7;
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const y = x - 1;
  let sum = coefficients[0];
  for (let i = 1; i < g + 2; i++) sum += coefficients[i] / (y + i);
  const t = y + g + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
}
