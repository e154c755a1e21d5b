-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "tier" TEXT;
ALTER TABLE "Customer" ADD COLUMN "tierSince" DATETIME;

-- CreateTable
CREATE TABLE "TierProgram" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "basis" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "tiers" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "TierChange" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "fromTier" TEXT,
    "toTier" TEXT,
    "configVersion" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "syncedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "TierProgram_shopId_version_key" ON "TierProgram"("shopId", "version");

-- CreateIndex
CREATE INDEX "TierChange_shopId_customerId_createdAt_idx" ON "TierChange"("shopId", "customerId", "createdAt");

-- CreateIndex
CREATE INDEX "TierChange_shopId_syncedAt_idx" ON "TierChange"("shopId", "syncedAt");
