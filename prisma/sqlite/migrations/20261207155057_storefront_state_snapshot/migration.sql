-- CreateTable
CREATE TABLE "MemberState" (
    "customerId" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyCustomerId" TEXT NOT NULL,
    "customerVersion" INTEGER NOT NULL,
    "shopVersion" INTEGER NOT NULL,
    "lang" TEXT NOT NULL,
    "build" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "validUntilMs" BIGINT NOT NULL,
    CONSTRAINT "MemberState_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

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
    "birthdaySavedAt" DATETIME,
    "accountSeenAt" DATETIME,
    "noAccountSeenAt" DATETIME,
    "stamps" INTEGER NOT NULL DEFAULT 0,
    "holdout" BOOLEAN NOT NULL DEFAULT false,
    "holdoutBucket" INTEGER,
    "holdoutReleasedAt" DATETIME,
    "metafieldHoldout" BOOLEAN,
    "segment" TEXT,
    "emailMarketing" TEXT,
    "emailMarketingAt" DATETIME,
    "unsubscribedAt" DATETIME,
    "locale" TEXT,
    "stateVersion" INTEGER NOT NULL DEFAULT 0,
    "redactedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "Customer_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Customer" ("accountSeenAt", "balance", "birthdayDay", "birthdayMonth", "birthdaySavedAt", "createdAt", "email", "emailMarketing", "emailMarketingAt", "firstName", "holdout", "holdoutBucket", "holdoutReleasedAt", "id", "lastActivityAt", "lastName", "locale", "metafieldBalance", "metafieldHoldout", "noAccountSeenAt", "pendingPoints", "redactedAt", "segment", "shopId", "shopifyCustomerId", "stamps", "tier", "tierFloor", "tierFloorUntil", "tierSince", "unsubscribedAt", "updatedAt") SELECT "accountSeenAt", "balance", "birthdayDay", "birthdayMonth", "birthdaySavedAt", "createdAt", "email", "emailMarketing", "emailMarketingAt", "firstName", "holdout", "holdoutBucket", "holdoutReleasedAt", "id", "lastActivityAt", "lastName", "locale", "metafieldBalance", "metafieldHoldout", "noAccountSeenAt", "pendingPoints", "redactedAt", "segment", "shopId", "shopifyCustomerId", "stamps", "tier", "tierFloor", "tierFloorUntil", "tierSince", "unsubscribedAt", "updatedAt" FROM "Customer";
DROP TABLE "Customer";
ALTER TABLE "new_Customer" RENAME TO "Customer";
CREATE INDEX "Customer_shopId_holdout_holdoutBucket_idx" ON "Customer"("shopId", "holdout", "holdoutBucket");
CREATE INDEX "Customer_shopId_segment_idx" ON "Customer"("shopId", "segment");
CREATE UNIQUE INDEX "Customer_shopId_shopifyCustomerId_key" ON "Customer"("shopId", "shopifyCustomerId");
CREATE TABLE "new_Shop" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "domain" TEXT NOT NULL,
    "name" TEXT,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "settings" JSONB NOT NULL,
    "survey" JSONB,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "bestSellersWritten" TEXT,
    "onboardingStep" INTEGER NOT NULL DEFAULT 1,
    "onboardedAt" DATETIME,
    "plan" TEXT NOT NULL DEFAULT 'free',
    "planSubscriptionId" TEXT,
    "planChangedAt" DATETIME,
    "appearance" JSONB,
    "appearanceDigest" TEXT,
    "appearanceSyncedDigest" TEXT,
    "appearanceLockedUntil" DATETIME,
    "pixelKey" TEXT,
    "pixelConnectedAt" DATETIME,
    "pixelLockedUntil" DATETIME,
    "timezone" TEXT NOT NULL DEFAULT 'UTC',
    "messages" JSONB,
    "klaviyoKey" TEXT,
    "stateVersion" INTEGER NOT NULL DEFAULT 0,
    "guestState" TEXT,
    "guestStateVersion" INTEGER,
    "guestStateBuild" TEXT,
    "guestStateUntilMs" BIGINT
);
INSERT INTO "new_Shop" ("appearance", "appearanceDigest", "appearanceLockedUntil", "appearanceSyncedDigest", "bestSellersWritten", "currency", "domain", "id", "installedAt", "klaviyoKey", "messages", "name", "onboardedAt", "onboardingStep", "pixelConnectedAt", "pixelKey", "pixelLockedUntil", "plan", "planChangedAt", "planSubscriptionId", "settings", "survey", "timezone", "uninstalledAt") SELECT "appearance", "appearanceDigest", "appearanceLockedUntil", "appearanceSyncedDigest", "bestSellersWritten", "currency", "domain", "id", "installedAt", "klaviyoKey", "messages", "name", "onboardedAt", "onboardingStep", "pixelConnectedAt", "pixelKey", "pixelLockedUntil", "plan", "planChangedAt", "planSubscriptionId", "settings", "survey", "timezone", "uninstalledAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE UNIQUE INDEX "MemberState_shopId_shopifyCustomerId_key" ON "MemberState"("shopId", "shopifyCustomerId");

-- Triggers (decision 040): every write to what the storefront state is built from raises the
-- member's Customer.stateVersion or the shop's stateVersion in the same transaction, whichever
-- code path wrote it. The member's version is on their Customer row, so a write takes no lock
-- beyond the one the ledger's own writes take.
CREATE TRIGGER "Customer_state" AFTER UPDATE ON "Customer" WHEN NEW."stateVersion" = OLD."stateVersion" BEGIN
  UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = NEW."id";
END;
CREATE TRIGGER "PointsEntry_state_insert" AFTER INSERT ON "PointsEntry" BEGIN
  UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = NEW."customerId";
END;
CREATE TRIGGER "PointsEntry_state_update" AFTER UPDATE ON "PointsEntry" BEGIN
  UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" IN (OLD."customerId", NEW."customerId");
END;
CREATE TRIGGER "PointsEntry_state_delete" AFTER DELETE ON "PointsEntry" BEGIN
  UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = OLD."customerId";
END;
CREATE TRIGGER "Redemption_state_insert" AFTER INSERT ON "Redemption" BEGIN
  UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = NEW."customerId";
END;
CREATE TRIGGER "Redemption_state_update" AFTER UPDATE ON "Redemption" BEGIN
  UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" IN (OLD."customerId", NEW."customerId");
END;
CREATE TRIGGER "Redemption_state_delete" AFTER DELETE ON "Redemption" BEGIN
  UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = OLD."customerId";
END;
CREATE TRIGGER "ReferralCode_state_insert" AFTER INSERT ON "ReferralCode" BEGIN
  UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = NEW."customerId";
END;
CREATE TRIGGER "ReferralCode_state_update" AFTER UPDATE ON "ReferralCode" BEGIN
  UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" IN (OLD."customerId", NEW."customerId");
END;
CREATE TRIGGER "ReferralCode_state_delete" AFTER DELETE ON "ReferralCode" BEGIN
  UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = OLD."customerId";
END;
CREATE TRIGGER "Order_state_insert" AFTER INSERT ON "Order" BEGIN
  UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = NEW."customerId";
END;
CREATE TRIGGER "Order_state_update" AFTER UPDATE ON "Order" BEGIN
  UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" IN (OLD."customerId", NEW."customerId");
END;
CREATE TRIGGER "Order_state_delete" AFTER DELETE ON "Order" BEGIN
  UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = OLD."customerId";
END;
CREATE TRIGGER "Refund_state_insert" AFTER INSERT ON "Refund" BEGIN
  UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" IN (
    SELECT "customerId" FROM "Order" WHERE "shopId" = NEW."shopId" AND "shopifyOrderId" = NEW."shopifyOrderId");
END;
CREATE TRIGGER "Shop_state" AFTER UPDATE OF "settings", "currency", "domain" ON "Shop" BEGIN
  UPDATE "Shop" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = NEW."id";
END;
CREATE TRIGGER "Reward_state_insert" AFTER INSERT ON "Reward" BEGIN
  UPDATE "Shop" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = NEW."shopId";
END;
CREATE TRIGGER "Reward_state_update" AFTER UPDATE ON "Reward" BEGIN
  UPDATE "Shop" SET "stateVersion" = "stateVersion" + 1 WHERE "id" IN (OLD."shopId", NEW."shopId");
END;
CREATE TRIGGER "Reward_state_delete" AFTER DELETE ON "Reward" BEGIN
  UPDATE "Shop" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = OLD."shopId";
END;
CREATE TRIGGER "TierProgram_state_insert" AFTER INSERT ON "TierProgram" BEGIN
  UPDATE "Shop" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = NEW."shopId";
END;
CREATE TRIGGER "TierProgram_state_update" AFTER UPDATE ON "TierProgram" BEGIN
  UPDATE "Shop" SET "stateVersion" = "stateVersion" + 1 WHERE "id" IN (OLD."shopId", NEW."shopId");
END;
CREATE TRIGGER "TierProgram_state_delete" AFTER DELETE ON "TierProgram" BEGIN
  UPDATE "Shop" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = OLD."shopId";
END;
