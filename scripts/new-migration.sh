#!/bin/sh
# npm run migration:new -- <name>: one migration per provider from the model change.
# PostgreSQL needs a server for its shadow database: MIGRATION_PG_URL (a role that may CREATE DATABASE).
set -e
name="${1:?usage: npm run migration:new -- <name>}"
ts=$(date -u +%Y%m%d%H%M%S)
for p in sqlite postgresql; do
  if [ "$p" = sqlite ]; then url="file:./prisma/dev.db"; else url="${MIGRATION_PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"; fi
  tmp=$(mktemp)
  DATABASE_URL="$url" npx prisma migrate diff --from-migrations "prisma/$p/migrations" \
    --to-schema-datamodel "prisma/$p" --script -o "$tmp"
  if grep -q '^-- This is an empty migration' "$tmp"; then echo "$p: no changes"; rm "$tmp"; continue; fi
  mkdir -p "prisma/$p/migrations/${ts}_${name}"
  mv "$tmp" "prisma/$p/migrations/${ts}_${name}/migration.sql"
  echo "$p: prisma/$p/migrations/${ts}_${name}/migration.sql"
done
