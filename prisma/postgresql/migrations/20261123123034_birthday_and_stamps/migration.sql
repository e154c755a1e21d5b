-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "birthdayDay" INTEGER,
ADD COLUMN     "birthdayMonth" INTEGER,
ADD COLUMN     "stamps" INTEGER NOT NULL DEFAULT 0;
