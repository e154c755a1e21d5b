-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_FriendReward" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "referrerId" TEXT NOT NULL,
    "friendId" TEXT,
    "requestId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "discountId" TEXT,
    "status" TEXT NOT NULL,
    "failureReason" TEXT,
    "ipHash" TEXT,
    "guestKey" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "FriendReward_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_FriendReward" ("code", "createdAt", "discountId", "failureReason", "friendId", "id", "ipHash", "referrerId", "requestId", "shopId", "status", "updatedAt") SELECT "code", "createdAt", "discountId", "failureReason", "friendId", "id", "ipHash", "referrerId", "requestId", "shopId", "status", "updatedAt" FROM "FriendReward";
DROP TABLE "FriendReward";
ALTER TABLE "new_FriendReward" RENAME TO "FriendReward";
CREATE INDEX "FriendReward_shopId_ipHash_createdAt_idx" ON "FriendReward"("shopId", "ipHash", "createdAt");
CREATE UNIQUE INDEX "FriendReward_shopId_friendId_key" ON "FriendReward"("shopId", "friendId");
CREATE UNIQUE INDEX "FriendReward_shopId_code_key" ON "FriendReward"("shopId", "code");
CREATE UNIQUE INDEX "FriendReward_shopId_guestKey_key" ON "FriendReward"("shopId", "guestKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
