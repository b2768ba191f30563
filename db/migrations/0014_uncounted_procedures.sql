ALTER TABLE "service_items" ADD COLUMN "uncounted_procedures" jsonb DEFAULT '["supplement","hearing","tender","testing","expert-review"]'::jsonb NOT NULL;--> statement-breakpoint
-- The shipped construction permit installed before this column: its public notice (公示) is not counted either. New installs get it from the catalogue.
UPDATE "service_items" SET "uncounted_procedures" = '["supplement","hearing","tender","testing","expert-review","public-notice"]'::jsonb WHERE "code" = 'construction-permit';
