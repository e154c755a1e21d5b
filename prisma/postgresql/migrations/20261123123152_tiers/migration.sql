-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "tier" TEXT,
ADD COLUMN     "tierSince" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "TierProgram" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "basis" TEXT NOT NULL,
    "period" TEXT NOT NULL,
    "tiers" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TierProgram_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TierChange" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "fromTier" TEXT,
    "toTier" TEXT,
    "configVersion" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "syncedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TierChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TierProgram_shopId_version_key" ON "TierProgram"("shopId", "version");

-- CreateIndex
CREATE INDEX "TierChange_shopId_customerId_createdAt_idx" ON "TierChange"("shopId", "customerId", "createdAt");

-- CreateIndex
CREATE INDEX "TierChange_shopId_syncedAt_idx" ON "TierChange"("shopId", "syncedAt");
