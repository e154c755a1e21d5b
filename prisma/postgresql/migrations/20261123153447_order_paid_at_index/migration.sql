-- CreateIndex
CREATE INDEX "Order_shopId_paidAt_idx" ON "Order"("shopId", "paidAt");
