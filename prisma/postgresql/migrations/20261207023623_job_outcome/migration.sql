-- AlterTable
ALTER TABLE "Job" ADD COLUMN     "outcome" JSONB;
