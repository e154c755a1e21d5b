-- CreateIndex
CREATE INDEX "Order_shopId_orderedAt_idx" ON "Order"("shopId", "orderedAt");
