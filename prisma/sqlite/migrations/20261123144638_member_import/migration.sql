-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "tierFloor" TEXT;
ALTER TABLE "Customer" ADD COLUMN "tierFloorUntil" DATETIME;

-- CreateTable
CREATE TABLE "MemberImport" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shopId" TEXT NOT NULL,
    "fileName" TEXT NOT NULL,
    "fileHash" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "jobId" TEXT,
    "summary" JSONB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "appliedAt" DATETIME,
    CONSTRAINT "MemberImport_shopId_fkey" FOREIGN KEY ("shopId") REFERENCES "Shop" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "MemberImportRow" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "importId" TEXT NOT NULL,
    "line" INTEGER NOT NULL,
    "shopifyCustomerId" TEXT,
    "email" TEXT,
    "points" INTEGER,
    "tierKey" TEXT,
    "birthdayMonth" INTEGER,
    "birthdayDay" INTEGER,
    "referralCode" TEXT,
    "customerId" TEXT,
    "error" TEXT,
    "errorValue" TEXT,
    "outcome" TEXT,
    CONSTRAINT "MemberImportRow_importId_fkey" FOREIGN KEY ("importId") REFERENCES "MemberImport" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "MemberImport_shopId_createdAt_idx" ON "MemberImport"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "MemberImport_shopId_fileHash_idx" ON "MemberImport"("shopId", "fileHash");

-- CreateIndex
CREATE INDEX "MemberImportRow_customerId_idx" ON "MemberImportRow"("customerId");

-- CreateIndex
CREATE UNIQUE INDEX "MemberImportRow_importId_line_key" ON "MemberImportRow"("importId", "line");
