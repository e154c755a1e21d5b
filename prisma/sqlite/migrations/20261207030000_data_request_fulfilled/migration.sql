-- AlterTable
ALTER TABLE "DataRequest" ADD COLUMN "fulfilledAt" DATETIME;

-- CreateIndex
CREATE INDEX "DataRequest_shopId_receivedAt_idx" ON "DataRequest"("shopId", "receivedAt");
