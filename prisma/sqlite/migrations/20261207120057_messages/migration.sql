-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "emailMarketing" TEXT;
ALTER TABLE "Customer" ADD COLUMN "emailMarketingAt" DATETIME;
ALTER TABLE "Customer" ADD COLUMN "locale" TEXT;
ALTER TABLE "Customer" ADD COLUMN "unsubscribedAt" DATETIME;

-- CreateTable
CREATE TABLE "MessageSend" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT,
    "eventId" TEXT,
    "channel" TEXT NOT NULL,
    "message" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "recipient" TEXT,
    "subject" TEXT,
    "locale" TEXT,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "reason" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "runAfter" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" DATETIME,
    "error" TEXT,
    "messageId" TEXT,
    "sentAt" DATETIME,
    "openedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "MessageSend_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "MessageSend_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "OutgoingWebhook" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "events" JSONB NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "OutgoingWebhook_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CustomerEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT,
    "type" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "routedAt" DATETIME,
    CONSTRAINT "CustomerEvent_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_CustomerEvent" ("createdAt", "customerId", "id", "key", "payload", "shopId", "type") SELECT "createdAt", "customerId", "id", "key", "payload", "shopId", "type" FROM "CustomerEvent";
DROP TABLE "CustomerEvent";
ALTER TABLE "new_CustomerEvent" RENAME TO "CustomerEvent";
CREATE INDEX "CustomerEvent_shopId_type_createdAt_idx" ON "CustomerEvent"("shopId", "type", "createdAt");
CREATE INDEX "CustomerEvent_routedAt_createdAt_idx" ON "CustomerEvent"("routedAt", "createdAt");
CREATE UNIQUE INDEX "CustomerEvent_shopId_key_key" ON "CustomerEvent"("shopId", "key");
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
    "klaviyoKey" TEXT
);
INSERT INTO "new_Shop" ("appearance", "appearanceDigest", "appearanceLockedUntil", "appearanceSyncedDigest", "bestSellersWritten", "currency", "domain", "id", "installedAt", "name", "onboardedAt", "onboardingStep", "pixelConnectedAt", "pixelKey", "pixelLockedUntil", "plan", "planChangedAt", "planSubscriptionId", "settings", "survey", "uninstalledAt") SELECT "appearance", "appearanceDigest", "appearanceLockedUntil", "appearanceSyncedDigest", "bestSellersWritten", "currency", "domain", "id", "installedAt", "name", "onboardedAt", "onboardingStep", "pixelConnectedAt", "pixelKey", "pixelLockedUntil", "plan", "planChangedAt", "planSubscriptionId", "settings", "survey", "uninstalledAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "MessageSend_status_runAfter_idx" ON "MessageSend"("status", "runAfter");

-- CreateIndex
CREATE INDEX "MessageSend_shopId_createdAt_idx" ON "MessageSend"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "MessageSend_customerId_sentAt_idx" ON "MessageSend"("customerId", "sentAt");

-- CreateIndex
CREATE UNIQUE INDEX "MessageSend_shopId_key_key" ON "MessageSend"("shopId", "key");

-- CreateIndex
CREATE INDEX "OutgoingWebhook_shopId_idx" ON "OutgoingWebhook"("shopId");

-- Events recorded before messages existed are not sent now.
UPDATE "CustomerEvent" SET "routedAt" = "createdAt";
