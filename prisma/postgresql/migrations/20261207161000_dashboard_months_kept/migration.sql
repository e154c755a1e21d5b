-- CreateTable
CREATE TABLE "AnalyticsMonth" (
    "shopId" TEXT NOT NULL,
    "month" TEXT NOT NULL,
    "writes" INTEGER NOT NULL DEFAULT 0,
    "keptWrites" INTEGER,

    CONSTRAINT "AnalyticsMonth_pkey" PRIMARY KEY ("shopId","month")
);

-- Kept months (docs/decisions/039-dashboard-months-kept.md): a write to an order, a ledger entry
-- or a referral dated in a month adds 1 to `writes` of the shop's AnalyticsMonth rows for that
-- month and every later one, in the writer's transaction, whatever code or SQL wrote it. Rows
-- exist only for completed months, so a write dated this month updates nothing. Only the
-- columns the month figures read count for updates. test/integration/dashboard-months.test.ts
-- checks the triggers exist.
CREATE FUNCTION "analytics_months_order"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE "AnalyticsMonth" SET "writes" = "writes" + 1 WHERE "shopId" = OLD."shopId" AND "month" >= to_char(OLD."orderedAt", 'YYYY-MM');
  END IF;
  IF TG_OP <> 'DELETE' THEN
    UPDATE "AnalyticsMonth" SET "writes" = "writes" + 1 WHERE "shopId" = NEW."shopId" AND "month" >= to_char(NEW."orderedAt", 'YYYY-MM');
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION "analytics_months_dated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE "AnalyticsMonth" SET "writes" = "writes" + 1 WHERE "shopId" = OLD."shopId" AND "month" >= to_char(OLD."createdAt", 'YYYY-MM');
  END IF;
  IF TG_OP <> 'DELETE' THEN
    UPDATE "AnalyticsMonth" SET "writes" = "writes" + 1 WHERE "shopId" = NEW."shopId" AND "month" >= to_char(NEW."createdAt", 'YYYY-MM');
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Order_analytics_months" AFTER INSERT OR DELETE ON "Order"
  FOR EACH ROW EXECUTE FUNCTION "analytics_months_order"();
CREATE TRIGGER "Order_analytics_months_update" AFTER UPDATE OF "shopId", "customerId", "subtotalMinor", "orderedAt", "paidAt", "cancelledAt" ON "Order"
  FOR EACH ROW WHEN (OLD."shopId" IS DISTINCT FROM NEW."shopId" OR OLD."customerId" IS DISTINCT FROM NEW."customerId"
    OR OLD."subtotalMinor" IS DISTINCT FROM NEW."subtotalMinor" OR OLD."orderedAt" IS DISTINCT FROM NEW."orderedAt"
    OR OLD."paidAt" IS DISTINCT FROM NEW."paidAt" OR OLD."cancelledAt" IS DISTINCT FROM NEW."cancelledAt")
  EXECUTE FUNCTION "analytics_months_order"();

CREATE TRIGGER "PointsEntry_analytics_months" AFTER INSERT OR DELETE ON "PointsEntry"
  FOR EACH ROW EXECUTE FUNCTION "analytics_months_dated"();
CREATE TRIGGER "PointsEntry_analytics_months_update" AFTER UPDATE OF "shopId", "kind", "points", "sourceType", "createdAt" ON "PointsEntry"
  FOR EACH ROW WHEN (OLD."shopId" IS DISTINCT FROM NEW."shopId" OR OLD."kind" IS DISTINCT FROM NEW."kind"
    OR OLD."points" IS DISTINCT FROM NEW."points" OR OLD."sourceType" IS DISTINCT FROM NEW."sourceType"
    OR OLD."createdAt" IS DISTINCT FROM NEW."createdAt")
  EXECUTE FUNCTION "analytics_months_dated"();

CREATE TRIGGER "Referral_analytics_months" AFTER INSERT OR DELETE ON "Referral"
  FOR EACH ROW EXECUTE FUNCTION "analytics_months_dated"();
CREATE TRIGGER "Referral_analytics_months_update" AFTER UPDATE OF "shopId", "status", "createdAt" ON "Referral"
  FOR EACH ROW WHEN (OLD."shopId" IS DISTINCT FROM NEW."shopId" OR OLD."status" IS DISTINCT FROM NEW."status"
    OR OLD."createdAt" IS DISTINCT FROM NEW."createdAt")
  EXECUTE FUNCTION "analytics_months_dated"();
