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
    "lastActivityAt" DATETIME,
    "metafieldBalance" INTEGER,
    "tier" TEXT,
    "tierSince" DATETIME,
    "tierFloor" TEXT,
    "tierFloorUntil" DATETIME,
    "birthdayMonth" INTEGER,
    "birthdayDay" INTEGER,
    "stamps" INTEGER NOT NULL DEFAULT 0,
    "holdout" BOOLEAN NOT NULL DEFAULT false,
    "holdoutBucket" INTEGER,
    "holdoutReleasedAt" DATETIME,
    "metafieldHoldout" BOOLEAN,
    "redactedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Customer_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Customer" ("balance", "birthdayDay", "birthdayMonth", "createdAt", "email", "firstName", "id", "lastActivityAt", "lastName", "metafieldBalance", "pendingPoints", "redactedAt", "shopId", "shopifyCustomerId", "stamps", "tier", "tierFloor", "tierFloorUntil", "tierSince", "updatedAt") SELECT "balance", "birthdayDay", "birthdayMonth", "createdAt", "email", "firstName", "id", "lastActivityAt", "lastName", "metafieldBalance", "pendingPoints", "redactedAt", "shopId", "shopifyCustomerId", "stamps", "tier", "tierFloor", "tierFloorUntil", "tierSince", "updatedAt" FROM "Customer";
DROP TABLE "Customer";
ALTER TABLE "new_Customer" RENAME TO "Customer";
CREATE INDEX "Customer_shopId_holdout_holdoutBucket_idx" ON "Customer"("shopId", "holdout", "holdoutBucket");
CREATE UNIQUE INDEX "Customer_shopId_shopifyCustomerId_key" ON "Customer"("shopId", "shopifyCustomerId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
