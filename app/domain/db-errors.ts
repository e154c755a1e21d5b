/** Prisma's unique-constraint violation (the same code with every driver adapter). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}

/** A value past its column's range (PostgreSQL's integer columns; SQLite's are 64-bit). */
export function isValueOutOfRange(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2020";
}

/** No row matched an update or delete that needs one (P2025): e.g. a condition on it no longer holds. */
export function isRecordNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2025";
}
