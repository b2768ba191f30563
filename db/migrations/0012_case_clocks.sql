ALTER TABLE "service_items" ADD COLUMN "extension" jsonb DEFAULT '{"maxWorkingDays":10,"maxTimes":1}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "clocks" jsonb;--> statement-breakpoint
-- The shipped joint items (art. 42 ¶2) installed before this column: +15 working days once. New installs get it from the catalogue.
UPDATE "service_items" SET "extension" = '{"maxWorkingDays":15,"maxTimes":1}'::jsonb WHERE "code" IN ('construction-permit', 'business-opening');
