-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "emailMarketing" TEXT,
ADD COLUMN     "emailMarketingAt" TIMESTAMP(3),
ADD COLUMN     "locale" TEXT,
ADD COLUMN     "unsubscribedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "CustomerEvent" ADD COLUMN     "routedAt" TIMESTAMP(3),
ALTER COLUMN "customerId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "klaviyoKey" TEXT,
ADD COLUMN     "messages" JSONB,
ADD COLUMN     "timezone" TEXT NOT NULL DEFAULT 'UTC';

-- CreateTable
CREATE TABLE "MessageSend" (
    "id" TEXT NOT NULL,
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
    "runAfter" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lockedUntil" TIMESTAMP(3),
    "error" TEXT,
    "messageId" TEXT,
    "sentAt" TIMESTAMP(3),
    "openedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MessageSend_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OutgoingWebhook" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "events" JSONB NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OutgoingWebhook_pkey" PRIMARY KEY ("id")
);

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

-- CreateIndex
CREATE INDEX "CustomerEvent_routedAt_createdAt_idx" ON "CustomerEvent"("routedAt", "createdAt");

-- AddForeignKey
ALTER TABLE "MessageSend" ADD CONSTRAINT "MessageSend_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MessageSend" ADD CONSTRAINT "MessageSend_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutgoingWebhook" ADD CONSTRAINT "OutgoingWebhook_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Events recorded before messages existed are not sent now.
UPDATE "CustomerEvent" SET "routedAt" = "createdAt";
