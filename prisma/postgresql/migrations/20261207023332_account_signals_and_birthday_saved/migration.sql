-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "accountSeenAt" TIMESTAMP(3),
ADD COLUMN     "birthdaySavedAt" TIMESTAMP(3),
ADD COLUMN     "noAccountSeenAt" TIMESTAMP(3);
