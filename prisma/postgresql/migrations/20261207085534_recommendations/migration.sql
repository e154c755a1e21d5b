-- AlterTable
ALTER TABLE "Order" ADD COLUMN     "recsCounted" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "Product" (
    "shopId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "title" TEXT,
    "handle" TEXT,
    "imageUrl" TEXT,
    "imageAlt" TEXT,
    "priceMinor" BIGINT,
    "available" BOOLEAN NOT NULL DEFAULT true,
    "checkedAt" TIMESTAMP(3),
    "excluded" BOOLEAN NOT NULL DEFAULT false,
    "pinned" JSONB,
    "alsoBoughtWritten" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Product_pkey" PRIMARY KEY ("shopId","productId")
);

-- CreateTable
CREATE TABLE "RecsItem" (
    "shopId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "baskets" INTEGER NOT NULL,

    CONSTRAINT "RecsItem_pkey" PRIMARY KEY ("shopId","productId")
);

-- CreateTable
CREATE TABLE "RecsPair" (
    "shopId" TEXT NOT NULL,
    "productA" TEXT NOT NULL,
    "productB" TEXT NOT NULL,
    "baskets" INTEGER NOT NULL,

    CONSTRAINT "RecsPair_pkey" PRIMARY KEY ("shopId","productA","productB")
);

-- CreateTable
CREATE TABLE "RecsNeighbour" (
    "shopId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "neighbourId" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,

    CONSTRAINT "RecsNeighbour_pkey" PRIMARY KEY ("shopId","productId","neighbourId")
);

-- CreateTable
CREATE TABLE "RecsState" (
    "shopId" TEXT NOT NULL,
    "baskets" INTEGER NOT NULL DEFAULT 0,
    "countsVersion" INTEGER NOT NULL DEFAULT 0,
    "fittedVersion" INTEGER NOT NULL DEFAULT 0,
    "fittedAt" TIMESTAMP(3),
    "listLength" INTEGER NOT NULL DEFAULT 8,
    "minOrders" INTEGER NOT NULL DEFAULT 3,
    "picks" JSONB,
    "choicesVersion" INTEGER NOT NULL DEFAULT 0,
    "publishedVersion" TEXT,
    "refitLockedUntil" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RecsState_pkey" PRIMARY KEY ("shopId")
);

-- CreateIndex
CREATE INDEX "Product_shopId_excluded_idx" ON "Product"("shopId", "excluded");

-- CreateIndex
CREATE INDEX "Product_shopId_checkedAt_idx" ON "Product"("shopId", "checkedAt");

-- CreateIndex
CREATE INDEX "RecsItem_shopId_baskets_idx" ON "RecsItem"("shopId", "baskets");

-- CreateIndex
CREATE INDEX "RecsNeighbour_shopId_neighbourId_score_idx" ON "RecsNeighbour"("shopId", "neighbourId", "score");

-- CreateIndex
CREATE INDEX "Order_shopId_recsCounted_idx" ON "Order"("shopId", "recsCounted");

-- AddForeignKey
ALTER TABLE "Product" ADD CONSTRAINT "Product_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecsItem" ADD CONSTRAINT "RecsItem_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecsPair" ADD CONSTRAINT "RecsPair_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecsNeighbour" ADD CONSTRAINT "RecsNeighbour_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RecsState" ADD CONSTRAINT "RecsState_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
