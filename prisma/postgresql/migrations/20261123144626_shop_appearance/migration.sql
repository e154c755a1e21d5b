-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "appearance" JSONB,
ADD COLUMN     "appearanceDigest" TEXT,
ADD COLUMN     "appearanceLockedUntil" TIMESTAMP(3),
ADD COLUMN     "appearanceSyncedDigest" TEXT;
