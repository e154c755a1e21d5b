-- AlterTable
ALTER TABLE "Job" ADD COLUMN "dueKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "Job_shopDomain_type_dueKey_key" ON "Job"("shopDomain", "type", "dueKey");
