-- DropIndex
DROP INDEX "Order_shopId_customerId_idx";

-- DropIndex
DROP INDEX "PointsEntry_shopId_createdAt_idx";

-- CreateIndex
CREATE INDEX "Order_shopId_customerId_orderedAt_paidAt_cancelledAt_subtot_idx" ON "Order"("shopId", "customerId", "orderedAt", "paidAt", "cancelledAt", "subtotalMinor");

-- CreateIndex
CREATE INDEX "PointsEntry_shopId_createdAt_kind_sourceType_points_idx" ON "PointsEntry"("shopId", "createdAt", "kind", "sourceType", "points");
