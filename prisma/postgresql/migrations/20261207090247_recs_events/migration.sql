-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "pixelConnectedAt" TIMESTAMP(3),
ADD COLUMN     "pixelKey" TEXT,
ADD COLUMN     "pixelLockedUntil" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "RecsEvent" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "surface" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RecsEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RecsCheckout" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shopifyOrderId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RecsCheckout_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RecsEvent_shopId_occurredAt_idx" ON "RecsEvent"("shopId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "RecsEvent_shopId_eventId_key" ON "RecsEvent"("shopId", "eventId");

-- CreateIndex
CREATE INDEX "RecsCheckout_shopId_at_idx" ON "RecsCheckout"("shopId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "RecsCheckout_shopId_shopifyOrderId_productId_key" ON "RecsCheckout"("shopId", "shopifyOrderId", "productId");

-- AddForeignKey
ALTER TABLE "RecsEvent" ADD CONSTRAINT "RecsEvent_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecsCheckout" ADD CONSTRAINT "RecsCheckout_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
