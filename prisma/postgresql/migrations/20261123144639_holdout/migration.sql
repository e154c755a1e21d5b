-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "holdout" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "holdoutBucket" INTEGER,
ADD COLUMN     "holdoutReleasedAt" TIMESTAMP(3),
ADD COLUMN     "metafieldHoldout" BOOLEAN;

-- CreateIndex
CREATE INDEX "Customer_shopId_holdout_holdoutBucket_idx" ON "Customer"("shopId", "holdout", "holdoutBucket");
