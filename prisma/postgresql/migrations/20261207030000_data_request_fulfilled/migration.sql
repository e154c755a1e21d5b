-- AlterTable
ALTER TABLE "DataRequest" ADD COLUMN     "fulfilledAt" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "DataRequest_shopId_receivedAt_idx" ON "DataRequest"("shopId", "receivedAt");
