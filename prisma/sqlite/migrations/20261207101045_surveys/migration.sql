-- AlterTable
ALTER TABLE "Order" ADD COLUMN "fulfilledAt" DATETIME;

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN "survey" JSONB;

-- CreateTable
CREATE TABLE "SurveyResponse" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "shopifyOrderId" TEXT NOT NULL,
    "customerId" TEXT,
    "kind" TEXT NOT NULL,
    "score" INTEGER NOT NULL,
    "comment" TEXT,
    "channel" TEXT NOT NULL,
    "pointsAwarded" INTEGER NOT NULL DEFAULT 0,
    "tierKey" TEXT,
    "segment" TEXT,
    "answeredAt" DATETIME NOT NULL,
    CONSTRAINT "SurveyResponse_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "SurveyResponse_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "DetractorAlert" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "responseId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "apologyRedemptionId" TEXT,
    "resolvedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DetractorAlert_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "DetractorAlert_responseId_fkey" FOREIGN KEY ("responseId") REFERENCES "SurveyResponse" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "SurveyResponse_shopId_answeredAt_idx" ON "SurveyResponse"("shopId", "answeredAt");

-- CreateIndex
CREATE INDEX "SurveyResponse_customerId_answeredAt_idx" ON "SurveyResponse"("customerId", "answeredAt");

-- CreateIndex
CREATE UNIQUE INDEX "SurveyResponse_shopId_shopifyOrderId_key" ON "SurveyResponse"("shopId", "shopifyOrderId");

-- CreateIndex
CREATE UNIQUE INDEX "DetractorAlert_responseId_key" ON "DetractorAlert"("responseId");

-- CreateIndex
CREATE INDEX "DetractorAlert_shopId_status_createdAt_idx" ON "DetractorAlert"("shopId", "status", "createdAt");
