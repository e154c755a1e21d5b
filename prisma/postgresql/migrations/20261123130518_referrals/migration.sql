-- CreateTable
CREATE TABLE "ReferralCode" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "customerId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReferralCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralVisit" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "codeId" TEXT NOT NULL,
    "ipHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReferralVisit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ReferralInvite" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "referrerId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "acceptedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ReferralInvite_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FriendReward" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "referrerId" TEXT NOT NULL,
    "friendId" TEXT NOT NULL,
    "requestId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "discountId" TEXT,
    "status" TEXT NOT NULL,
    "failureReason" TEXT,
    "ipHash" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FriendReward_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Referral" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "referrerId" TEXT NOT NULL,
    "friendId" TEXT,
    "friendEmail" TEXT,
    "attributedBy" TEXT NOT NULL,
    "shopifyOrderId" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "riskScore" INTEGER NOT NULL,
    "riskReasons" JSONB NOT NULL,
    "decisions" JSONB NOT NULL,
    "points" INTEGER NOT NULL,
    "rewardRound" INTEGER NOT NULL DEFAULT 0,
    "ipHash" TEXT,
    "rewardAvailableAt" TIMESTAMP(3) NOT NULL,
    "rewardedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Referral_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderContact" (
    "id" TEXT NOT NULL,
    "shopId" TEXT NOT NULL,
    "shopifyOrderId" TEXT NOT NULL,
    "customerId" TEXT,
    "emailHash" TEXT,
    "phoneHash" TEXT,
    "addressHash" TEXT,
    "paidAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OrderContact_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ReferralCode_customerId_key" ON "ReferralCode"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "ReferralCode_shopId_code_key" ON "ReferralCode"("shopId", "code");

-- CreateIndex
CREATE INDEX "ReferralVisit_codeId_createdAt_idx" ON "ReferralVisit"("codeId", "createdAt");

-- CreateIndex
CREATE INDEX "ReferralVisit_shopId_ipHash_createdAt_idx" ON "ReferralVisit"("shopId", "ipHash", "createdAt");

-- CreateIndex
CREATE INDEX "ReferralInvite_shopId_email_idx" ON "ReferralInvite"("shopId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "ReferralInvite_shopId_referrerId_email_key" ON "ReferralInvite"("shopId", "referrerId", "email");

-- CreateIndex
CREATE UNIQUE INDEX "FriendReward_shopId_friendId_key" ON "FriendReward"("shopId", "friendId");

-- CreateIndex
CREATE UNIQUE INDEX "FriendReward_shopId_code_key" ON "FriendReward"("shopId", "code");

-- CreateIndex
CREATE INDEX "Referral_shopId_status_createdAt_idx" ON "Referral"("shopId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Referral_status_rewardAvailableAt_idx" ON "Referral"("status", "rewardAvailableAt");

-- CreateIndex
CREATE INDEX "Referral_shopId_referrerId_createdAt_idx" ON "Referral"("shopId", "referrerId", "createdAt");

-- CreateIndex
CREATE INDEX "Referral_shopId_ipHash_createdAt_idx" ON "Referral"("shopId", "ipHash", "createdAt");

-- CreateIndex
CREATE INDEX "Referral_shopId_friendEmail_idx" ON "Referral"("shopId", "friendEmail");

-- CreateIndex
CREATE INDEX "Referral_friendId_idx" ON "Referral"("friendId");

-- CreateIndex
CREATE UNIQUE INDEX "Referral_shopId_shopifyOrderId_key" ON "Referral"("shopId", "shopifyOrderId");

-- CreateIndex
CREATE INDEX "OrderContact_shopId_customerId_idx" ON "OrderContact"("shopId", "customerId");

-- CreateIndex
CREATE INDEX "OrderContact_shopId_emailHash_idx" ON "OrderContact"("shopId", "emailHash");

-- CreateIndex
CREATE UNIQUE INDEX "OrderContact_shopId_shopifyOrderId_key" ON "OrderContact"("shopId", "shopifyOrderId");

-- AddForeignKey
ALTER TABLE "ReferralCode" ADD CONSTRAINT "ReferralCode_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralCode" ADD CONSTRAINT "ReferralCode_customerId_fkey" FOREIGN KEY ("customerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralVisit" ADD CONSTRAINT "ReferralVisit_codeId_fkey" FOREIGN KEY ("codeId") REFERENCES "ReferralCode"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ReferralInvite" ADD CONSTRAINT "ReferralInvite_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FriendReward" ADD CONSTRAINT "FriendReward_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_referrerId_fkey" FOREIGN KEY ("referrerId") REFERENCES "Customer"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Referral" ADD CONSTRAINT "Referral_friendId_fkey" FOREIGN KEY ("friendId") REFERENCES "Customer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderContact" ADD CONSTRAINT "OrderContact_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop"("id") ON DELETE CASCADE ON UPDATE CASCADE;
