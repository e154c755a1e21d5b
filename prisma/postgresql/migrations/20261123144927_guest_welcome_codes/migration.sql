-- AlterTable
ALTER TABLE "FriendReward" ADD COLUMN     "guestKey" TEXT,
ALTER COLUMN "friendId" DROP NOT NULL;

-- CreateIndex
CREATE INDEX "FriendReward_shopId_ipHash_createdAt_idx" ON "FriendReward"("shopId", "ipHash", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "FriendReward_shopId_guestKey_key" ON "FriendReward"("shopId", "guestKey");
