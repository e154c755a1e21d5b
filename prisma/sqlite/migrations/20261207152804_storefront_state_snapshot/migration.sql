-- CreateTable
CREATE TABLE "MemberState" (
    "customerId" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyCustomerId" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "builtVersion" INTEGER,
    "shopVersion" INTEGER,
    "lang" TEXT,
    "build" TEXT,
    "body" TEXT,
    "validUntilMs" BIGINT,
    CONSTRAINT "MemberState_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
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
-- member's MemberState.version or the shop's stateVersion in the same transaction, whichever
-- code path wrote it. A member with no MemberState row yet has nothing to make stale.
CREATE TRIGGER "Customer_state_update" AFTER UPDATE ON "Customer" BEGIN
  UPDATE "MemberState" SET "version" = "version" + 1 WHERE "customerId" = NEW."id";
END;
CREATE TRIGGER "PointsEntry_state_insert" AFTER INSERT ON "PointsEntry" BEGIN
  UPDATE "MemberState" SET "version" = "version" + 1 WHERE "customerId" = NEW."customerId";
END;
CREATE TRIGGER "PointsEntry_state_update" AFTER UPDATE ON "PointsEntry" BEGIN
  UPDATE "MemberState" SET "version" = "version" + 1 WHERE "customerId" IN (OLD."customerId", NEW."customerId");
END;
CREATE TRIGGER "PointsEntry_state_delete" AFTER DELETE ON "PointsEntry" BEGIN
  UPDATE "MemberState" SET "version" = "version" + 1 WHERE "customerId" = OLD."customerId";
END;
CREATE TRIGGER "Redemption_state_insert" AFTER INSERT ON "Redemption" BEGIN
  UPDATE "MemberState" SET "version" = "version" + 1 WHERE "customerId" = NEW."customerId";
END;
CREATE TRIGGER "Redemption_state_update" AFTER UPDATE ON "Redemption" BEGIN
  UPDATE "MemberState" SET "version" = "version" + 1 WHERE "customerId" IN (OLD."customerId", NEW."customerId");
END;
CREATE TRIGGER "Redemption_state_delete" AFTER DELETE ON "Redemption" BEGIN
  UPDATE "MemberState" SET "version" = "version" + 1 WHERE "customerId" = OLD."customerId";
END;
CREATE TRIGGER "ReferralCode_state_insert" AFTER INSERT ON "ReferralCode" BEGIN
  UPDATE "MemberState" SET "version" = "version" + 1 WHERE "customerId" = NEW."customerId";
END;
CREATE TRIGGER "ReferralCode_state_update" AFTER UPDATE ON "ReferralCode" BEGIN
  UPDATE "MemberState" SET "version" = "version" + 1 WHERE "customerId" IN (OLD."customerId", NEW."customerId");
END;
CREATE TRIGGER "ReferralCode_state_delete" AFTER DELETE ON "ReferralCode" BEGIN
  UPDATE "MemberState" SET "version" = "version" + 1 WHERE "customerId" = OLD."customerId";
END;
CREATE TRIGGER "Order_state_insert" AFTER INSERT ON "Order" BEGIN
  UPDATE "MemberState" SET "version" = "version" + 1 WHERE "customerId" = NEW."customerId";
END;
CREATE TRIGGER "Order_state_update" AFTER UPDATE ON "Order" BEGIN
  UPDATE "MemberState" SET "version" = "version" + 1 WHERE "customerId" IN (OLD."customerId", NEW."customerId");
END;
CREATE TRIGGER "Order_state_delete" AFTER DELETE ON "Order" BEGIN
  UPDATE "MemberState" SET "version" = "version" + 1 WHERE "customerId" = OLD."customerId";
END;
CREATE TRIGGER "Refund_state_insert" AFTER INSERT ON "Refund" BEGIN
  UPDATE "MemberState" SET "version" = "version" + 1 WHERE "customerId" IN (
    SELECT "customerId" FROM "Order" WHERE "shopId" = NEW."shopId" AND "shopifyOrderId" = NEW."shopifyOrderId");
END;
CREATE TRIGGER "Shop_state_update" AFTER UPDATE OF "settings", "currency", "domain" ON "Shop" BEGIN
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
