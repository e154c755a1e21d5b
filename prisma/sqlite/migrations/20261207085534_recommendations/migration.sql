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
    "checkedAt" DATETIME,
    "excluded" BOOLEAN NOT NULL DEFAULT false,
    "pinned" JSONB,
    "alsoBoughtWritten" TEXT,
    "updatedAt" DATETIME NOT NULL,

    PRIMARY KEY ("shopId", "productId"),
    CONSTRAINT "Product_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecsItem" (
    "shopId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "baskets" INTEGER NOT NULL,

    PRIMARY KEY ("shopId", "productId"),
    CONSTRAINT "RecsItem_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecsPair" (
    "shopId" TEXT NOT NULL,
    "productA" TEXT NOT NULL,
    "productB" TEXT NOT NULL,
    "baskets" INTEGER NOT NULL,

    PRIMARY KEY ("shopId", "productA", "productB"),
    CONSTRAINT "RecsPair_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecsNeighbour" (
    "shopId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "neighbourId" TEXT NOT NULL,
    "score" REAL NOT NULL,

    PRIMARY KEY ("shopId", "productId", "neighbourId"),
    CONSTRAINT "RecsNeighbour_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "RecsState" (
    "shopId" TEXT NOT NULL PRIMARY KEY,
    "baskets" INTEGER NOT NULL DEFAULT 0,
    "countsVersion" INTEGER NOT NULL DEFAULT 0,
    "fittedVersion" INTEGER NOT NULL DEFAULT 0,
    "fittedAt" DATETIME,
    "listLength" INTEGER NOT NULL DEFAULT 8,
    "minOrders" INTEGER NOT NULL DEFAULT 3,
    "picks" JSONB,
    "choicesVersion" INTEGER NOT NULL DEFAULT 0,
    "publishedVersion" TEXT,
    "refitLockedUntil" DATETIME,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "RecsState_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Order" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyOrderId" TEXT NOT NULL,
    "customerId" TEXT,
    "currency" TEXT NOT NULL,
    "totalMinor" BIGINT NOT NULL,
    "subtotalMinor" BIGINT NOT NULL,
    "shippingMinor" BIGINT NOT NULL DEFAULT 0,
    "taxMinor" BIGINT NOT NULL DEFAULT 0,
    "orderedAt" DATETIME NOT NULL,
    "paidAt" DATETIME,
    "cancelledAt" DATETIME,
    "recsCounted" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Order_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "Order_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Order" ("cancelledAt", "createdAt", "currency", "customerId", "id", "orderedAt", "paidAt", "shippingMinor", "shopId", "shopifyOrderId", "subtotalMinor", "taxMinor", "totalMinor") SELECT "cancelledAt", "createdAt", "currency", "customerId", "id", "orderedAt", "paidAt", "shippingMinor", "shopId", "shopifyOrderId", "subtotalMinor", "taxMinor", "totalMinor" FROM "Order";
DROP TABLE "Order";
ALTER TABLE "new_Order" RENAME TO "Order";
CREATE INDEX "Order_shopId_customerId_idx" ON "Order"("shopId", "customerId");
CREATE INDEX "Order_shopId_orderedAt_idx" ON "Order"("shopId", "orderedAt");
CREATE INDEX "Order_shopId_paidAt_idx" ON "Order"("shopId", "paidAt");
CREATE INDEX "Order_shopId_recsCounted_idx" ON "Order"("shopId", "recsCounted");
CREATE UNIQUE INDEX "Order_shopId_shopifyOrderId_key" ON "Order"("shopId", "shopifyOrderId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "Product_shopId_excluded_idx" ON "Product"("shopId", "excluded");

-- CreateIndex
CREATE INDEX "Product_shopId_checkedAt_idx" ON "Product"("shopId", "checkedAt");

-- CreateIndex
CREATE INDEX "RecsItem_shopId_baskets_idx" ON "RecsItem"("shopId", "baskets");

-- CreateIndex
CREATE INDEX "RecsNeighbour_shopId_neighbourId_score_idx" ON "RecsNeighbour"("shopId", "neighbourId", "score");
