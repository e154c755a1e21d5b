-- CreateTable
CREATE TABLE "AnalyticsSnapshot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "data" TEXT NOT NULL,
    "asOf" DATETIME NOT NULL,
    "computedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "AnalyticsSnapshot_shopId_key_key" ON "AnalyticsSnapshot"("shopId", "key");

-- CreateIndex
CREATE INDEX "PointsEntry_shopId_createdAt_idx" ON "PointsEntry"("shopId", "createdAt");
