-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "appearance" JSONB;
ALTER TABLE "Shop" ADD COLUMN "appearanceDigest" TEXT;
ALTER TABLE "Shop" ADD COLUMN "appearanceLockedUntil" DATETIME;
ALTER TABLE "Shop" ADD COLUMN "appearanceSyncedDigest" TEXT;
