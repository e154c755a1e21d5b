-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Customer" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyCustomerId" TEXT NOT NULL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "balance" INTEGER NOT NULL DEFAULT 0,
    "pendingPoints" INTEGER NOT NULL DEFAULT 0,
    "redactedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Customer_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Customer" ("balance", "createdAt", "email", "firstName", "id", "lastName", "redactedAt", "shopId", "shopifyCustomerId", "updatedAt") SELECT "balance", "createdAt", "email", "firstName", "id", "lastName", "redactedAt", "shopId", "shopifyCustomerId", "updatedAt" FROM "Customer";
DROP TABLE "Customer";
ALTER TABLE "new_Customer" RENAME TO "Customer";
CREATE UNIQUE INDEX "Customer_shopId_shopifyCustomerId_key" ON "Customer"("shopId", "shopifyCustomerId");
CREATE TABLE "new_PointsEntry" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "balanceAfter" INTEGER NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "sourceType" TEXT NOT NULL,
    "sourceId" TEXT NOT NULL,
    "reason" TEXT,
    "availableAt" DATETIME,
    "expiresAt" DATETIME,
    "remainingPoints" INTEGER,
    "pending" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PointsEntry_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "PointsEntry_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_PointsEntry" ("availableAt", "balanceAfter", "createdAt", "customerId", "expiresAt", "id", "idempotencyKey", "kind", "points", "reason", "remainingPoints", "shopId", "sourceId", "sourceType") SELECT "availableAt", "balanceAfter", "createdAt", "customerId", "expiresAt", "id", "idempotencyKey", "kind", "points", "reason", "remainingPoints", "shopId", "sourceId", "sourceType" FROM "PointsEntry";
DROP TABLE "PointsEntry";
ALTER TABLE "new_PointsEntry" RENAME TO "PointsEntry";
CREATE INDEX "PointsEntry_pending_availableAt_idx" ON "PointsEntry"("pending", "availableAt");
CREATE INDEX "PointsEntry_shopId_customerId_createdAt_idx" ON "PointsEntry"("shopId", "customerId", "createdAt");
CREATE UNIQUE INDEX "PointsEntry_shopId_idempotencyKey_key" ON "PointsEntry"("shopId", "idempotencyKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
