-- CreateTable
CREATE TABLE "TierShipping" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "tierKey" TEXT NOT NULL,
    "wanted" BOOLEAN NOT NULL DEFAULT false,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "segmentId" TEXT,
    "discountId" TEXT,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "retryAt" DATETIME,
    "lockedUntil" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "TierShipping_status_retryAt_idx" ON "TierShipping"("status", "retryAt");

-- CreateIndex
CREATE UNIQUE INDEX "TierShipping_shopId_tierKey_key" ON "TierShipping"("shopId", "tierKey");
