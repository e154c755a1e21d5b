-- AlterTable
ALTER TABLE "Product" ADD COLUMN     "deletedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "RecsState" ADD COLUMN     "listsLockedUntil" TIMESTAMP(3);
