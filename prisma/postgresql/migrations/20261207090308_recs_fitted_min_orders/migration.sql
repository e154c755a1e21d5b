-- AlterTable
ALTER TABLE "RecsState" ADD COLUMN     "fittedMinOrders" INTEGER;
