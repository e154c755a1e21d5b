-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "stateVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "guestState" TEXT,
ADD COLUMN     "guestStateBuild" TEXT,
ADD COLUMN     "guestStateUntilMs" BIGINT,
ADD COLUMN     "guestStateVersion" INTEGER,
ADD COLUMN     "stateVersion" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "MemberState" (
    "customerId" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shopifyCustomerId" TEXT NOT NULL,
    "customerVersion" INTEGER NOT NULL,
    "shopVersion" INTEGER NOT NULL,
    "lang" TEXT NOT NULL,
    "build" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "validUntilMs" BIGINT NOT NULL,

    CONSTRAINT "MemberState_pkey" PRIMARY KEY ("customerId")
);

-- CreateIndex
CREATE UNIQUE INDEX "MemberState_shopId_shopifyCustomerId_key" ON "MemberState"("shopId", "shopifyCustomerId");

-- AddForeignKey
ALTER TABLE "MemberState" ADD CONSTRAINT "MemberState_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Triggers (decision 040): every write to what the storefront state is built from raises the
-- member's Customer.stateVersion or the shop's stateVersion in the same transaction, whichever
-- code path wrote it. The member's version is on their Customer row, so a write takes no lock
-- beyond the one the ledger's own writes take.
CREATE FUNCTION "customer_state_raise"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW."stateVersion" = OLD."stateVersion" THEN
    NEW."stateVersion" := OLD."stateVersion" + 1;
  END IF;
  RETURN NEW;
END $$;
CREATE FUNCTION "customer_state_touch"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = OLD."customerId";
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."customerId" IS DISTINCT FROM OLD."customerId") THEN
    UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = NEW."customerId";
  END IF;
  RETURN NULL;
END $$;
CREATE FUNCTION "customer_state_touch_refund"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Customer" SET "stateVersion" = "stateVersion" + 1 WHERE "id" IN (
    SELECT "customerId" FROM "Order" WHERE "shopId" = NEW."shopId" AND "shopifyOrderId" = NEW."shopifyOrderId");
  RETURN NULL;
END $$;
CREATE FUNCTION "shop_state_raise"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."stateVersion" := OLD."stateVersion" + 1;
  RETURN NEW;
END $$;
CREATE FUNCTION "shop_state_touch"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE "Shop" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = OLD."shopId";
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW."shopId" IS DISTINCT FROM OLD."shopId") THEN
    UPDATE "Shop" SET "stateVersion" = "stateVersion" + 1 WHERE "id" = NEW."shopId";
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER "Customer_state" BEFORE UPDATE ON "Customer" FOR EACH ROW EXECUTE FUNCTION "customer_state_raise"();
CREATE TRIGGER "PointsEntry_state" AFTER INSERT OR UPDATE OR DELETE ON "PointsEntry" FOR EACH ROW EXECUTE FUNCTION "customer_state_touch"();
CREATE TRIGGER "Redemption_state" AFTER INSERT OR UPDATE OR DELETE ON "Redemption" FOR EACH ROW EXECUTE FUNCTION "customer_state_touch"();
CREATE TRIGGER "ReferralCode_state" AFTER INSERT OR UPDATE OR DELETE ON "ReferralCode" FOR EACH ROW EXECUTE FUNCTION "customer_state_touch"();
CREATE TRIGGER "Order_state" AFTER INSERT OR UPDATE OR DELETE ON "Order" FOR EACH ROW EXECUTE FUNCTION "customer_state_touch"();
CREATE TRIGGER "Refund_state" AFTER INSERT ON "Refund" FOR EACH ROW EXECUTE FUNCTION "customer_state_touch_refund"();
CREATE TRIGGER "Shop_state" BEFORE UPDATE OF "settings", "currency", "domain" ON "Shop" FOR EACH ROW EXECUTE FUNCTION "shop_state_raise"();
CREATE TRIGGER "Reward_state" AFTER INSERT OR UPDATE OR DELETE ON "Reward" FOR EACH ROW EXECUTE FUNCTION "shop_state_touch"();
CREATE TRIGGER "TierProgram_state" AFTER INSERT OR UPDATE OR DELETE ON "TierProgram" FOR EACH ROW EXECUTE FUNCTION "shop_state_touch"();
