-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "pixelConnectedAt" DATETIME;
ALTER TABLE "Shop" ADD COLUMN "pixelKey" TEXT;
ALTER TABLE "Shop" ADD COLUMN "pixelLockedUntil" DATETIME;

-- CreateTable
CREATE TABLE "RecsEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "surface" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    CONSTRAINT "RecsEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecsCheckout" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyOrderId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "RecsCheckout_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "RecsEvent_shopId_occurredAt_idx" ON "RecsEvent"("shopId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "RecsEvent_shopId_eventId_key" ON "RecsEvent"("shopId", "eventId");

-- CreateIndex
CREATE INDEX "RecsCheckout_shopId_at_idx" ON "RecsCheckout"("shopId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "RecsCheckout_shopId_shopifyOrderId_productId_key" ON "RecsCheckout"("shopId", "shopifyOrderId", "productId");
