-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Shop" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "domain" TEXT NOT NULL,
    "name" TEXT,
    "currency" TEXT NOT NULL DEFAULT 'USD',
    "settings" JSONB NOT NULL,
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "onboardingStep" INTEGER NOT NULL DEFAULT 1,
    "onboardedAt" DATETIME,
    "plan" TEXT NOT NULL DEFAULT 'free',
    "planSubscriptionId" TEXT,
    "planChangedAt" DATETIME
);
INSERT INTO "new_Shop" ("currency", "domain", "id", "installedAt", "name", "settings", "uninstalledAt") SELECT "currency", "domain", "id", "installedAt", "name", "settings", "uninstalledAt" FROM "Shop";
DROP TABLE "Shop";
ALTER TABLE "new_Shop" RENAME TO "Shop";
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Shops installed before onboarding existed are already set up: never send them through it.
UPDATE "Shop" SET "onboardedAt" = "installedAt", "onboardingStep" = 3;
