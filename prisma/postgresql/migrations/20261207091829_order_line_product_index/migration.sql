-- CreateIndex
CREATE INDEX "OrderLine_orderId_productId_idx" ON "OrderLine"("orderId", "productId");
