-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "segment" TEXT;

-- CreateIndex
CREATE INDEX "Customer_shopId_segment_idx" ON "Customer"("shopId", "segment");
