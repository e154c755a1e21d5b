// The database's types, for code that must not import the client itself (the domain). Both
// generated clients (SQLite and PostgreSQL) share one model API (prisma/models.prisma), so
// these are named from one of them here, and only here.
import type { PrismaClient } from "../generated/sqlite/index.js";

export type Db = PrismaClient;
/** A client or the client inside an interactive transaction. */
export type Tx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
