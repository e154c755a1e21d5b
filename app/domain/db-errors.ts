/** Prisma's unique-constraint violation (the same code with every driver adapter). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: string }).code === "P2002";
}
