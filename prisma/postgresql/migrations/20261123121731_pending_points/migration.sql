-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "pendingPoints" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "PointsEntry" ADD COLUMN     "pending" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "PointsEntry_pending_availableAt_idx" ON "PointsEntry"("pending", "availableAt");
