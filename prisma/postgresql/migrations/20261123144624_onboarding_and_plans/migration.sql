-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "onboardedAt" TIMESTAMP(3),
ADD COLUMN     "onboardingStep" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "plan" TEXT NOT NULL DEFAULT 'free',
ADD COLUMN     "planChangedAt" TIMESTAMP(3),
ADD COLUMN     "planSubscriptionId" TEXT;

-- Shops installed before onboarding existed are already set up: never send them through it.
UPDATE "Shop" SET "onboardedAt" = "installedAt", "onboardingStep" = 3;
