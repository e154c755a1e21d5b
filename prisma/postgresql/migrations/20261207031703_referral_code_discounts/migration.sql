-- AlterTable
ALTER TABLE "ReferralCode" ADD COLUMN     "discountAttempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "discountError" TEXT,
ADD COLUMN     "discountId" TEXT,
ADD COLUMN     "discountLockedUntil" TIMESTAMP(3),
ADD COLUMN     "discountRetryAt" TIMESTAMP(3),
ADD COLUMN     "discountRevision" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "discountStatus" TEXT NOT NULL DEFAULT 'pending',
ADD COLUMN     "discountTerms" TEXT;

-- CreateIndex
CREATE INDEX "ReferralCode_discountStatus_discountRetryAt_idx" ON "ReferralCode"("discountStatus", "discountRetryAt");
