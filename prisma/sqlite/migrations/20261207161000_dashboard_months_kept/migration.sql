-- CreateTable
CREATE TABLE "AnalyticsMonth" (
    "shopId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "writes" INTEGER NOT NULL DEFAULT 0,
    "keptWrites" INTEGER,

    PRIMARY KEY ("shopId", "month")
);

-- Kept months (docs/decisions/039-dashboard-months-kept.md): a write to an order, a ledger entry
-- or a referral dated in a month adds 1 to `writes` of the shop's AnalyticsMonth rows for that
-- month and every later one, in the writer's transaction, whatever code or SQL wrote it. Rows
-- exist only for completed months, so a write dated this month updates nothing. Only the
-- columns the month figures read count for updates. DateTime is ISO text here: its first seven
-- characters are the month. A migration that rebuilds one of these tables must create its
-- triggers again (test/integration/dashboard-months.test.ts checks they exist).

CREATE TRIGGER "Order_analytics_months_insert" AFTER INSERT ON "Order" BEGIN
  UPDATE "AnalyticsMonth" SET "writes" = "writes" + 1 WHERE "shopId" = NEW."shopId" AND "month" >= substr(NEW."orderedAt", 1, 7);
END;
CREATE TRIGGER "Order_analytics_months_delete" AFTER DELETE ON "Order" BEGIN
  UPDATE "AnalyticsMonth" SET "writes" = "writes" + 1 WHERE "shopId" = OLD."shopId" AND "month" >= substr(OLD."orderedAt", 1, 7);
END;
CREATE TRIGGER "Order_analytics_months_update" AFTER UPDATE OF "shopId", "customerId", "subtotalMinor", "orderedAt", "paidAt", "cancelledAt" ON "Order"
  WHEN OLD."shopId" IS NOT NEW."shopId" OR OLD."customerId" IS NOT NEW."customerId" OR OLD."subtotalMinor" IS NOT NEW."subtotalMinor" OR OLD."orderedAt" IS NOT NEW."orderedAt" OR OLD."paidAt" IS NOT NEW."paidAt" OR OLD."cancelledAt" IS NOT NEW."cancelledAt"
BEGIN
  UPDATE "AnalyticsMonth" SET "writes" = "writes" + 1 WHERE "shopId" = OLD."shopId" AND "month" >= substr(OLD."orderedAt", 1, 7);
  UPDATE "AnalyticsMonth" SET "writes" = "writes" + 1 WHERE "shopId" = NEW."shopId" AND "month" >= substr(NEW."orderedAt", 1, 7);
END;

CREATE TRIGGER "PointsEntry_analytics_months_insert" AFTER INSERT ON "PointsEntry" BEGIN
  UPDATE "AnalyticsMonth" SET "writes" = "writes" + 1 WHERE "shopId" = NEW."shopId" AND "month" >= substr(NEW."createdAt", 1, 7);
END;
CREATE TRIGGER "PointsEntry_analytics_months_delete" AFTER DELETE ON "PointsEntry" BEGIN
  UPDATE "AnalyticsMonth" SET "writes" = "writes" + 1 WHERE "shopId" = OLD."shopId" AND "month" >= substr(OLD."createdAt", 1, 7);
END;
CREATE TRIGGER "PointsEntry_analytics_months_update" AFTER UPDATE OF "shopId", "kind", "points", "sourceType", "createdAt" ON "PointsEntry"
  WHEN OLD."shopId" IS NOT NEW."shopId" OR OLD."kind" IS NOT NEW."kind" OR OLD."points" IS NOT NEW."points" OR OLD."sourceType" IS NOT NEW."sourceType" OR OLD."createdAt" IS NOT NEW."createdAt"
BEGIN
  UPDATE "AnalyticsMonth" SET "writes" = "writes" + 1 WHERE "shopId" = OLD."shopId" AND "month" >= substr(OLD."createdAt", 1, 7);
  UPDATE "AnalyticsMonth" SET "writes" = "writes" + 1 WHERE "shopId" = NEW."shopId" AND "month" >= substr(NEW."createdAt", 1, 7);
END;

CREATE TRIGGER "Referral_analytics_months_insert" AFTER INSERT ON "Referral" BEGIN
  UPDATE "AnalyticsMonth" SET "writes" = "writes" + 1 WHERE "shopId" = NEW."shopId" AND "month" >= substr(NEW."createdAt", 1, 7);
END;
CREATE TRIGGER "Referral_analytics_months_delete" AFTER DELETE ON "Referral" BEGIN
  UPDATE "AnalyticsMonth" SET "writes" = "writes" + 1 WHERE "shopId" = OLD."shopId" AND "month" >= substr(OLD."createdAt", 1, 7);
END;
CREATE TRIGGER "Referral_analytics_months_update" AFTER UPDATE OF "shopId", "status", "createdAt" ON "Referral"
  WHEN OLD."shopId" IS NOT NEW."shopId" OR OLD."status" IS NOT NEW."status" OR OLD."createdAt" IS NOT NEW."createdAt"
BEGIN
  UPDATE "AnalyticsMonth" SET "writes" = "writes" + 1 WHERE "shopId" = OLD."shopId" AND "month" >= substr(OLD."createdAt", 1, 7);
  UPDATE "AnalyticsMonth" SET "writes" = "writes" + 1 WHERE "shopId" = NEW."shopId" AND "month" >= substr(NEW."createdAt", 1, 7);
END;
