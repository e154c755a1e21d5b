-- AlterTable
ALTER TABLE "Customer" ADD COLUMN "metafieldBalance" INTEGER;
