-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "accountSeenAt" DATETIME;
ALTER TABLE "Customer" ADD COLUMN "birthdaySavedAt" DATETIME;
ALTER TABLE "Customer" ADD COLUMN "noAccountSeenAt" DATETIME;
