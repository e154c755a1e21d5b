// Structured log lines. Never pass secrets or personal data (emails, names, addresses,
// tokens) in `fields`: ids and counts only.
type Level = "info" | "warn" | "error";

export function log(level: Level, message: string, fields: Record<string, unknown> = {}): void {
  if (process.env.NODE_ENV === "test" && level === "info") return;
  const line = JSON.stringify({ level, message, ...fields, at: new Date().toISOString() });
  (level === "error" ? console.error : console.log)(line);
}
