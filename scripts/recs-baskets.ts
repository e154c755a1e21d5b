// Reads a basket file: one basket a line, items comma-separated. Fields may be quoted (CSV,
// with "" for a quote inside); items are trimmed, empty items and empty lines are skipped, and
// an item twice in a basket counts once.
import { parse } from "csv-parse/sync";

export function parseBaskets(text: string): string[][] {
  // Without a quote, CSV is plain lines and commas; splitting them is exact and much faster.
  const records: string[][] = !text.includes('"')
    ? text
        .replace(/^\uFEFF/, "")
        .split(/\r\n|\n|\r/)
        .map((line) => line.split(","))
    : parse(text, {
        relax_column_count: true,
        relax_quotes: true,
        skip_empty_lines: true,
        trim: true,
        bom: true,
      });
  const baskets: string[][] = [];
  for (const record of records) {
    const items = [...new Set(record.map((field) => field.trim()).filter((field) => field !== ""))];
    if (items.length > 0) baskets.push(items);
  }
  return baskets;
}
