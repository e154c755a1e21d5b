-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "bestSellersWritten" TEXT;
