// The database's types, for code that must not import the client itself (the domain). Both
// generated clients (SQLite and PostgreSQL) share one model API (prisma/models.prisma), so
// these are named from one of them here, and only here.
import type { PrismaClient } from "../generated/sqlite/index.js";

export type Db = PrismaClient;
/** A client or the client inside an interactive transaction. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export type Dialect = "sqlite" | "postgresql";

/**
 * Which database a client talks to, for the few queries whose SQL or options differ (both
 * generated clients record their provider; Prisma has no public accessor for it).
 */
export function dialectOf(db: Tx): Dialect {
  const provider = (db as unknown as { _activeProvider?: string })._activeProvider;
  if (provider === "sqlite" || provider === "postgresql") return provider;
  throw new Error(`unknown database provider ${String(provider)}`);
}
