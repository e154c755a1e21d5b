-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ReferralCode" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "discountStatus" TEXT NOT NULL DEFAULT 'pending',
    "discountId" TEXT,
    "discountTerms" TEXT,
    "discountRevision" INTEGER NOT NULL DEFAULT 0,
    "discountError" TEXT,
    "discountAttempts" INTEGER NOT NULL DEFAULT 0,
    "discountRetryAt" DATETIME,
    "discountLockedUntil" DATETIME,
    CONSTRAINT "ReferralCode_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "ReferralCode_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_ReferralCode" ("code", "createdAt", "customerId", "id", "shopId") SELECT "code", "createdAt", "customerId", "id", "shopId" FROM "ReferralCode";
DROP TABLE "ReferralCode";
ALTER TABLE "new_ReferralCode" RENAME TO "ReferralCode";
CREATE UNIQUE INDEX "ReferralCode_customerId_key" ON "ReferralCode"("customerId");
CREATE INDEX "ReferralCode_discountStatus_discountRetryAt_idx" ON "ReferralCode"("discountStatus", "discountRetryAt");
CREATE UNIQUE INDEX "ReferralCode_shopId_code_key" ON "ReferralCode"("shopId", "code");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
