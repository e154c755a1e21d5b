-- AlterTable
ALTER TABLE "Product" ADD COLUMN "deletedAt" DATETIME;

-- AlterTable
ALTER TABLE "RecsState" ADD COLUMN "listsLockedUntil" DATETIME;
